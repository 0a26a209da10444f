package io.llmload.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmload.collector.runfolder.FileNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A capacity search's result in the summary, the report's table and its chart: capacity.json as
 * the search wrote it, with the aggregator's own goodput and throughput of the answer's phase (the
 * window figures, not the controller's live estimates).
 */
final class CapacitySection {
  private CapacitySection() {}

  /** {@code capacity} for summary.json, or null when the run was no capacity search. */
  static @Nullable JsonNode read(List<RunFolder> folders, JsonNode phases, ObjectMapper json) {
    if (folders.size() != 1) return null;
    Path f = folders.get(0).dir.resolve(FileNames.CAPACITY);
    if (!Files.isRegularFile(f)) return null;
    ObjectNode c;
    try {
      c = (ObjectNode) json.readTree(f.toFile());
    } catch (IOException | ClassCastException e) {
      return null;
    }
    String phase = c.path("bracket").path("pass").path("phase").asText(null);
    for (JsonNode p : phases) {
      if (phase != null && phase.equals(p.path("name").asText())) {
        ObjectNode at = c.putObject("at_answer");
        at.put("phase", phase);
        at.set("goodput_rps", p.path("goodput_rps"));
        at.set("request_rate", p.path("request_rate"));
        at.set("output_tokens_per_s", p.path("output_tokens_per_s"));
      }
    }
    return c;
  }

  /** The result in one sentence (the report's heading line). */
  static String sentence(JsonNode c) {
    String unit = c.path("unit").asText();
    JsonNode pass = c.path("bracket").path("pass"), fail = c.path("bracket").path("fail");
    StringBuilder b = new StringBuilder();
    b.append(c.path("answer").isNumber() ? ReportTables.lvl(c.path("answer")) + " " + unit : "no load").append(" (")
        .append(c.path("outcome").asText()).append("); bracket: highest pass ")
        .append(side(pass)).append(", lowest failure ").append(side(fail));
    JsonNode at = c.path("at_answer");
    if (at.isObject()) {
      b.append("; at the answer: goodput ").append(ReportTables.n(at.path("goodput_rps"))).append(" req/s, ")
          .append(ReportTables.n(at.path("output_tokens_per_s"))).append(" output tokens/s");
    }
    return b.append("; ").append(c.path("probes").size()).append(" probes in ")
        .append(ReportTables.n(c.path("seconds"))).append(" s").toString();
  }

  private static String side(JsonNode p) {
    if (!p.isObject()) return "none";
    return ReportTables.lvl(p.path("load")) + " (attainment " + pct(p.path("attainment")) + ", 90% interval "
        + pct(p.path("attainment_low")) + "–" + pct(p.path("attainment_high")) + ")";
  }

  static ReportTables.Table table(JsonNode c) {
    List<List<String>> rows = new ArrayList<>();
    for (JsonNode p : c.path("probes")) {
      String how = p.path("early").asBoolean() ? "early" : p.path("extended").asBoolean() ? "extended" : "";
      rows.add(List.of(p.path("phase").asText(), ReportTables.lvl(p.path("load")), ReportTables.n(p.path("warmup_s")),
          ReportTables.n(p.path("window_s")), ReportTables.n(p.path("n")),
          pct(p.path("attainment")) + " [" + pct(p.path("attainment_low")) + "–" + pct(p.path("attainment_high")) + "]",
          ReportTables.n(p.path("margin")), ReportTables.n(p.path("output_tokens_per_s")),
          ReportTables.n(p.path("backlog_growth")),
          p.path("decision").asText() + (p.path("superseded").asBoolean() ? " (measured again below)" : ""), how,
          p.path("reason").asText()));
    }
    return new ReportTables.Table("capacity", "Capacity search probes (" + c.path("search").asText() + ")",
        List.of("phase", "load", "warm-up (s)", "window (s)", "requests", "attainment [90% interval]", "SLO margin",
            "output tokens/s", "backlog growth", "decision", "window", "why"), rows);
  }

  /**
   * The chart: attainment (left axis, with the SLO's fraction as a line) and output tokens/s
   * (right axis) against load, each probe marked pass or fail. Plain SVG: it needs no script, so
   * report.md can show it too.
   */
  static String svg(JsonNode c) {
    double maxLoad = 0, maxTok = 0;
    for (JsonNode p : c.path("probes")) {
      maxLoad = Math.max(maxLoad, p.path("load").asDouble());
      maxTok = Math.max(maxTok, p.path("output_tokens_per_s").asDouble());
    }
    if (maxLoad <= 0) maxLoad = 1;
    if (maxTok <= 0) maxTok = 1;
    int w = 640, h = 320, l = 50, r = 590, t = 20, bot = 280;
    StringBuilder b = new StringBuilder();
    b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(w).append("\" height=\"").append(h)
        .append("\" font-family=\"sans-serif\" font-size=\"11\">\n");
    b.append(line(l, bot, r, bot, "#000")).append(line(l, t, l, bot, "#000")).append(line(r, t, r, bot, "#36c"));
    double frac = c.path("slo").path("fraction").asDouble(0.95);
    double fy = bot - frac * (bot - t);
    b.append(line(l, fy, r, fy, "#c33").replace("/>", " stroke-dasharray=\"4 3\"/>"));
    b.append(text(l - 4, t + 4, "100%", "end")).append(text(l - 4, bot, "0%", "end"))
        .append(text(l - 4, fy + 4, pct(c.path("slo").path("fraction")), "end"))
        .append(text(r + 4, t + 4, fmt(maxTok), "start")).append(text(r + 4, bot, "0", "start"))
        .append(text((l + r) / 2.0, bot + 30, "load (" + c.path("unit").asText() + "), max " + fmt(maxLoad), "middle"))
        .append(text(l, t - 6, "attainment (dots: green pass, red fail)", "start"))
        .append(text(r, t - 6, "output tokens/s (blue)", "end"));
    for (JsonNode p : c.path("probes")) {
      double x = l + p.path("load").asDouble() / maxLoad * (r - l);
      double a = p.path("attainment").isNumber() ? p.path("attainment").asDouble() : 0;
      double y = bot - a * (bot - t);
      double ty = bot - p.path("output_tokens_per_s").asDouble() / maxTok * (bot - t);
      String col = "pass".equals(p.path("decision").asText()) ? "#2a2" : "#c22";
      b.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"%s\"/>%n", x, y, col));
      b.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"6\" height=\"6\" fill=\"#36c\"/>%n", x - 3, ty - 3));
      b.append(text(x, bot + 14, ReportTables.lvl(p.path("load")), "middle"));
    }
    return b.append("</svg>\n").toString();
  }

  /** Writes charts/capacity.svg for report.md; returns the chart stems with "capacity" added. */
  static List<String> writeChart(JsonNode c, Path charts, List<String> stems) throws IOException {
    Files.createDirectories(charts);
    Aggregator.writeAtomically(charts.resolve("capacity.svg"), svg(c).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    List<String> out = new ArrayList<>(stems);
    out.add("capacity");
    return out;
  }

  private static String line(double x1, double y1, double x2, double y2, String col) {
    return String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>%n", x1, y1, x2, y2, col);
  }

  private static String text(double x, double y, String s, String anchor) {
    return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">%s</text>%n", x, y, anchor,
        s.replace("&", "&amp;").replace("<", "&lt;"));
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, v >= 100 ? "%.0f" : "%.2f", v);
  }

  private static String pct(JsonNode v) {
    return v.isNumber() ? String.format(Locale.ROOT, "%.1f%%", v.asDouble() * 100) : "–";
  }
}
