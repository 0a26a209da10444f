package io.llmload.report;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmload.testing.SimulationRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end: hostile text from the server (its model name, echoed in /v1/models, run.json and
 * every record) and from the user (the prompt) goes through a real run against the emulator into
 * report.html, which headless Chromium loads: nothing may execute.
 */
class EmulatorPayloadReportTest {
  private static final String PAYLOAD = "<script>window.__pwned=1</script><img src=x onerror=\"window.__pwned=2\">";

  @Test
  void serverTextThroughARealRunStaysInert(@TempDir Path dir) throws Exception {
    var r =
        SimulationRunner.run(
            "io.llmload.simulations.ConstantUsers",
            Map.of("users", "2", "duration", "2s", "maxTokens", "8", "emulator.model", PAYLOAD, "prompt", PAYLOAD,
                "emulator.mode", "fixed-rate", "emulator.tokensPerSecond", "100"),
            dir,
            Duration.ofSeconds(120));
    assertEquals(0, r.exitCode(), SimulationRunner.tail(r.output()));
    Path run = r.runFolder();
    JsonNode runJson = new ObjectMapper().readTree(run.resolve("run.json").toFile());
    assertEquals(PAYLOAD, runJson.get("model").asText(), "the payload really went through the server");
    String html = Files.readString(run.resolve("report.html"));
    assertFalse(html.contains("<script>window.__pwned"), "payload script tag must not survive");
    assertFalse(html.contains("<img src=x"), "payload img tag must not survive");

    Chromium chromium = Chromium.require();
    String dom = chromium.dumpDom(run.resolve("report.html"), dir.resolve("profile"));
    Matcher m = Pattern.compile("<div id=\"render-check\" hidden=\"\">(.*?)</div>", Pattern.DOTALL).matcher(dom);
    assertTrue(m.find(), "render check missing from the DOM");
    String text = m.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&");
    JsonNode check = new ObjectMapper().readTree(text);
    assertTrue(check.path("injected").isNull(), "injected code ran: " + check.path("injected"));
    assertEquals(0, check.path("errors").size(), "console errors: " + check.path("errors"));
    assertEquals(0, check.path("images").asInt());
    assertTrue(dom.contains("&lt;script&gt;window.__pwned=1&lt;/script&gt;"), "payload shown as text");
  }
}
