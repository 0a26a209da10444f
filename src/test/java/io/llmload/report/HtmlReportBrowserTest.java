package io.llmload.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile server and model text goes through the aggregator into report.html, which a real
 * headless Chromium then loads: nothing may execute, every chart must draw every point, and the
 * console must stay free of errors.
 */
class HtmlReportBrowserTest {
  static final String PAYLOAD =
      "<script>window.__pwned=1</script><img src=x onerror=\"window.__pwned=2\">'\"&amp;</script>";

  @TempDir Path tmp;

  private Path hostileRun() throws Exception {
    SyntheticRun s = new SyntheticRun();
    s.levels = new int[] {1, 2, 4};
    s.phaseSeconds = 4;
    s.failShare = 0.2;
    s.payload = PAYLOAD;
    Path run = s.write(tmp.resolve("hostile-run"));
    Aggregator.aggregate(List.of(run), run, ReportOptions.defaults().sloTtft(java.time.Duration.ofMillis(40)));
    return run;
  }

  @Test
  void rawHtmlCarriesThePayloadOnlyEscaped() throws Exception {
    Path run = hostileRun();
    String html = Files.readString(run.resolve("report.html"));
    assertFalse(html.contains("<script>window.__pwned"), "payload script tag must not survive");
    assertFalse(html.contains("<img"), "payload img tag must not survive");
    assertTrue(html.contains("&lt;script&gt;window.__pwned=1&lt;/script&gt;"), "payload shown as text");
    String md = Files.readString(run.resolve("report.md"));
    assertFalse(md.contains("<script>"), "Markdown renderers pass raw HTML through");
    assertFalse(md.contains("<img"));
  }

  @Test
  void chromiumRendersEveryChartAndRunsNoInjectedCode() throws Exception {
    Chromium chromium = Chromium.require();
    Path run = hostileRun();
    Path html = run.resolve("report.html");
    String dom = chromium.dumpDom(html, tmp.resolve("profile"));
    Matcher m = Pattern.compile("<div id=\"render-check\" hidden=\"\">(.*?)</div>", Pattern.DOTALL).matcher(dom);
    assertTrue(m.find(), "render check missing from the DOM; chromium output starts: "
        + dom.substring(0, Math.min(300, dom.length())));
    String text = m.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&");
    JsonNode check = new ObjectMapper().readTree(text);
    assertEquals(0, check.path("errors").size(), "console errors: " + check.path("errors"));
    assertTrue(check.path("injected").isNull(), "injected code ran: " + check.path("injected"));
    assertEquals(4, check.path("scripts").asInt(), "only the report's own four scripts");
    assertEquals(0, check.path("images").asInt());
    assertTrue(dom.contains("&lt;script&gt;window.__pwned=1&lt;/script&gt;"), "payload present as text");

    JsonNode summary = new ObjectMapper().readTree(run.resolve("summary.json").toFile());
    String page = Files.readString(html);
    Matcher d = Pattern.compile("<script type=\"application/json\" id=\"report-data\">(.*?)</script>", Pattern.DOTALL)
        .matcher(page);
    assertTrue(d.find());
    JsonNode data = new ObjectMapper().readTree(d.group(1));
    int levels = summary.path("phases").size();
    int times = data.path("series").path("t_s").size();
    int bins = data.path("distribution").path("bin_start").size();
    assertTrue(times > 10, "timeline has points: " + times);
    Map<String, Integer> expected = new HashMap<>(Map.of("throughput-vs-level", levels, "ttft-vs-level", levels,
        "tpot-vs-level", levels, "timeline", times, "gpu-timeline", times, "token-speed", bins));
    for (String dist : Distributions.METRICS) {
      expected.put(Distributions.chartId(dist), data.path("distributions").path(dist).path("bin_start").size());
    }
    assertEquals(11, check.path("charts").size(), check.toString());
    for (JsonNode c : check.path("charts")) {
      Integer want = expected.remove(c.path("id").asText());
      assertTrue(want != null, "unexpected chart " + c);
      assertTrue(c.path("datasets").size() > 0, "chart without datasets: " + c);
      for (JsonNode ds : c.path("datasets")) {
        assertEquals(want.intValue(), ds.path("points").asInt(), c.path("id") + " " + ds);
        assertEquals(want.intValue(), ds.path("drawn").asInt(), "drawn points " + c.path("id") + " " + ds);
      }
    }
    assertTrue(expected.isEmpty(), "charts missing: " + expected.keySet());

    // A picture for a human to look at (target/ is not committed).
    Path shot = Path.of("target", "report-screenshot.png");
    Files.createDirectories(shot.getParent());
    chromium.screenshot(html, tmp.resolve("profile2"), shot, 1400, 2600);
    assertTrue(Files.size(shot) > 20_000, "screenshot written");
  }
}
