package io.llmload.faults;

import static org.junit.jupiter.api.Assertions.*;

import io.llmload.testing.SimulationRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Wrong values for the parameters the end-to-end tests leave out (users, duration, target,
 * protocol, maxTokens, levels, arrival and rate are in ConstantUsersRunTest and LoadModelsTest):
 * each stops the run before any load with one line naming the parameter and what is allowed.
 * {@code @BASELINE_DIR@} stands for a folder of synthetic baselines and prompt files this test writes.
 */
class BadInputTest {

  @ParameterizedTest(name = "{0} {1}={2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "ConstantUsers|ramp|-2s|ramp: '-2s' is negative; use e.g. 500ms, 30s, 2m",
        "ConstantUsers|timeout|0s|timeout: must be greater than 0, e.g. 30s",
        "ConstantUsers|idleTimeout|soon|idleTimeout: 'soon' is not a duration; use e.g. 500ms, 30s, 1.5s, 2m or 1h",
        "ArrivalRate|maxConcurrency|0|maxConcurrency: 0 is out of range; allowed: a whole number >= 1",
        "ConstantUsers|headers|NoColonHere|headers: 'NoColonHere' is not 'Name: value'; separate headers with ';'",
        "ConstantUsers|slo.ttft.p95|fast|slo.ttft.p95: 'fast' is not a duration; use e.g. 500ms, 30s, 1.5s, 2m or 1h",
        "ConstantUsers|slo.errorRate|150%|slo.errorRate: 150% is outside 0% to 100%",
        "ConstantUsers|emulator.maxBatch|zero|emulator.maxBatch: 'zero' is not allowed, expected >= 1 or 'unlimited'",
        "ConstantUsers|emulator.profile|nope|emulator.profile: 'nope' is not a profile, expected one of seeds-7b, dev-batch8, prod-batch64, h100-llamacpp-8b, fixed-rate",
        "ConstantUsers|collector|sometimes|collector: expected auto, on or off, got 'sometimes'",
        "ConstantUsers|collector.gpus|first|collector.gpus: 'first' is not a GPU index or UUID",
        "ConstantUsers|collector.hostPeriod|5ms|collector.hostPeriod: expected a period between 10ms and 60s, got 5ms",
        "ConstantUsers|collector.metrics|notaurl|collector.metrics: expected an http:// or https:// URL, got 'notaurl'",
        "ConstantUsers|tls.insecure|maybe|tls.insecure: 'maybe' is not a boolean; allowed: true, false",
        "ConstantUsers|baseline|@BASELINE_DIR@/missing.json|baseline: @BASELINE_DIR@/missing.json does not exist (expected a run folder or a summary.json)",
        "ConstantUsers|baseline|@BASELINE_DIR@/corrupt.json|baseline: @BASELINE_DIR@/corrupt.json is not valid JSON at line 1, column 14",
        "ConstantUsers|baseline|@BASELINE_DIR@/ramp.json|baseline: @BASELINE_DIR@/ramp.json is a run of io.llmload.simulations.RampUsers, not io.llmload.simulations.ConstantUsers (pass -Dgate.force=true to compare anyway)",
        "ConstantUsers|gate.alpha|often|gate.alpha=often: expected a number",
        "ConstantUsers|shards|0|shards: 0 is out of range; allowed: >= 1",
        "ArrivalRate|shard|2|shard: 2 given without -Dshards=N; allowed: both or neither",
        "ConcurrencySweep|startAt|noon|startAt: 'noon' is neither epoch milliseconds nor an ISO-8601 instant such as 2026-12-04T21:00:00Z",
        "testsims.WorkloadChat|prompts|@BASELINE_DIR@/missing.jsonl|prompts: file '@BASELINE_DIR@/missing.jsonl' not found",
        "testsims.WorkloadChat|prompts|@BASELINE_DIR@/bad.jsonl|prompts: @BASELINE_DIR@/bad.jsonl line 1: not a JSON object with \"prompt\" or \"messages\"",
        "ConstantUsers|stream|false|slo.ttft.p95: a non-streaming run (stream=false) has no TTFT; allowed objectives: slo.e2e.pNN, slo.errorRate",
        "ConstantUsers|images|@BASELINE_DIR@/bad.jsonl|images: '@BASELINE_DIR@/bad.jsonl' is not a PNG or JPEG image",
        "ConstantUsers|rerank.documents|0|rerank.documents: 0 is out of range; allowed: a whole number >= 1",
        "ConstantUsers|encodingFormat|int8|encodingFormat: 'int8' is not one of float, base64",
        "CapacitySearch|precision|0%|precision: 0% is out of range; allowed: 1% to 50%, e.g. 10%",
      })
  void aWrongValueStopsBeforeLoadWithOneLine(String sim, String name, String value, String expected, @TempDir Path dir)
      throws Exception {
    Path baselines = Files.createDirectories(dir.resolve("baselines"));
    // SYNTHETIC baselines: just enough to be read before the load starts.
    Files.writeString(baselines.resolve("corrupt.json"), "{\"schema\":1, broken");
    Files.writeString(baselines.resolve("ramp.json"), "{\"schema\":1,\"run\":{\"simulation\":\"io.llmload.simulations.RampUsers\"}}");
    Files.writeString(baselines.resolve("same.json"), "{\"schema\":1,\"run\":{\"simulation\":\"io.llmload.simulations.ConstantUsers\"}}");
    String v = value.replace("@BASELINE_DIR@", baselines.toString());
    Files.writeString(baselines.resolve("bad.jsonl"), "not json at all\n");
    Map<String, String> props =
        name.startsWith("gate.") ? Map.of(name, v, "baseline", baselines.resolve("same.json").toString())
            : name.equals("prompts") ? Map.of(name, v, "workload", "file")
            // issue #22: a TTFT objective on whole answers; the options of embeddings and rerank
            : name.equals("stream") ? Map.of(name, v, "slo.ttft.p95", "2s")
            : name.startsWith("rerank.") ? Map.of(name, v, "protocol", "rerank")
            : name.equals("encodingFormat") ? Map.of(name, v, "protocol", "openai-embeddings")
            : Map.of(name, v);
    String simClass = sim.contains(".") ? "io.llmload." + sim : "io.llmload.simulations." + sim;
    var r = SimulationRunner.run(simClass, props, dir.resolve("results"), Duration.ofSeconds(60));
    String line = "llm-load-suite: " + expected.replace("@BASELINE_DIR@", baselines.toString());
    assertEquals(2, r.exitCode(), r.output());
    assertTrue(r.output().contains(line), "expected '" + line + "' in:\n" + SimulationRunner.tail(r.output()));
    assertEquals(1, r.output().lines().filter(l -> l.startsWith("llm-load-suite: ")).count(), "one line");
    assertFalse(r.output().contains("\tat "), "no stack trace:\n" + r.output());
    assertFalse(r.output().contains("---- Requests"), "no load was started");
  }
}
