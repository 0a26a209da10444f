package io.llmload.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * -DupdateBaseline replaces the stored baseline only with a run that passed the gate, unless
 * forced; with no baseline yet the first run writes one. SYNTHETIC run folders.
 */
class BaselineUpdateTest {
  @TempDir Path tmp;
  private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);

  private Path runFolder(String name, int n, double tpot, long seed) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve(name));
    ObjectNode s = SyntheticSummary.create().phase("c8", 8, n, 300, tpot, 0, seed).build();
    Files.writeString(dir.resolve("summary.json"), s.toString());
    return dir;
  }

  /** A store holding {@code run}'s summary.json as the baseline. */
  private Path store(Path run) throws Exception {
    Path store = Files.createDirectories(tmp.resolve("store"));
    Files.copy(run.resolve("summary.json"), store.resolve("summary.json"));
    return store;
  }

  private static Properties props(String... kv) {
    Properties p = new Properties();
    for (int i = 0; i < kv.length; i += 2) {
      p.setProperty(kv[i], kv[i + 1]);
    }
    return p;
  }

  private boolean holds(Path store, Path run) throws Exception {
    return Files.readString(store.resolve("summary.json")).equals(Files.readString(run.resolve("summary.json")));
  }

  private String console() {
    return buf.toString(StandardCharsets.UTF_8);
  }

  @Test
  void firstRunWritesTheBaseline() throws Exception {
    Path run = runFolder("first", 400, 20, 1);
    Path store = tmp.resolve("fresh/baseline/"); // as .ci/run's nightly step: a folder that does not exist yet
    assertEquals(0, GateHook.run(run, props("updateBaseline", store.toString()), out));
    assertTrue(holds(store, run));
    assertTrue(console().contains("gate: baseline written (there was none)"), console());
    // a .json path works as well
    Path file = tmp.resolve("other/nightly.json");
    assertEquals(0, GateHook.run(run, props("updateBaseline", file.toString()), out));
    assertEquals(Files.readString(run.resolve("summary.json")), Files.readString(file));
  }

  @Test
  void aRunThatPassedReplacesIt() throws Exception {
    Path old = runFolder("old", 400, 20, 1);
    Path same = runFolder("same", 400, 20, 2);
    Path store = store(old);
    assertEquals(0, GateHook.run(same, props("baseline", store.toString(), "updateBaseline", store.toString()), out));
    assertTrue(holds(store, same), console());
    assertTrue(console().contains("gate: baseline updated"), console());
  }

  @Test
  void anImprovedRunReplacesIt() throws Exception {
    Path old = runFolder("old", 400, 22, 1);
    Path fast = runFolder("fast", 400, 20, 2);
    Path store = store(old);
    assertEquals(0, GateHook.run(fast, props("baseline", store.toString(), "updateBaseline", store.toString()), out));
    assertEquals("improved", verdict(fast));
    assertTrue(holds(store, fast));
  }

  @Test
  void aRegressedRunNeverBecomesTheBaseline() throws Exception {
    Path old = runFolder("old", 400, 20, 1);
    Path slow = runFolder("slow", 400, 22, 2);
    Path store = store(old);
    assertEquals(1, GateHook.run(slow, props("baseline", store.toString(), "updateBaseline", store.toString()), out));
    assertTrue(holds(store, old), "the regressed run replaced the baseline");
    assertTrue(console().contains("gate: baseline not updated (" + store.resolve("summary.json") + "): the run regressed;"
        + " pass -DupdateBaseline.force=true to replace it anyway"), console());
    assertTrue(Files.exists(slow.resolve("verdict.md")) && Files.exists(slow.resolve("junit-gate.xml")));
  }

  @Test
  void anInconclusiveRunDoesNotReplaceItEvenWhenAllowedToPass() throws Exception {
    Path old = runFolder("old", 20, 20, 1);
    Path small = runFolder("small", 20, 20, 2);
    Path store = store(old);
    assertEquals(3, GateHook.run(small, props("baseline", store.toString(), "updateBaseline", store.toString()), out));
    assertTrue(holds(store, old));
    assertEquals(0, GateHook.run(small, props("baseline", store.toString(), "updateBaseline", store.toString(),
        "gate.allowInconclusive", "true"), out));
    assertTrue(holds(store, old));
    assertTrue(console().contains("the run was inconclusive"), console());
  }

  @Test
  void forcedReplacesWhateverTheVerdict() throws Exception {
    Path old = runFolder("old", 400, 20, 1);
    Path slow = runFolder("slow", 400, 22, 2);
    Path store = store(old);
    assertEquals(1, GateHook.run(slow, props("baseline", store.toString(), "updateBaseline", store.toString(),
        "updateBaseline.force", "true"), out));
    assertTrue(holds(store, slow));
    assertTrue(console().contains("gate: baseline replaced (forced)"), console());
  }

  @Test
  void anExistingStoreWithoutBaselineIsGatedAgainst() throws Exception {
    Path old = runFolder("old", 400, 20, 1);
    Path slow = runFolder("slow", 400, 22, 2);
    Path store = store(old);
    assertEquals(1, GateHook.run(slow, props("updateBaseline", store.toString()), out));
    assertTrue(console().contains("holds a baseline and no -Dbaseline was given: gating against it"), console());
    assertTrue(holds(store, old));
    assertEquals("regressed", verdict(slow));
    Path same = runFolder("same", 400, 20, 3);
    assertEquals(0, GateHook.run(same, props("updateBaseline", store.toString()), out));
    assertTrue(holds(store, same));
  }

  @Test
  void aRefusedComparisonDoesNotReplaceItUnlessForced() throws Exception {
    Path old = runFolder("old", 400, 20, 1);
    Path store = store(old);
    Path other = Files.createDirectories(tmp.resolve("other"));
    Files.writeString(other.resolve("summary.json"), SyntheticSummary.create().profile("prod-batch64")
        .phase("c8", 8, 400, 300, 20, 0, 2).build().toString());
    Properties p = props("baseline", store.toString(), "updateBaseline", store.toString());
    assertEquals(2, GateHook.run(other, p, out));
    assertTrue(holds(store, old));
    assertTrue(console().contains("the gate could not compare the run with its baseline"), console());
    p.setProperty("updateBaseline.force", "true"); // a deliberate change of setup starts a new baseline
    assertEquals(2, GateHook.run(other, p, out));
    assertTrue(holds(store, other));
  }

  @Test
  void aBadForceValueIsOneLineAndChangesNothing() throws Exception {
    Path old = runFolder("old", 400, 20, 1);
    Path store = store(old);
    Path run = runFolder("run", 400, 22, 2);
    assertEquals(2, GateHook.run(run, props("updateBaseline", store.toString(), "updateBaseline.force", "maybe"), out));
    assertTrue(console().contains("gate: error: updateBaseline.force=maybe: expected true or false"), console());
    assertTrue(holds(store, old));
    assertFalse(console().contains("baseline updated"));
  }

  @Test
  void passedRunsBuildAHistoryThatTheGateJudgesBy() throws Exception {
    Path store = tmp.resolve("rolling");
    Properties p = props("updateBaseline", store.toString(), "gate.history", "6", "gate.allowInconclusive", "true");
    for (int i = 0; i < 8; i++) {
      Path run = runFolder("night" + i, 400, 20, 10 + i);
      GateHook.run(run, p, out);
    }
    try (var s = Files.list(store.resolve("history"))) {
      assertEquals(6, s.count(), "the newest gate.history runs are kept");
    }
    Path slow = runFolder("slow", 400, 22, 99);
    assertEquals(1, GateHook.run(slow, p, out));
    String json = Files.readString(slow.resolve("verdict.json"));
    assertTrue(json.contains("between-run t over 6 baseline runs"), json);
    // a forced replacement is a new normal: the history starts again from it
    p.setProperty("updateBaseline.force", "true");
    GateHook.run(slow, p, out);
    assertTrue(console().endsWith("gate: baseline replaced (forced): " + store.resolve("summary.json") + "\n"), console());
    try (var s = Files.list(store.resolve("history"))) {
      assertEquals(1, s.count());
    }
  }

  private static String verdict(Path run) throws Exception {
    return SyntheticSummary.MAPPER.readTree(run.resolve("verdict.json").toFile()).get("verdict").asText();
  }
}
