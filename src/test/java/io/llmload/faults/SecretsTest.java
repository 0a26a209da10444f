package io.llmload.faults;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmload.testing.SimulationRunner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A secret marker fed in every way (API-key environment variable, extra headers, a -D property, a
 * watched server's command line, user info in a metrics URL) must appear nowhere: not in any file
 * of the results folder (run folder, Gatling's HTML and js, staging, LATEST) nor in the output.
 */
class SecretsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aSecretNeverLandsInFilesOrOutput(@TempDir Path dir) throws Exception {
    String marker = "sk-marker-" + UUID.randomUUID().toString().replace("-", "");
    // A stand-in for an inference server started with --api-key: its command line holds the secret.
    Path script = dir.resolve("fake-vllm-serve.sh");
    Files.writeString(script, "#!/bin/sh\nsleep 60\nexit 0\n");
    Process server = new ProcessBuilder("sh", script.toString(), "--api-key", marker, "--port", "8000").start();
    SimulationRunner.Result r;
    try (SyntheticOpenAiServer target = new SyntheticOpenAiServer(null)) {
      String metrics = target.url().replace("http://", "http://scraper:" + marker + "@") + "/metrics";
      r =
          SimulationRunner.run(
              "io.llmload.simulations.ConstantUsers",
              Map.of(
                  "target", target.url(),
                  "collector.metrics", metrics,
                  "users", "2",
                  "duration", "2s",
                  "maxTokens", "8",
                  "apiKeyEnv", "LLMLOAD_TEST_KEY",
                  "headers", "Authorization: Bearer " + marker + "; X-Api-Key: " + marker + "; X-Team: perf",
                  "hfToken", marker,
                  "collector.process", "fake-vllm-serve",
                  "collector.hostPeriod", "200ms"),
              dir.resolve("results"),
              Duration.ofSeconds(120),
              Map.ofEntries(java.util.Map.entry("LLMLOAD_TEST_KEY", marker)));
      // The target did receive the credentials: hiding them must not mean dropping them.
      List<SyntheticOpenAiServer.Seen> chats =
          target.seen().stream().filter(x -> x.path().equals("/v1/chat/completions")).toList();
      assertFalse(chats.isEmpty(), "chat requests reached the target");
      for (SyntheticOpenAiServer.Seen x : chats) {
        assertEquals(List.of("Bearer " + marker), x.headers().get("authorization"));
        assertEquals(List.of(marker), x.headers().get("x-api-key"));
      }
      assertTrue(target.seen().stream().anyMatch(x -> x.path().equals("/metrics")), "the metrics endpoint was scraped");
    } finally {
      server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    assertEquals(0, r.exitCode(), SimulationRunner.tail(r.output()));
    Path run = r.runFolder();
    assertNotNull(run);

    // The secrets did reach the run: the process was watched and the extra headers were taken.
    Path processCsv = run.resolve("hardware").resolve("process.csv");
    assertTrue(Files.exists(processCsv) && Files.readAllLines(processCsv).size() >= 2, "the fake server was sampled");
    JsonNode collector = JSON.readTree(run.resolve("hardware").resolve("collector.json").toFile());
    String processes = collector.path("processes").toString();
    assertTrue(processes.contains("fake-vllm-serve") && processes.contains("--api-key"), processes);
    String shownHeaders = JSON.readTree(run.resolve("run.json").toFile()).path("parameters").path("headers").asText();
    assertEquals("Authorization: ***; X-Api-Key: ***; X-Team: perf", shownHeaders);
    long ok = Files.readAllLines(run.resolve("requests.jsonl")).stream().filter(l -> l.contains("\"status\":\"ok\"")).count();
    assertTrue(ok >= 2, "requests went through with the key and headers: " + ok);

    List<String> leaks = new ArrayList<>();
    try (Stream<Path> files = Files.walk(dir.resolve("results"))) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
        if (text.contains(marker)) leaks.add(dir.relativize(f).toString());
      }
    }
    assertTrue(leaks.isEmpty(), "the secret is in " + leaks);
    assertFalse(r.output().contains(marker), "the secret is in the output:\n" + SimulationRunner.tail(r.output()));
  }
}
