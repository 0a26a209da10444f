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

    JsonNode params = JSON.readTree(r.runFolder().resolve("run.json").toFile()).get("parameters");
    assertEquals("uniform:20,200", params.get("input").asText());
    assertEquals("synthetic", params.get("workload.description").get("kind").asText());
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
