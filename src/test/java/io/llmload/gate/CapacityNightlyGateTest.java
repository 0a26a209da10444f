package io.llmload.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * The nightly path with capacity searches (scripts/nightly.sh --simulation
 * io.llmload.simulations.CapacitySearch --update-baseline STORE): the in-run hook keeps a baseline
 * store and its history of searches, replaced only by a search that passed; the command line gates
 * one search against the store. SYNTHETIC summaries ("16 users last night, 12 tonight").
 */
class CapacityNightlyGateTest {
  @TempDir Path tmp;
  private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);

  /** A search's run folder: bracket [pass, fail), its answer the pass. */
  private Path search(String name, int pass, int fail, boolean complete) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve(name));
    ObjectNode s = SyntheticSummary.create().simulation("io.llmload.simulations.CapacitySearch")
        .phase("p01-c" + pass, pass, 200, 300, 20, 0, pass).build();
    s.put("complete", complete);
    ObjectNode c = s.putObject("capacity");
    c.put("search", "concurrency");
    c.put("outcome", "converged");
    c.put("answer", pass);
    c.putObject("slo").put("tpot_ms", 200.0).put("fraction", 0.95);
    ObjectNode b = c.putObject("bracket");
    b.putObject("pass").put("load", pass);
    b.putObject("fail").put("load", fail);
    c.putArray("probes").addObject().put("load", pass);
    Files.writeString(dir.resolve("summary.json"), s.toString());
    return dir;
  }

  private static Properties props(String... kv) {
    Properties p = new Properties();
    for (int i = 0; i < kv.length; i += 2) p.setProperty(kv[i], kv[i + 1]);
    return p;
  }

  private static String baselineAnswer(Path store) throws Exception {
    return SyntheticSummary.MAPPER.readTree(store.resolve("summary.json").toFile()).path("capacity").path("answer").asText();
  }

  @Test
  void aStoreOfSearchesGatesTheNextSearchByItsBracket() throws Exception {
    Path store = tmp.resolve("store");
    Properties p = props("updateBaseline", store.toString(), "gate.history", "5");
    assertEquals(0, GateHook.run(search("n1", 16, 17, true), p, out), buf.toString());
    assertEquals(0, GateHook.run(search("n2", 16, 18, true), p, out), "within 10 %: unchanged: " + buf);
    assertEquals(0, GateHook.run(search("n3", 15, 16, true), p, out), buf.toString());
    try (var s = Files.list(store.resolve("history"))) {
      assertEquals(3, s.count(), "every passed search is kept in the history");
    }
    assertEquals("15", baselineAnswer(store));

    Path drop = search("drop", 12, 13, true);
    assertEquals(1, GateHook.run(drop, p, out), "failed at 13, 19 % below the pass at 15: " + buf);
    assertEquals("15", baselineAnswer(store), "a regressed search never becomes the baseline");
    String verdict = Files.readString(drop.resolve("verdict.json"));
    assertTrue(verdict.contains("\"regressed\""), verdict);
    assertTrue(verdict.contains("answers 16, 16, 15"), "the history's answers are shown: " + verdict);

    // the command line on the store, as a nightly job without the hook would run it
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    int code = GateMain.run(new String[] {"--baseline", store.toString(), "--current", search("cli", 15, 17, true).toString()},
        new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8));
    assertEquals(0, code, o + " " + e);
    assertTrue(o.toString(StandardCharsets.UTF_8).contains("capacity"), o.toString(StandardCharsets.UTF_8));
  }

  @Test
  void anInterruptedSearchIsRefusedUnlessForced() throws Exception {
    Path base = search("base", 16, 17, true);
    Path cut = search("cut", 8, 9, false);
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    PrintStream err = new PrintStream(e, true, StandardCharsets.UTF_8);
    assertEquals(2, GateMain.run(new String[] {"--baseline", base.toString(), "--current", cut.toString()}, out, err));
    assertTrue(e.toString(StandardCharsets.UTF_8).contains("incomplete run"), e.toString(StandardCharsets.UTF_8));
    assertEquals(1, GateMain.run(new String[] {"--baseline", base.toString(), "--current", cut.toString(), "--force"}, out, err));
  }
}
