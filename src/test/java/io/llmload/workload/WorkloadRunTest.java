package io.llmload.workload;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmload.testing.SimulationRunner;
import io.llmload.wire.Protocol;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The feeder driving a real run against the embedded emulator, in a forked JVM. */
class WorkloadRunTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void recordsFollowTheSyntheticWorkload(@TempDir Path dir) throws Exception {
    Map<String, String> props = Map.of(
        "workload", "synthetic", "input", "uniform:20,200", "output", "uniform:4,24", "seed", "3",
        "test.requests", "12", "emulator.profile", "h100-llamacpp-8b");
    var r = SimulationRunner.run("io.llmload.testsims.WorkloadChat", props, dir, Duration.ofSeconds(120));
    assertEquals(0, r.exitCode(), SimulationRunner.tail(r.output()));
    List<String> lines = Files.readAllLines(r.runFolder().resolve("requests.jsonl"));
    assertEquals(12, lines.size());

    // The same properties in-process give the records the run was fed.
    Workload w = WorkloadFixtures.build(Protocol.OPENAI_CHAT,
        "workload", "synthetic", "input", "uniform:20,200", "output", "uniform:4,24", "seed", "3");
    List<String> expected = new ArrayList<>();
    for (Map<String, Object> rec : WorkloadFixtures.take(w, 12)) expected.add(rec.get("maxTokens") + "/" + rec.get("inputTokens"));
    List<String> actual = new ArrayList<>();
    for (String line : lines) {
      JsonNode n = JSON.readTree(line);
      assertEquals("ok", n.get("status").asText(), line);
      assertEquals(n.get("max_tokens").asInt(), n.get("output_tokens").asInt(), "the emulator generated the asked length");
      actual.add(n.get("max_tokens").asInt() + "/" + n.get("prompt_tokens").asInt());
    }
    // requests.jsonl is in completion order
    expected.sort(null);
    actual.sort(null);
    assertEquals(expected, actual);
    assertTrue(new java.util.HashSet<>(actual).size() > 6, "lengths vary: " + actual);

    JsonNode runJson = JSON.readTree(r.runFolder().resolve("run.json").toFile());
    assertEquals("uniform:20,200", runJson.get("parameters").get("input").asText());
    assertEquals("synthetic", runJson.get("workload").get("kind").asText());
  }

  @Test
  void traceRequestsStartAtTheirScaledOffsets(@TempDir Path dir) throws Exception {
    Map<String, String> props = Map.of(
        "workload", "trace", "trace", WorkloadFixtures.sample("trace-synthetic.jsonl"), "trace.timeScale", "0.5",
        "emulator.profile", "h100-llamacpp-8b");
    var r = SimulationRunner.run("io.llmload.testsims.TraceReplayChat", props, dir, Duration.ofSeconds(120));
    assertEquals(0, r.exitCode(), SimulationRunner.tail(r.output()));
    List<String> lines = Files.readAllLines(r.runFolder().resolve("requests.jsonl"));
    assertEquals(5, lines.size());
    // trace lines as output/input lengths -> offset after the first, x 0.5
    Map<String, Long> due = Map.of("20/600", 0L, "40/700", 125L, "10/100", 125L, "8/1200", 500L, "64/50", 2000L);
    Map<String, Long> scheduled = new java.util.HashMap<>();
    for (String line : lines) {
      JsonNode n = JSON.readTree(line);
      assertEquals("ok", n.get("status").asText(), line);
      scheduled.put(n.get("max_tokens").asInt() + "/" + n.get("prompt_tokens").asInt(), n.get("scheduled_epoch_us").asLong());
    }
    assertEquals(due.keySet(), scheduled.keySet(), "each trace line sent once with its lengths");
    // The injection start is not in the records: take the median of scheduled - due as the origin,
    // so one late user (the first often is, while Gatling warms up) shows as late, not as a shift.
    long[] d = due.keySet().stream().mapToLong(k -> scheduled.get(k) - due.get(k) * 1000).sorted().toArray();
    long origin = d[d.length / 2];
    for (Map.Entry<String, Long> e : due.entrySet()) {
      double offsetMs = (scheduled.get(e.getKey()) - origin) / 1000.0;
      System.out.printf(java.util.Locale.ROOT, "trace line %s: due %d ms, scheduled %.1f ms%n", e.getKey(), e.getValue(), offsetMs);
      if (e.getValue() == 0) {
        // the very first user waits for Gatling's first-request warm-up (seen: 30 to 180 ms late)
        assertTrue(offsetMs > -60 && offsetMs < 500, "first line started at " + offsetMs + " ms");
      } else {
        assertEquals(e.getValue(), offsetMs, 60, "line " + e.getKey() + " started at " + offsetMs + " ms");
      }
    }
  }

  @Test
  void aBadWorkloadStopsBeforeLoadWithOneLine(@TempDir Path dir) throws Exception {
    var r = SimulationRunner.run("io.llmload.testsims.WorkloadChat",
        Map.of("workload", "synthetic", "input", "gauss:1"), dir, Duration.ofSeconds(60));
    assertEquals(2, r.exitCode());
    assertTrue(r.output().contains(
        "llm-load-suite: input: 'gauss:1' is not one of fixed:N, uniform:A,B, normal:MEAN,SD, lognormal:MU,SIGMA"), r.output());
    assertFalse(r.output().contains("\tat "), r.output());
    assertFalse(r.output().contains("---- Requests"), "no load was started");
  }
}
