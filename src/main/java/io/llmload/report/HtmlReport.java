package io.llmload.report;

import io.llmload.collector.runfolder.SummaryJson;
import io.llmload.collector.runfolder.SummaryJson.Phase;
import io.llmload.collector.runfolder.SummaryJson.Run;
import io.llmload.collector.runfolder.SummaryJson.Stats;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * report.html: self-contained (Chart.js inlined, no network), every server or model text escaped.
 * The chart data travels as JSON in a non-executable script element with {@code <}, {@code >} and
 * {@code &} escaped, so no string in it can close the element.
 */
final class HtmlReport {
  static final String CHART_JS = "/META-INF/resources/webjars/chart.js/4.4.1/dist/chart.umd.js";
  private static volatile String chartJs;

  private final JsonNode summary;
  private final ObjectNode series;
  private final ObjectNode distribution;
  private final String levelWord;

  HtmlReport(JsonNode summary, ObjectNode series, ObjectNode distribution, String levelWord) {
    this.summary = summary;
    this.series = series;
    this.distribution = distribution;
    this.levelWord = levelWord;
  }

  void write(Path file) throws IOException {
    Aggregator.writeAtomically(file, render().getBytes(StandardCharsets.UTF_8));
  }

  String render() throws IOException {
    StringBuilder b = new StringBuilder(300_000);
    JsonNode run = summary.path(SummaryJson.RUN);
    b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n");
    // Installed before anything else runs, so the render check sees every error.
    b.append("<script>window.__reportErrors=[];window.addEventListener('error',function(e){"
        + "window.__reportErrors.push(String(e.message));});(function(){var o=console.error;"
        + "console.error=function(){window.__reportErrors.push(Array.prototype.join.call(arguments,' '));"
        + "return o.apply(console,arguments);};})();</script>\n");
    b.append("<title>LLM load report: ").append(esc(run.path(Run.FOLDER).asText())).append("</title>\n");
    b.append("<style>body{font-family:system-ui,sans-serif;margin:24px;color:#222;max-width:1400px}"
        + "table{border-collapse:collapse;margin:8px 0 24px;font-size:13px}"
        + "th,td{border:1px solid #ccc;padding:3px 8px;text-align:right}th{background:#f2f2f2}"
        + "td:first-child,th:first-child,td.t{text-align:left}"
        + ".charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(620px,1fr));gap:16px}"
        + ".chart{height:340px;border:1px solid #ddd;padding:8px}"
        + ".warn{background:#fff4e0;border-left:4px solid #e69500;padding:6px 12px}"
        + ".find{background:#eef6ee;border-left:4px solid #3a3;padding:6px 12px}"
        + "dl{display:grid;grid-template-columns:max-content auto;gap:2px 12px}dt{font-weight:600}"
        + "dd{margin:0;word-break:break-all}</style>\n</head><body>\n");
    b.append("<h1>LLM load report: ").append(esc(run.path(Run.FOLDER).asText())).append("</h1>\n<dl>\n");
    for (String[] f : RunFacts.facts(summary)) {
      b.append("<dt>").append(esc(f[0])).append("</dt><dd>").append(esc(f[1])).append("</dd>\n");
    }
    b.append("</dl>\n");
    JsonNode capacity = summary.path(SummaryJson.CAPACITY);
    if (capacity.isObject()) {
      b.append("<h2>Capacity</h2>\n<p id=\"capacity\">").append(esc(CapacitySection.sentence(capacity))).append("</p>\n")
          .append(CapacitySection.svg(capacity));
    }
    b.append("<h2>Findings</h2>\n<ul class=\"find\">\n");
    for (JsonNode t : summary.path(SummaryJson.FINDINGS).path(SummaryJson.Findings.TEXT)) b.append("<li>").append(esc(t.asText())).append("</li>\n");
    b.append("</ul>\n");
    if (summary.path(SummaryJson.WARNINGS).size() > 0) {
      b.append("<h2>Warnings</h2>\n<ul class=\"warn\">\n");
      for (JsonNode t : summary.path(SummaryJson.WARNINGS)) b.append("<li>").append(esc(t.asText())).append("</li>\n");
      b.append("</ul>\n");
    }
    b.append("<h2>Charts</h2>\n<div class=\"charts\">\n");
    for (String[] c : PngCharts.CHARTS) {
      b.append("<div class=\"chart\"><canvas id=\"chart-").append(c[0]).append("\" aria-label=\"")
          .append(esc(c[1])).append("\"></canvas></div>\n");
    }
    for (String m : Distributions.METRICS) {
      b.append("<div class=\"chart\"><canvas id=\"chart-").append(Distributions.chartId(m)).append("\"></canvas></div>\n");
    }
    b.append("</div>\n");
    for (ReportTables.Table t : ReportTables.build(summary)) {
      b.append("<h2>").append(esc(t.title())).append("</h2>\n<table id=\"table-").append(t.id()).append("\"><tr>");
      for (String h : t.headers()) b.append("<th>").append(esc(h)).append("</th>");
      b.append("</tr>\n");
      for (List<String> r : t.rows()) {
        b.append("<tr>");
        for (int i = 0; i < r.size(); i++) {
          b.append(i < 2 && !"process".equals(t.id()) ? "<td class=\"t\">" : "<td>").append(esc(r.get(i))).append("</td>");
        }
        b.append("</tr>\n");
      }
      b.append("</table>\n");
    }
    b.append("<p>Figures are defined in docs/report.md; summary.json holds them with histograms and samples.</p>\n");
    b.append("<div id=\"render-check\" hidden></div>\n");
    ObjectMapper m = new ObjectMapper();
    ObjectNode data = m.createObjectNode();
    data.put("level_word", levelWord);
    data.set("phases", chartPhases());
    data.set("series", series);
    data.set("distribution", distribution);
    data.set("distributions", Distributions.of(summary));
    b.append("<script type=\"application/json\" id=\"report-data\">")
        .append(jsonForScript(m.writeValueAsString(data))).append("</script>\n");
    b.append("<script>").append(chartJs()).append("\n</script>\n");
    b.append("<script>").append(resource("/io/llmload/report/report-charts.js")).append("</script>\n");
    b.append("</body></html>\n");
    return b.toString();
  }

  // Only the figures the charts draw; the full summary is in summary.json.
  private ArrayNode chartPhases() {
    ArrayNode a = JsonNodeFactory.instance.arrayNode();
    for (JsonNode p : summary.path(SummaryJson.PHASES)) {
      ObjectNode o = a.addObject();
      o.put("name", p.path(Phase.NAME).asText());
      o.set("level", p.path(Phase.LEVEL));
      o.set("output_tokens_per_s", p.path(Phase.OUTPUT_TOKENS_PER_S));
      o.set("tokens_per_s_mean", p.path(Phase.TOKENS_PER_S).path(Stats.MEAN));
      for (String k : new String[] {Phase.TTFT_MS, Phase.TPOT_MS}) {
        for (String q : new String[] {Stats.P50, Stats.P95, Stats.P99}) o.set(k + "_" + q, p.path(k).path(q));
      }
    }
    return a;
  }

  static String jsonForScript(String json) {
    return json.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029");
  }

  static String esc(String s) {
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  private static String chartJs() {
    String s = chartJs;
    if (s == null) {
      s = resource(CHART_JS);
      // The library text is trusted, but must not end our script element early.
      s = s.replace("</script", "<\\/script");
      chartJs = s;
    }
    return s;
  }

  static String resource(String path) {
    try (InputStream in = HtmlReport.class.getResourceAsStream(path)) {
      if (in == null) throw new IllegalStateException("missing resource on the classpath: " + path);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
