package io.llmload.report;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmload.compare.CompareMain;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compare command over two synthetic runs that differ in levels, max_tokens and GPU data (one
 * carries hostile text): the tables, the CSV against each summary.json, the Pareto front against the
 * extreme points, and compare.html in headless Chromium.
 */
class CompareReportTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path tmp;

  private Path[] twoRuns() throws Exception {
    SyntheticRun a = new SyntheticRun();
    a.levels = new int[] {1, 2, 4};
    a.phaseSeconds = 3;
    a.payload = HtmlReportBrowserTest.PAYLOAD;
    Path ra = a.write(tmp.resolve("run-a"));
    SyntheticRun b = new SyntheticRun();
    b.levels = new int[] {1, 2, 4, 8};
    b.phaseSeconds = 3;
    b.maxTokens = 64;
    b.gpu = false;
    Path rb = b.write(tmp.resolve("run-b"));
    for (Path r : new Path[] {ra, rb}) Aggregator.aggregate(List.of(r), r, ReportOptions.defaults());
    return new Path[] {ra, rb};
  }

  private static int run(List<String> args, StringBuilder err) {
    ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
    int rc = CompareMain.run(args.toArray(String[]::new), new PrintStream(o, true, StandardCharsets.UTF_8),
        new PrintStream(e, true, StandardCharsets.UTF_8));
    err.append(e.toString(StandardCharsets.UTF_8));
    return rc;
  }

  @Test
  void tablesCsvAndParetoAgreeWithTheSummaries() throws Exception {
    Path[] r = twoRuns();
    Path out = tmp.resolve("cmp");
    StringBuilder err = new StringBuilder();
    assertEquals(0, run(List.of(r[0].toString(), r[1].resolve("summary.json").toString(), "--out", out.toString()), err), err.toString());
    String md = Files.readString(out.resolve("compare.md"));
    assertTrue(md.contains("| **≠** | max\\_tokens | 128 | 64 |"), md);
    assertTrue(md.contains("|  | simulation | io.llmload.simulations.ConcurrencySweep | io.llmload.simulations.ConcurrencySweep |"), md);
    assertFalse(md.contains("<script>") || md.contains("<img"), "hostile text escaped in Markdown");

    JsonNode sa = JSON.readTree(r[0].resolve("summary.json").toFile());
    JsonNode sb = JSON.readTree(r[1].resolve("summary.json").toFile());
    List<String> csv = Files.readAllLines(out.resolve("compare-phases.csv"));
    assertEquals(1 + sa.path("phases").size() + sb.path("phases").size(), csv.size(), "header and one row per phase");
    List<String> header = List.of(csv.get(0).split(","));
    int p95 = header.indexOf("ttft_ms.p95"), tps = header.indexOf("output_tokens_per_s");
    assertTrue(p95 > 0 && tps > 0, "flattened columns: " + header);
    String last = csv.get(csv.size() - 1);
    JsonNode lastPhase = sb.path("phases").get(sb.path("phases").size() - 1);
    assertEquals(lastPhase.path("ttft_ms").path("p95").asDouble(), Double.parseDouble(last.split(",")[p95]), 1e-9);

    List<String> single = Files.readAllLines(r[1].resolve("phases.csv"));
    assertEquals(1 + sb.path("phases").size(), single.size(), "each run's phases.csv beside its summary.json");
    assertEquals(csv.get(0).split(",")[0], single.get(0).split(",")[0]);

    // The Pareto front holds the highest aggregate and the highest per-user throughput of all phases.
    double bestAll = -1, bestUser = -1;
    for (JsonNode s : List.of(sa, sb)) {
      for (JsonNode p : s.path("phases")) {
        bestAll = Math.max(bestAll, p.path("output_tokens_per_s").asDouble());
        bestUser = Math.max(bestUser, p.path("tokens_per_s").path("p50").asDouble());
      }
    }
    String front = md.substring(md.indexOf("## Pareto front"));
    assertTrue(front.contains(io.llmload.compare.CompareFormat.num(bestAll) + " tokens/s in all"), front);
    assertTrue(front.contains(io.llmload.compare.CompareFormat.num(bestUser) + " tokens/s per user"), front);
  }

  @Test
  void withABaselineTheGatesVerdictIsShownInline() throws Exception {
    Path[] runs = new Path[2];
    for (int i = 0; i < 2; i++) {
      SyntheticRun s = new SyntheticRun();
      s.levels = new int[] {1, 2};
      s.phaseSeconds = 3;
      s.seed = 11 + i;
      runs[i] = s.write(tmp.resolve("same-" + i));
      Aggregator.aggregate(List.of(runs[i]), runs[i], ReportOptions.defaults());
    }
    Path out = tmp.resolve("cmp-baseline");
    StringBuilder err = new StringBuilder();
    assertEquals(0, run(List.of(runs[0].toString(), runs[1].toString(), "--out", out.toString(), "--baseline"), err),
        err.toString());
    String md = Files.readString(out.resolve("compare.md"));
    String gate = io.llmload.gate.GateReport.markdown(io.llmload.gate.Gate.compare(
        io.llmload.gate.SummaryFiles.readRun(runs[0], "baseline"), "same-0",
        io.llmload.gate.SummaryFiles.readRun(runs[1], "current"), "same-1", io.llmload.gate.GateOptions.fromSystemProperties()));
    assertTrue(md.contains("## Gate verdicts against the baseline (same-0)"), md);
    assertTrue(md.contains(gate), "the gate's own table, as the gate writes it:\n" + md);
    String html = Files.readString(out.resolve("compare.html"));
    assertTrue(html.contains("<h2>Gate verdicts against the first run</h2>"), "verdict line in the page");
  }

  @Test
  void badInputIsOneLine() throws Exception {
    StringBuilder err = new StringBuilder();
    assertEquals(2, run(List.of(tmp.toString()), err));
    assertEquals("compare: give two or more run folders or summary.json files", err.toString().trim());
    err.setLength(0);
    assertEquals(2, run(List.of(tmp.resolve("nope").toString(), tmp.toString()), err));
    assertEquals(1, err.toString().trim().lines().count(), err.toString());
    assertTrue(err.toString().startsWith("compare: run 1: "), err.toString());
  }

  @Test
  void chromiumDrawsEverySeriesAndRunsNoInjectedCode() throws Exception {
    Chromium chromium = Chromium.require();
    Path[] r = twoRuns();
    Path out = tmp.resolve("cmp");
    StringBuilder err = new StringBuilder();
    assertEquals(0, run(List.of(r[0].toString(), r[1].toString(), "--out", out.toString()), err), err.toString());
    Path html = out.resolve("compare.html");
    String raw = Files.readString(html);
    assertFalse(raw.contains("<script>window.__pwned") || raw.contains("<img"), "payload escaped in the page");
    assertTrue(raw.contains("<tr class=\"diff\"><td>max_tokens</td>"), "the differing parameter is highlighted");
    String dom = chromium.dumpDom(html, tmp.resolve("profile"));
    Matcher m = Pattern.compile("<div id=\"render-check\" hidden=\"\">(.*?)</div>", Pattern.DOTALL).matcher(dom);
    assertTrue(m.find(), "render check missing; DOM starts: " + dom.substring(0, Math.min(300, dom.length())));
    String text = m.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&");
    JsonNode check = JSON.readTree(text);
    assertEquals(0, check.path("errors").size(), "console errors: " + check.path("errors"));
    assertTrue(check.path("injected").isNull(), "injected code ran");
    assertEquals(4, check.path("scripts").asInt(), "only the page's own scripts");
    List<String> seen = new ArrayList<>();
    for (JsonNode c : check.path("charts")) {
      String id = c.path("id").asText();
      seen.add(id);
      JsonNode ds = c.path("datasets");
      if (id.equals("energy")) {
        assertEquals(2, ds.size(), "one series per run; the run without GPU data has no points: " + c);
        assertEquals(3, ds.get(0).path("drawn").asInt());
        continue;
      }
      assertTrue(ds.size() >= 2, id + ": " + c);
      assertEquals(3, ds.get(0).path("drawn").asInt(), id + " run a: " + c);
      assertEquals(4, ds.get(1).path("drawn").asInt(), id + " run b: " + c);
    }
    assertEquals(List.of("throughput", "ttft", "tpot", "energy", "pareto"), seen);
    Path shot = Path.of("target", "compare-screenshot.png");
    Files.createDirectories(shot.getParent());
    chromium.screenshot(html, tmp.resolve("profile2"), shot, 1300, 1300);
    assertTrue(Files.size(shot) > 20_000, "screenshot written");
  }
}
