package io.llmload.report;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A single-level run without GPU data: the report draws TTFT, ITL and E2E distributions and the
 * timeline, not "against level" charts of one point nor an empty GPU chart; every ok measured
 * request (counted from requests.jsonl itself) is in the TTFT distribution.
 */
class DistributionsReportTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path tmp;

  @Test
  void aSingleLevelRunShowsDistributionsInsteadOfOnePointCharts() throws Exception {
    SyntheticRun s = new SyntheticRun();
    s.levels = new int[] {4};
    s.phaseSeconds = 5;
    s.gpu = false;
    Path run = s.write(tmp.resolve("one-level"));
    Aggregator.aggregate(List.of(run), run, ReportOptions.defaults());

    long okMeasured = 0;
    for (String line : Files.readAllLines(run.resolve("requests.jsonl"))) {
      JsonNode n = JSON.readTree(line);
      if ("ok".equals(n.path("status").asText()) && !n.path("warmup").asBoolean()) okMeasured++;
    }
    JsonNode data = reportData(Files.readString(run.resolve("report.html")));
    JsonNode ttft = data.path("distributions").path("ttft_ms");
    long sum = 0;
    for (JsonNode c : ttft.path("phases").get(0).path("counts")) sum += c.asLong();
    assertEquals(okMeasured, sum, "every ok measured request in the TTFT distribution");
    double lo = ttft.path("bin_start_ms").get(0).asDouble();
    assertTrue(lo <= SyntheticRun.ttftMs(4) * 1.2, "bins start at or below the TTFT the run was written with: " + lo);

    Chromium chromium = Chromium.require();
    String dom = chromium.dumpDom(run.resolve("report.html"), tmp.resolve("profile"));
    Matcher m = Pattern.compile("<div id=\"render-check\" hidden=\"\">(.*?)</div>", Pattern.DOTALL).matcher(dom);
    assertTrue(m.find(), "render check");
    JsonNode check = JSON.readTree(m.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&"));
    assertEquals(0, check.path("errors").size(), "console errors: " + check.path("errors"));
    List<String> drawn = new ArrayList<>(), skipped = new ArrayList<>();
    check.path("charts").forEach(c -> drawn.add(c.path("id").asText()));
    check.path("skipped").forEach(c -> skipped.add(c.asText()));
    assertEquals(List.of("throughput-vs-level", "ttft-vs-level", "tpot-vs-level", "gpu-timeline"), skipped);
    assertEquals(List.of("timeline", "token-speed", "ttft-dist", "itl-dist", "e2e-dist"), drawn);
    Path shot = Path.of("target", "single-level-report.png");
    Files.createDirectories(shot.getParent());
    chromium.screenshot(run.resolve("report.html"), tmp.resolve("profile2"), shot, 1400, 2000);
    assertTrue(Files.size(shot) > 20_000, "screenshot written");
  }

  private static JsonNode reportData(String page) throws Exception {
    Matcher d = Pattern.compile("<script type=\"application/json\" id=\"report-data\">(.*?)</script>", Pattern.DOTALL)
        .matcher(page);
    assertTrue(d.find());
    return JSON.readTree(d.group(1));
  }
}
