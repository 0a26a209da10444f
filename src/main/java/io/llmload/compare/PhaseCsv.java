package io.llmload.compare;

import io.llmload.collector.runfolder.SummaryJson;
import io.llmload.collector.runfolder.SummaryJson.Phase;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * summary.json's per-phase table as CSV (RFC 4180) for spreadsheets and notebooks: one row per phase,
 * scalar fields as they are, nested statistics flattened with a dot ({@code ttft_ms.p95}); the
 * histograms, samples and error examples stay in the JSON.
 */
public final class PhaseCsv {
  private static final Set<String> LEFT_OUT = Set.of(Phase.HISTOGRAMS, Phase.SAMPLES, Phase.ERROR_EXAMPLES, Phase.SERVER_REPORTED);

  private PhaseCsv() {}

  /** One run's phases.csv, written beside its summary.json (same columns as compare-phases.csv). */
  public static String of(JsonNode summary) {
    return of(List.of(summary.path(SummaryJson.RUN).path(SummaryJson.Run.FOLDER).asText("")), List.of(summary));
  }

  /** The phases of summaries, each row led by the run's label. */
  public static String of(List<String> labels, List<JsonNode> summaries) {
    List<List<Map.Entry<String, String>>> rows = new ArrayList<>();
    Set<String> columns = new LinkedHashSet<>(List.of("run"));
    for (int i = 0; i < summaries.size(); i++) {
      for (JsonNode p : summaries.get(i).path(SummaryJson.PHASES)) {
        List<Map.Entry<String, String>> row = new ArrayList<>();
        row.add(Map.entry("run", labels.get(i)));
        flatten("", p, row);
        row.forEach(e -> columns.add(e.getKey()));
        rows.add(row);
      }
    }
    StringBuilder b = new StringBuilder();
    b.append(String.join(",", columns.stream().map(PhaseCsv::field).toList())).append("\r\n");
    for (List<Map.Entry<String, String>> row : rows) {
      Map<String, String> m = new java.util.HashMap<>();
      row.forEach(e -> m.put(e.getKey(), e.getValue()));
      Iterator<String> it = columns.iterator();
      while (it.hasNext()) {
        String v = m.get(it.next());
        b.append(v == null ? "" : field(v));
        if (it.hasNext()) b.append(',');
      }
      b.append("\r\n");
    }
    return b.toString();
  }

  private static void flatten(String prefix, JsonNode n, List<Map.Entry<String, String>> out) {
    n.fields().forEachRemaining(e -> {
      String k = prefix + e.getKey();
      JsonNode v = e.getValue();
      if (prefix.isEmpty() && LEFT_OUT.contains(e.getKey())) return;
      if (v.isObject()) flatten(k + ".", v, out);
      else if (v.isNumber()) out.add(Map.entry(k, v.isIntegralNumber() ? v.asText() : String.format(Locale.ROOT, "%s", v.asDouble())));
      else if (v.isTextual() || v.isBoolean()) out.add(Map.entry(k, v.asText()));
      // arrays and nulls: nothing to put in one cell
    });
  }

  /** Quoted when it holds a comma, quote or line break; a leading = + - @ is defused for spreadsheets. */
  static String field(String v) {
    String s = v;
    if (!s.isEmpty() && "=+-@".indexOf(s.charAt(0)) >= 0 && !s.matches("-?[0-9.eE+-]+")) s = "'" + s;
    if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
      return '"' + s.replace("\"", "\"\"") + '"';
    }
    return s;
  }
}
