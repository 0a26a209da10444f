package io.llmload.e2e;

import static org.junit.jupiter.api.Assertions.*;

import io.llmload.testing.SimulationRunner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Percentile objectives become Gatling assertions on the request's own rows. */
class SloAssertionsTest {
  private static final Map<String, String> FAST = Map.of(
      "users", "2", "duration", "2s", "maxTokens", "8", "emulator.mode", "fixed-rate",
      "emulator.tokensPerSecond", "100", "emulator.prefillMs", "50");

  private static Map<String, String> with(String... kv) {
    var m = new java.util.HashMap<>(FAST);
    for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
    return m;
  }

  /**
   * The suite's judgement of the assertions over the run folder's records (what a merge of shards
   * does over all shards') agrees with Gatling's own, assertion by assertion: each response-time
   * line Gatling prints, its result and its actual value (whole ms), and the verdict.
   */
  private static void judgedAsGatlingJudged(SimulationRunner.Result r) throws Exception {
    var summary = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.runFolder().resolve("summary.json").toFile());
    var asserted = summary.path("assertions");
    assertTrue(asserted.isObject(), "summary.json has the assertions: " + summary.path("assertions"));
    java.util.regex.Matcher m = java.util.regex.Pattern.compile(
        "(?m)^(chat(?: ttft)?): (\\d+)th percentile of response time is less than or equal to [\\d.]+ : (true|false)"
            + "(?: \\(actual : ([\\d.]+)\\))?").matcher(r.output());
    int lines = 0;
    while (m.find()) {
      lines++;
      String row = m.group(1);
      int pct = Integer.parseInt(m.group(2));
      com.fasterxml.jackson.databind.JsonNode mine = null;
      for (var a : asserted.path("results")) {
        if (a.path("row").asText().equals(row) && a.path("percentile").asInt() == pct) mine = a;
      }
      assertNotNull(mine, row + " p" + pct + " judged again: " + asserted);
      assertEquals(Boolean.parseBoolean(m.group(3)), mine.path("held").asBoolean(), m.group() + " vs " + mine);
      if (m.group(4) != null) {
        assertEquals(Double.parseDouble(m.group(4)), mine.path("actual").asDouble(), 1.0, m.group() + " vs " + mine);
      }
    }
    assertTrue(lines > 0, "Gatling printed its assertions: " + SimulationRunner.tail(r.output()));
    assertEquals(r.exitCode() == 0, "passed".equals(asserted.path("verdict").asText()), asserted.toString());
  }

  @Test
  void aBreachedObjectiveFailsTheRunAndSaysWhich(@TempDir Path dir) throws Exception {
    var r = SimulationRunner.run("io.llmload.simulations.ConstantUsers",
        with("slo.ttft.p95", "10ms", "slo.tpot.p95", "10s"), dir, Duration.ofSeconds(120));
    assertNotEquals(0, r.exitCode(), "a breached objective fails the run");
    String out = r.output();
    assertTrue(out.contains("chat ttft: 95th percentile of response time is less than or equal to 10.0 : false"), out);
    assertTrue(out.contains("95th percentile of TPOT is less than or equal to 10000.00 ms : true"), out);
    judgedAsGatlingJudged(r);
  }

  /**
   * TPOT is a mean gap, not a span between two instants: it has no Gatling row (the row used to
   * end at an invented start + TPOT). Its objective is judged after the run from the records'
   * own TPOT and still sets the exit code.
   */
  @Test
  void aTpotObjectiveIsJudgedFromTheRecordsWithoutAnInventedRow(@TempDir Path dir) throws Exception {
    // 100 tokens/s: TPOT is 10 ms, so a 5 ms bound breaks and nothing else is asked
    var r = SimulationRunner.run("io.llmload.simulations.ConstantUsers", with("slo.tpot.p90", "5ms"), dir,
        Duration.ofSeconds(120));
    String out = r.output();
    assertEquals(1, r.exitCode(), SimulationRunner.tail(out));
    assertNull(r.gatlingCount("chat tpot"), "no TPOT row in Gatling's report");
    java.util.regex.Matcher m = java.util.regex.Pattern.compile(
        "chat tpot \\(suite, (\\d+) requests\\): 90th percentile of TPOT is less than or equal to 5.00 ms : false \\(actual : ([\\d.]+)\\)")
        .matcher(out);
    assertTrue(m.find(), SimulationRunner.tail(out));
    assertTrue(Integer.parseInt(m.group(1)) > 0);
    assertEquals(10.0, Double.parseDouble(m.group(2)), 1.5, "the emulator's 100 tokens/s: 10 ms between tokens");
  }

  @Test
  void objectivesThatHoldPass(@TempDir Path dir) throws Exception {
    var r = SimulationRunner.run("io.llmload.simulations.ConstantUsers",
        with("slo.ttft.p95", "2s", "slo.tpot.p99", "1s", "slo.errorRate", "1%"), dir, Duration.ofSeconds(120));
    assertEquals(0, r.exitCode(), SimulationRunner.tail(r.output()));
    judgedAsGatlingJudged(r);
  }

  /**
   * The open model hides no wait: 10 arrivals/s with a cap of 1 against requests of ~200 ms, so
   * arrivals queue behind the cap for up to a second. TTFT from the send stays near 50 ms; the
   * TTFT a user waiting since the scheduled instant sees does not, and that is what Gatling's
   * rows, the p95 objective and goodput judge.
   */
  @Test
  void anOpenRunWhoseCapMakesArrivalsWaitFailsItsTtftObjective(@TempDir Path dir) throws Exception {
    Map<String, String> p = new java.util.HashMap<>(Map.of(
        "rate", "10", "duration", "1500ms", "arrival", "constant", "maxConcurrency", "1", "maxTokens", "4",
        "emulator.mode", "fixed-rate", "emulator.tokensPerSecond", "20", "slo.ttft.p95", "400ms", "slo.ttft", "400ms"));
    p.put("console.period", "0s");
    var r = SimulationRunner.run("io.llmload.simulations.ArrivalRate", p, dir, Duration.ofSeconds(120));
    String out = r.output();
    assertNotEquals(0, r.exitCode(), "the breached objective fails the run");
    assertTrue(out.contains("chat ttft: 95th percentile of response time is less than or equal to 400.0 : false"), out);
    var summary = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.runFolder().resolve("summary.json").toFile());
    var phase = summary.get("phases").get(0);
    assertEquals(15, phase.get("requests").asInt());
    assertTrue(phase.get("ttft_ms").get("p95").asDouble() < 400, "TTFT from the send is named as such and met: " + phase);
    assertTrue(phase.get("ttft_from_scheduled_ms").get("p95").asDouble() > 400, phase.toString());
    assertTrue(phase.get("good_fraction").asDouble() < 0.5, "goodput counts the wait: " + phase.get("good_fraction"));
    judgedAsGatlingJudged(r); // open model: rows from the scheduled instant
  }
}
