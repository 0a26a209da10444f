package io.llmload.faults;

import static org.junit.jupiter.api.Assertions.*;

import io.llmload.testing.SimulationRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Targets as users write them (a base path that repeats the endpoint's {@code /v1}, Azure
 * OpenAI's deployment path with its {@code api-version} query) and API keys in other headers,
 * against a SYNTHETIC OpenAI-compatible server that records what reached it.
 */
class TargetsAndKeysTest {

  @Test
  void aTargetEndingInV1IsNotDoubled(@TempDir Path dir) throws Exception {
    try (SyntheticOpenAiServer server = new SyntheticOpenAiServer(null)) {
      var r = run(server.url() + "/v1", Map.of(), dir, Map.of());
      assertEquals(0, r.exitCode(), SimulationRunner.tail(r.output()));
      List<String> lines = Files.readAllLines(r.runFolder().resolve("requests.jsonl"));
      assertFalse(lines.isEmpty());
      for (String l : lines) assertTrue(l.contains("\"status\":\"ok\""), l);
      assertTrue(server.seen().stream().noneMatch(s -> s.path().startsWith("/v1/v1")), "no /v1/v1");
      assertEquals(lines.size(), server.seen().stream().filter(s -> s.path().equals("/v1/chat/completions")).count());
    }
  }

  @Test
  void azureDeploymentPathQueryAndKeyHeader(@TempDir Path dir) throws Exception {
    String key = "azure-secret-" + System.nanoTime();
    try (SyntheticOpenAiServer server = new SyntheticOpenAiServer(null)) {
      String target = server.url() + "/openai/deployments/synthetic?api-version=2024-10-21";
      var r = run(target, Map.of("apiKeyHeader", "api-key", "model", "synthetic"), dir, Map.of("LLMLOAD_AZURE_KEY", key));
      assertEquals(0, r.exitCode(), SimulationRunner.tail(r.output()));
      var chats = server.seen().stream().filter(s -> s.path().equals("/openai/deployments/synthetic/chat/completions")).toList();
      assertFalse(chats.isEmpty(), "requests reached the deployment path: " + server.seen());
      for (var c : chats) {
        assertEquals("api-version=2024-10-21", c.query());
        assertEquals(List.of(key), c.headers().get("api-key"));
        assertNull(c.headers().get("authorization"), "the key goes in api-key only");
      }
      String runJson = Files.readString(r.runFolder().resolve("run.json"));
      assertTrue(runJson.contains("api-version=2024-10-21"), "the api version is part of the run's identity");
      assertFalse(runJson.contains(key));
      assertFalse(r.output().contains(key));
    }
  }

  @Test
  void reasoningModelsGetMaxCompletionTokens(@TempDir Path dir) throws Exception {
    try (SyntheticOpenAiServer server = new SyntheticOpenAiServer(null)) {
      String target = server.url() + "/reasoning/v1";
      var refused = run(target, Map.of("model", "synthetic"), dir.resolve("a"), Map.of());
      List<String> lines = Files.readAllLines(refused.runFolder().resolve("requests.jsonl"));
      assertFalse(lines.isEmpty());
      for (String l : lines) {
        assertTrue(l.contains("\"status\":\"http_error\"") && l.contains("-DmaxTokensField=max_completion_tokens")
            && l.contains("Unsupported parameter: 'max_tokens'"), "the server's words and what to do: " + l);
      }
      var ok = run(target, Map.of("model", "synthetic", "maxTokensField", "max_completion_tokens"), dir.resolve("b"), Map.of());
      assertEquals(0, ok.exitCode(), SimulationRunner.tail(ok.output()));
      for (String l : Files.readAllLines(ok.runFolder().resolve("requests.jsonl"))) assertTrue(l.contains("\"status\":\"ok\""), l);
    }
  }

  @Test
  void aBadKeyHeaderStopsTheRunInOneLine(@TempDir Path dir) throws Exception {
    try (SyntheticOpenAiServer server = new SyntheticOpenAiServer(null)) {
      var r = run(server.url(), Map.of("apiKeyHeader", "api key"), dir, Map.of());
      assertNotEquals(0, r.exitCode());
      assertTrue(r.output().contains("llm-load-suite: apiKeyHeader: 'api key' is not an HTTP header name"), SimulationRunner.tail(r.output()));
      assertTrue(server.seen().stream().noneMatch(s -> s.path().endsWith("/chat/completions")), "no load");
    }
  }

  private static SimulationRunner.Result run(String target, Map<String, String> extra, Path dir, Map<String, String> env)
      throws Exception {
    var props = new java.util.HashMap<>(Map.of("target", target, "users", "1", "duration", "1s", "maxTokens", "4",
        "console.period", "0s", "apiKeyEnv", "LLMLOAD_AZURE_KEY"));
    props.putAll(extra);
    return SimulationRunner.run("io.llmload.simulations.ConstantUsers", props, dir.resolve("results"), Duration.ofSeconds(90), env);
  }
}
