package io.llmload.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A regression is reported only when an independent second run regresses in the same metric:
 * the rule on hand-made findings, then through GateHook with -DconfirmRun on SYNTHETIC run folders
 * (verdict files, exit code, and the store updated only by a run that passed on its own).
 */
class ConfirmationTest {
  @TempDir Path tmp;
  private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);

  private static MetricResult finding(ComparedMetric m, Verdict v) {
    return new MetricResult("c16", m, v, 1.0, 1.1, 0.1, 0.05, 0.15, 0.001, 0.004, 20, 100, 0.05, "t",
        v.label() + " on its own");
  }

  private static GateResult result(Verdict ttftP50, Verdict ttftP95, Verdict tput) {
    return new GateResult("history", "run", List.of(finding(ComparedMetric.TTFT_P50, ttftP50),
        finding(ComparedMetric.TTFT_P95, ttftP95), finding(ComparedMetric.THROUGHPUT, tput)), List.of(), 0.05, false);
  }

  @Test
  void regressedTwiceInTheSameMetricIsRegressed() {
    GateResult first = result(Verdict.REGRESSED, Verdict.UNCHANGED, Verdict.UNCHANGED);
    GateResult second = result(Verdict.REGRESSED, Verdict.REGRESSED, Verdict.UNCHANGED);
    Confirmation c = Confirmation.of("first", first, second);
    assertEquals(Verdict.REGRESSED, c.result().verdict());
    assertEquals(ExitCodes.REGRESSED, c.result().exitCode());
    assertEquals(List.of("c16 ttft_p50"), c.confirmed().stream().map(Confirmation::key).toList());
    // ttft_p95 regressed in the second run only: not confirmed, so not reported as a regression
    assertEquals(1, c.result().count(Verdict.REGRESSED));
    assertTrue(c.result().results().get(1).reason().startsWith("not confirmed"), c.result().results().get(1).reason());
    assertEquals("confirmed: c16 ttft_p50 regressed in both the first run and the confirmation run", c.reason());
  }

  @Test
  void aSecondRunThatPassesClearsTheAlarmAndSaysWhy() {
    GateResult first = result(Verdict.UNCHANGED, Verdict.REGRESSED, Verdict.UNCHANGED);
    GateResult second = result(Verdict.UNCHANGED, Verdict.UNCHANGED, Verdict.IMPROVED);
    Confirmation c = Confirmation.of("first", first, second);
    assertEquals(Verdict.IMPROVED, c.result().verdict());
    assertEquals(ExitCodes.OK, c.result().exitCode());
    assertEquals("not confirmed: the first run regressed in c16 ttft_p95, the confirmation run did not regress"
        + " (improved)", c.reason());
  }

  @Test
  void regressionsInDifferentMetricsAreNotConfirmed() {
    GateResult first = result(Verdict.UNCHANGED, Verdict.REGRESSED, Verdict.UNCHANGED);
    GateResult second = result(Verdict.UNCHANGED, Verdict.UNCHANGED, Verdict.REGRESSED);
    Confirmation c = Confirmation.of("first", first, second);
    assertEquals(Verdict.INCONCLUSIVE, c.result().verdict());
    assertEquals(ExitCodes.INCONCLUSIVE, c.result().exitCode());
    assertTrue(c.reason().endsWith("the confirmation run in c16 output_tokens_per_s only (no metric regressed in both)"),
        c.reason());
  }

  @Test
  void theFirstRunsRegressionsAreReadFromItsVerdictJson() throws Exception {
    GateResult first = result(Verdict.REGRESSED, Verdict.INCONCLUSIVE, Verdict.REGRESSED);
    JsonNode json = new ObjectMapper().readTree(GateReport.json(first));
    assertEquals(Set.of("c16 ttft_p50", "c16 output_tokens_per_s"), Confirmation.regressedIn(json));
  }

  private Path runFolder(String name, double tpot, long seed) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve(name));
    ObjectNode s = SyntheticSummary.create().phase("c8", 8, 400, 300, tpot, 0, seed).build();
    Files.writeString(dir.resolve("summary.json"), s.toString());
    return dir;
  }

  private static Properties props(String... kv) {
    Properties p = new Properties();
    for (int i = 0; i < kv.length; i += 2) {
      p.setProperty(kv[i], kv[i + 1]);
    }
    return p;
  }

  private static JsonNode verdict(Path run) throws Exception {
    return new ObjectMapper().readTree(run.resolve(GateReport.JSON).toFile());
  }

  @Test
  void throughTheHookARegressionConfirmedStaysRegressedAndTheStoreIsKept() throws Exception {
    Path store = tmp.resolve("store");
    Path old = runFolder("old", 20, 1);
    assertEquals(0, GateHook.run(old, props("updateBaseline", store.toString()), out));
    String kept = Files.readString(store.resolve("summary.json"));
    Path first = runFolder("first", 22, 2);
    assertEquals(1, GateHook.run(first, props("updateBaseline", store.toString()), out));
    Path second = runFolder("second", 22, 3);
    assertEquals(1, GateHook.run(second, props("updateBaseline", store.toString(), "confirmRun", first.toString()), out));
    JsonNode v = verdict(second);
    assertEquals("regressed", v.path("verdict").asText());
    assertEquals(first.toString(), v.path("confirmation").path("first_run").asText());
    assertEquals(second.toString(), v.path("confirmation").path("confirmation_run").asText());
    assertEquals(Confirmation.RULE, v.path("confirmation").path("rule").asText());
    assertTrue(v.path("confirmation").path("confirmed").size() > 0, v.toString());
    String md = Files.readString(second.resolve(GateReport.MARKDOWN));
    assertTrue(md.startsWith("## Regression gate: regressed (after a confirmation run)"), md);
    assertTrue(md.contains(first.toString()) && md.contains(second.toString()), md);
    assertEquals(kept, Files.readString(store.resolve("summary.json")), "a regressed run replaced the baseline");
  }

  @Test
  void throughTheHookAnUnconfirmedAlarmPassesAndThePassingRunUpdatesTheStore() throws Exception {
    Path store = tmp.resolve("store");
    Path old = runFolder("old", 20, 1);
    assertEquals(0, GateHook.run(old, props("updateBaseline", store.toString()), out));
    Path first = runFolder("first", 22, 2);
    assertEquals(1, GateHook.run(first, props("updateBaseline", store.toString()), out));
    Path second = runFolder("second", 20, 3);
    assertEquals(0, GateHook.run(second, props("updateBaseline", store.toString(), "confirmRun", first.toString()), out));
    JsonNode v = verdict(second);
    assertTrue(List.of("unchanged", "improved").contains(v.path("verdict").asText()), v.toString());
    assertTrue(v.path("confirmation").path("reason").asText().startsWith("not confirmed: the first run regressed in c8 "),
        v.toString());
    assertEquals(Files.readString(second.resolve("summary.json")), Files.readString(store.resolve("summary.json")));
  }

  @Test
  void aConfirmationWithoutItsFirstRunOrBaselineIsBadInput() throws Exception {
    Path run = runFolder("run", 20, 1);
    Path base = runFolder("base", 20, 2);
    assertEquals(ExitCodes.BAD_INPUT, GateHook.run(run, props("baseline", base.toString(), "confirmRun",
        tmp.resolve("missing").toString()), out));
    assertTrue(buf.toString(StandardCharsets.UTF_8).contains("confirmRun=" + tmp.resolve("missing") + ": no verdict.json"),
        buf.toString(StandardCharsets.UTF_8));
    assertEquals(ExitCodes.BAD_INPUT, GateHook.run(run, props("updateBaseline", tmp.resolve("none").toString(),
        "confirmRun", base.toString()), out));
    assertTrue(buf.toString(StandardCharsets.UTF_8).contains("a confirmation run needs the baseline"));
  }
}
