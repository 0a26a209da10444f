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
    double lo = ttft.path("bin_start").get(0).asDouble();
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
    assertEquals(List.of("timeline", "token-speed", "ttft-dist", "itl-dist", "e2e-dist", "prompt-tokens-dist",
        "output-tokens-dist"), drawn);
    Path shot = Path.of("target", "single-level-report.png");
    Files.createDirectories(shot.getParent());
    chromium.screenshot(run.resolve("report.html"), tmp.resolve("profile2"), shot, 1400, 2000);
    assertTrue(Files.size(shot) > 20_000, "screenshot written");
  }

  /**
   * Prompt and output lengths: ok measured requests of known, varied lengths (written here), binned
   * by the test itself (four bins per octave: bin ⌊4·log2 n⌋) from requests.jsonl, equal the chart's
   * counts bin by bin; a failed request's lengths and a warm-up request's are not drawn.
   */
  @Test
  void promptAndOutputLengthsAreDrawnBinByBin() throws Exception {
    Path run = tmp.resolve("lengths");
    Files.createDirectories(run);
    long t0 = 1_800_000_000_000_000L;
    Files.writeString(run.resolve("run.json"), "{\"schema\":1,\"complete\":true,\"note\":\"SYNTHETIC\",\"phases\":[{\"name\":\"c2\","
        + "\"level\":2,\"start_epoch_us\":" + t0 + ",\"warmup_end_epoch_us\":" + t0 + ",\"end_epoch_us\":" + (t0 + 60_000_000L) + "}]}");
    StringBuilder b = new StringBuilder();
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(7);
    java.util.Map<Integer, Long> promptBins = new java.util.TreeMap<>(), outputBins = new java.util.TreeMap<>();
    for (int i = 0; i < 400; i++) {
      // 2 to ~2,000 tokens, log-uniform (below 2,048 the histogram holds every length exactly)
      int prompt = 1 + (int) Math.round(Math.exp(rnd.nextDouble(0, 7.6)));
      int output = 1 + rnd.nextInt(700);
      String status = i % 25 == 0 ? "http_error" : "ok";
      boolean warmup = i % 40 == 1;
      b.append(String.format(java.util.Locale.ROOT, "{\"phase\":\"c2\",\"level\":2,\"warmup\":%s,\"status\":\"%s\","
          + "\"sent_epoch_us\":%d,\"ttft_ms\":50,\"last_token_ms\":900,\"e2e_ms\":900,\"prompt_tokens\":%d,"
          + "\"output_tokens\":%d}%n", warmup, status, t0 + 1_000_000L + i * 100_000L, prompt, output));
      if (!warmup && status.equals("ok")) {
        promptBins.merge(bin(prompt), 1L, Long::sum);
        outputBins.merge(bin(output), 1L, Long::sum);
      }
    }
    Files.writeString(run.resolve("requests.jsonl"), b);
    Aggregator.aggregate(List.of(run), run, ReportOptions.defaults().pngCharts(false));
    JsonNode data = reportData(Files.readString(run.resolve("report.html")));
    assertEquals(promptBins, chartBins(data.path("distributions").path("prompt_tokens")), "prompt lengths");
    assertEquals(outputBins, chartBins(data.path("distributions").path("output_tokens")), "output lengths");
  }

  private static int bin(long tokens) {
    return (int) Math.floor(Math.log(tokens) / Math.log(2) * 4 + 1e-9);
  }

  /** The chart's non-empty bins, keyed by the bin of their start. */
  private static java.util.Map<Integer, Long> chartBins(JsonNode d) {
    java.util.Map<Integer, Long> out = new java.util.TreeMap<>();
    JsonNode counts = d.path("phases").get(0).path("counts");
    for (int i = 0; i < counts.size(); i++) {
      if (counts.get(i).asLong() == 0) continue;
      // a bin's start is 2^(k/4), rounded for display: k from it
      int k = (int) Math.round(Math.log(d.path("bin_start").get(i).asDouble()) / Math.log(2) * 4);
      out.put(k, counts.get(i).asLong());
    }
    return out;
  }

  private static JsonNode reportData(String page) throws Exception {
    Matcher d = Pattern.compile("<script type=\"application/json\" id=\"report-data\">(.*?)</script>", Pattern.DOTALL)
        .matcher(page);
    assertTrue(d.find());
    return JSON.readTree(d.group(1));
  }
}
