package io.llmload.e2e;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmload.testing.SimulationRunner;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The main job end to end: the default simulation against the embedded emulator. */
class ConstantUsersRunTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aRunLeavesReportRecordsAndRunJson(@TempDir Path dir) throws Exception {
    var r =
        SimulationRunner.run(
            "io.llmload.simulations.ConstantUsers",
            Map.of("users", "4", "duration", "3s", "maxTokens", "16", "emulator.profile", "h100-llamacpp-8b",
                "headers", "X-Team: perf; Authorization: Bearer sk-test-marker-123"),
            dir,
            Duration.ofSeconds(120));
    assertEquals(0, r.exitCode(), SimulationRunner.tail(r.output()));
    Path run = r.runFolder();
    assertNotNull(run, "LATEST names the run folder");
    assertTrue(run.getFileName().toString().startsWith("constantusers-"));
    assertTrue(Files.exists(run.resolve("index.html")), "Gatling's HTML report");

    List<String> lines = Files.readAllLines(run.resolve("requests.jsonl"));
    long[] chat = r.gatlingCount("chat");
    long[] ttft = r.gatlingCount("chat ttft");
    assertNotNull(chat, "Gatling has a row for the request");
    assertNotNull(ttft, "Gatling has a TTFT row");
    assertEquals(chat[0], lines.size(), "one record per request Gatling counted");
    assertEquals(0, chat[2], "no failed request");
    assertTrue(lines.size() >= 8, "requests: " + lines.size());
    for (String line : lines) {
      JsonNode n = JSON.readTree(line);
      assertEquals("ok", n.get("status").asText());
      assertEquals("c4", n.get("phase").asText());
      assertEquals(16, n.get("output_tokens").asInt());
      assertTrue(n.get("ttft_ms").asDouble() > 0);
      assertTrue(n.get("e2e_ms").asDouble() >= n.get("ttft_ms").asDouble());
      assertTrue(n.get("sent_epoch_us").asLong() >= n.get("scheduled_epoch_us").asLong());
    }

    JsonNode runJson = JSON.readTree(run.resolve("run.json").toFile());
    assertTrue(runJson.get("complete").asBoolean());
    assertEquals("openai-chat", runJson.get("protocol").asText());
    assertEquals("/v1/models", runJson.get("server").get("path").asText());
    assertTrue(runJson.get("emulator").get("synthetic").asBoolean());
    assertEquals(4, runJson.get("parameters").get("users").asInt());
    assertEquals(1, runJson.get("phases").size());
    String all = Files.readString(run.resolve("run.json")) + String.join("\n", lines);
    assertFalse(all.contains("sk-test-marker-123"), "an Authorization header given as an extra header is masked");
    assertTrue(runJson.get("parameters").get("headers").asText().contains("X-Team: perf"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "users|abc|users: 'abc' is not a whole number",
        "users|0|users: 0 is out of range",
        "duration|-1s|duration: '-1s' is negative",
        "target|notaurl|target: 'notaurl' is not an http:// or https:// URL",
        "protocol|grpc|protocol: 'grpc' is not one of openai-chat",
        "maxTokens|many|maxTokens: 'many' is not a whole number"
      })
  void badParametersStopBeforeLoadWithOneLine(String name, String value, String expected, @TempDir Path dir)
      throws Exception {
    var r = SimulationRunner.run("io.llmload.simulations.ConstantUsers", Map.of(name, value), dir, Duration.ofSeconds(60));
    assertNotEquals(0, r.exitCode());
    assertTrue(r.output().contains("llm-load-suite: " + expected), r.output());
    assertFalse(r.output().contains("\tat "), "no stack trace:\n" + r.output());
    assertFalse(r.output().contains("---- Requests"), "no load was started");
  }

  @Test
  void anUnknownSimulationIsOneLine(@TempDir Path dir) throws Exception {
    var r = SimulationRunner.run("io.llmload.simulations.Nope", Map.of(), dir, Duration.ofSeconds(60));
    assertNotEquals(0, r.exitCode());
    assertTrue(r.output().contains("llm-load-suite: gatling.simulationClass: 'io.llmload.simulations.Nope' is not a simulation; available: "), r.output());
    assertTrue(r.output().contains("io.llmload.simulations.ConcurrencySweep"), "the simulations there are are listed");
    assertFalse(r.output().contains("\tat "), "no stack trace:\n" + r.output());
  }

  @Test
  void aTargetNobodyListensOnStopsBeforeLoad(@TempDir Path dir) throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    var r =
        SimulationRunner.run(
            "io.llmload.simulations.ConstantUsers", Map.of("target", "http://127.0.0.1:" + port), dir, Duration.ofSeconds(60));
    assertNotEquals(0, r.exitCode());
    assertTrue(r.output().contains("llm-load-suite: target: nobody listens at http://127.0.0.1:" + port), r.output());
    assertFalse(r.output().contains("\tat "), r.output());
  }
}
