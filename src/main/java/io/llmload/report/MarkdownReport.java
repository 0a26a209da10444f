package io.llmload.report;

import io.llmload.collector.runfolder.SummaryJson;
import io.llmload.collector.runfolder.SummaryJson.Run;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** report.md: the summary as Markdown tables, with the PNG charts beside it. */
final class MarkdownReport {
  private final JsonNode summary;
  private final List<String> charts;

  /** @param charts stems of the PNGs written under charts/ */
  MarkdownReport(JsonNode summary, List<String> charts) {
    this.summary = summary;
    this.charts = charts;
  }

  void write(Path file) throws IOException {
    Aggregator.writeAtomically(file, render().getBytes(StandardCharsets.UTF_8));
  }

  String render() {
    StringBuilder b = new StringBuilder();
    JsonNode run = summary.path(SummaryJson.RUN);
    b.append("# LLM load report: ").append(esc(run.path(Run.FOLDER).asText())).append("\n\n");
    for (String[] f : RunFacts.facts(summary)) {
      b.append("- **").append(f[0]).append("**: ").append(esc(f[1])).append('\n');
    }
    JsonNode capacity = summary.path(SummaryJson.CAPACITY);
    if (capacity.isObject()) {
      b.append("\n## Capacity\n\n").append(esc(CapacitySection.sentence(capacity))).append("\n\n");
      if (charts.contains("capacity")) b.append("![capacity search](charts/capacity.svg)\n");
    }
    b.append("\n## Findings\n\n");
    for (JsonNode t : summary.path(SummaryJson.FINDINGS).path(SummaryJson.Findings.TEXT)) b.append("- ").append(esc(t.asText())).append('\n');
    if (summary.path(SummaryJson.WARNINGS).size() > 0) {
      b.append("\n## Warnings\n\n");
      for (JsonNode t : summary.path(SummaryJson.WARNINGS)) b.append("- ").append(esc(t.asText())).append('\n');
    }
    if (!charts.isEmpty()) {
      b.append("\n## Charts\n\n");
      for (String[] c : PngCharts.CHARTS) {
        if (!charts.contains(c[0])) continue;
        b.append("![").append(c[1]).append("](charts/").append(c[0]).append(".png)\n\n");
      }
    }
    for (ReportTables.Table t : ReportTables.build(summary)) {
      b.append("\n## ").append(t.title()).append("\n\n|");
      for (String h : t.headers()) b.append(' ').append(esc(h)).append(" |");
      b.append("\n|");
      for (int i = 0; i < t.headers().size(); i++) b.append(i < 2 ? " --- |" : " ---: |");
      b.append('\n');
      for (List<String> r : t.rows()) {
        b.append('|');
        for (String c : r) b.append(' ').append(esc(c)).append(" |");
        b.append('\n');
      }
    }
    b.append("\nFigures are defined in docs/report.md; summary.json holds them with histograms and samples.\n");
    return b.toString();
  }

  // Markdown renderers pass HTML through: server and model text is neutralised, not trusted.
  static String esc(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '|' -> b.append("\\|");
        case '`', '*', '_', '[', ']', '\\' -> b.append('\\').append(c);
        case '\n', '\r', '\t' -> b.append(' ');
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}
