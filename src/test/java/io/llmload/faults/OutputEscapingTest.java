package io.llmload.faults;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmload.testing.SimulationRunner;
import io.llmload.testsims.HostileOutput;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model output is untrusted: a script payload the (synthetic) model sends, carried into the record's
 * error by a content check, must never reach an HTML or Markdown page as markup.
 */
class OutputEscapingTest {

  @Test
  void aScriptPayloadFromTheModelIsNeverRenderedAsMarkup(@TempDir Path dir) throws Exception {
    var r =
        SimulationRunner.run(
            "io.llmload.testsims.HostileOutput",
            Map.of("maxTokens", "64", "emulator.mode", "fixed-rate", "emulator.tokensPerSecond", "500"),
            dir,
            Duration.ofSeconds(90));
    assertEquals(0, r.exitCode(), SimulationRunner.tail(r.output()));
    Path run = r.runFolder();
    List<String> lines = Files.readAllLines(run.resolve("requests.jsonl"));
    assertEquals(2, lines.size());
    for (String l : lines) {
      JsonNode n = new ObjectMapper().readTree(l);
      assertEquals("check_failed", n.get("status").asText());
      // the payload did reach the failure message, so the pages below had it to render
      assertTrue(n.get("error").asText().contains("<script>window.__pwned=1</script>"), n.toString());
    }
    assertArrayEquals(new long[] {2, 0, 2}, r.gatlingCount("chat"));

    List<String> raw = new ArrayList<>();
    List<String> shown = new ArrayList<>();
    try (Stream<Path> files = Files.walk(run)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String name = f.getFileName().toString();
        if (!name.endsWith(".html") && !name.endsWith(".md")) continue;
        String text = Files.readString(f, StandardCharsets.UTF_8);
        if (text.contains("<script>window.__pwned") || text.contains("<img src=x")) raw.add(run.relativize(f).toString());
        if (text.contains("&lt;script&gt;window.__pwned")) shown.add(name);
      }
    }
    assertTrue(Files.exists(run.resolve("index.html")) && Files.exists(run.resolve("report.html")), "both reports exist");
    // Gatling's KO message names the failed check without what was found (one error row per check),
    // so the model's text reaches the record and the suite's report, never Gatling's pages
    assertTrue(shown.contains("report.html"), "the suite's report shows the record's error as text: " + shown);
    assertFalse(shown.contains("index.html"), "Gatling's report carries no model output: " + shown);
    assertTrue(raw.isEmpty(), "payload rendered as markup in " + raw + " (" + HostileOutput.PAYLOAD + ")");
  }
}
