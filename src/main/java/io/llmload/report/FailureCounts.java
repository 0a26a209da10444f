package io.llmload.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A phase's failed requests by status class, with a few distinct error texts of each. */
final class FailureCounts {
  static final int MAX_EXAMPLES = 3;

  final Map<String, long[]> byStatus = new LinkedHashMap<>();
  final Map<String, List<String>> examples = new LinkedHashMap<>();

  void add(RequestRecord r) {
    String cls = r.status == null ? "unknown" : r.status;
    byStatus.computeIfAbsent(cls, k -> new long[1])[0]++;
    if (r.error != null && !r.error.isBlank()) {
      String text = r.error.length() > 300 ? r.error.substring(0, 300) : r.error;
      example(cls, text);
    }
  }

  private void example(String cls, String text) {
    List<String> ex = examples.computeIfAbsent(cls, k -> new ArrayList<>(MAX_EXAMPLES));
    if (ex.size() < MAX_EXAMPLES && !ex.contains(text)) ex.add(text);
  }

  void merge(FailureCounts o) {
    o.byStatus.forEach((k, v) -> byStatus.computeIfAbsent(k, x -> new long[1])[0] += v[0]);
    o.examples.forEach((k, v) -> v.forEach(t -> example(k, t)));
  }
}
