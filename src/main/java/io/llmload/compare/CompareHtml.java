package io.llmload.compare;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * compare.html, one self-contained page: the parameter table with differing rows highlighted, the
 * per-phase table, and Chart.js charts of throughput, TTFT, TPOT and J/token against level (one
 * series per run) and the Pareto chart. Untrusted text only ever enters as escaped text or as JSON
 * in a non-executable script element.
 */
final class CompareHtml {
  private static final String CHART_JS = "/META-INF/resources/webjars/chart.js/4.4.1/dist/chart.umd.js";
  private static final ObjectMapper JSON = new ObjectMapper();

  private CompareHtml() {}

  static String render(RunSet set, Map<String, String> verdictLines) {
    StringBuilder b = new StringBuilder(1 << 16);
    b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Comparison of ")
        .append(set.runs.size()).append(" runs</title>\n<script>window.__reportErrors=[];window.addEventListener('error',"
            + "function(e){window.__reportErrors.push(String(e.message))});</script>\n<style>"
            + "body{font-family:system-ui,sans-serif;margin:24px;color:#222}table{border-collapse:collapse;margin:8px 0 24px}"
            + "td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}td:first-child,th:first-child,td.t{text-align:left}"
            + "tr.diff td{background:#fff3c4;font-weight:600}.charts{display:grid;grid-template-columns:repeat(auto-fill,"
            + "minmax(560px,1fr));gap:16px}.chart{height:340px;border:1px solid #ddd;padding:8px}</style></head><body>\n");
    b.append("<h1>Comparison of ").append(set.runs.size()).append(" runs</h1>\n<ol>");
    for (RunSet.Run r : set.runs) b.append("<li>").append(esc(r.label())).append("</li>");
    b.append("</ol>\n");
    if (!verdictLines.isEmpty()) {
      b.append("<h2>Gate verdicts against the first run</h2>\n<ul>");
      verdictLines.forEach((run, v) -> b.append("<li>").append(esc(run)).append(": ").append(esc(v)).append("</li>"));
      b.append("</ul>\n");
    }
    b.append("<h2>Charts</h2>\n<div class=\"charts\">\n");
    for (String id : List.of("throughput", "ttft", "tpot", "energy", "pareto")) {
      b.append("<div class=\"chart\"><canvas id=\"chart-").append(id).append("\"></canvas></div>\n");
    }
    b.append("</div>\n<h2>Parameters</h2>\n<p>Highlighted rows differ between the runs.</p>\n<table><tr><th>parameter</th>");
    for (RunSet.Run r : set.runs) b.append("<th>").append(esc(r.label())).append("</th>");
    b.append("</tr>\n");
    for (RunSet.Param p : set.parameters()) {
      b.append(p.differs() ? "<tr class=\"diff\">" : "<tr>").append("<td>").append(esc(p.name())).append("</td>");
      for (@Nullable String v : p.values()) b.append("<td class=\"t\">").append(v == null ? "—" : esc(v)).append("</td>");
      b.append("</tr>\n");
    }
    b.append("</table>\n<h2>Per phase</h2>\n<table><tr><th>run</th><th>phase</th><th>level</th><th>requests</th>"
        + "<th>failed</th><th>output tokens/s</th><th>per-user tokens/s p50</th><th>TTFT p50 ms</th><th>TTFT p95 ms</th>"
        + "<th>TPOT p50 ms</th><th>E2E p50 ms</th><th>J/token</th></tr>\n");
    List<RunSet.Row> rows = set.rows();
    for (RunSet.Row r : rows) {
      b.append("<tr><td>").append(esc(r.run())).append("</td><td class=\"t\">").append(esc(r.phase())).append("</td>");
      cell(b, r.level() == null ? Double.NaN : r.level());
      cell(b, r.requests());
      cell(b, r.failed());
      for (double v : new double[] {r.tokensPerS(), r.perUserTokensPerS(), r.ttftP50(), r.ttftP95(), r.tpotP50(),
          r.e2eP50(), r.jPerToken()}) {
        cell(b, v);
      }
      b.append("</tr>\n");
    }
    b.append("</table>\n<div id=\"render-check\" hidden></div>\n");
    b.append("<script type=\"application/json\" id=\"compare-data\">").append(forScript(data(set, rows)))
        .append("</script>\n<script>").append(resource(CHART_JS)).append("\n</script>\n<script>")
        .append(resource("/io/llmload/compare/compare-charts.js")).append("</script>\n</body></html>\n");
    return b.toString();
  }

  private static String data(RunSet set, List<RunSet.Row> rows) {
    ObjectNode d = JSON.createObjectNode();
    ArrayNode runs = d.putArray("runs");
    for (RunSet.Run r : set.runs) {
      ObjectNode o = runs.addObject().put("label", r.label());
      ArrayNode ps = o.putArray("phases");
      for (RunSet.Row row : rows) {
        if (!row.run().equals(r.label())) continue;
        ObjectNode p = ps.addObject().put("name", row.phase());
        put(p, "level", row.level() == null ? Double.NaN : row.level());
        put(p, "tokens_per_s", row.tokensPerS());
        put(p, "per_user_tokens_per_s", row.perUserTokensPerS());
        put(p, "ttft_p95_ms", row.ttftP95());
        put(p, "tpot_p50_ms", row.tpotP50());
        put(p, "j_per_token", row.jPerToken());
        put(p, "tokens_per_s_per_gpu", row.tokensPerSPerGpu());
      }
    }
    ArrayNode front = d.putArray("pareto");
    for (RunSet.Row r : RunSet.pareto(rows)) {
      front.addObject().put("run", r.run()).put("phase", r.phase()).put("x", r.perUserTokensPerS()).put("y", r.tokensPerS());
    }
    return d.toString();
  }

  private static void put(ObjectNode o, String k, double v) {
    if (Double.isFinite(v)) o.put(k, v);
    else o.putNull(k);
  }

  private static void cell(StringBuilder b, double v) {
    b.append("<td>").append(CompareFormat.num(v)).append("</td>");
  }

  private static void cell(StringBuilder b, long v) {
    b.append("<td>").append(v).append("</td>");
  }

  /** JSON inside a script element: no character may close it or open markup. */
  static String forScript(String json) {
    return json.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026");
  }

  static String esc(String s) {
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  private static String resource(String path) {
    try (InputStream in = CompareHtml.class.getResourceAsStream(path)) {
      if (in == null) throw new IllegalStateException("missing resource on the classpath: " + path);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("</script", "<\\/script");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
