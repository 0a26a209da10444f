package io.llmload.report;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Numbers the server put in its responses (the records' {@code server} fields: llama.cpp timings,
 * TGI's timing headers, Ollama's durations), per name: count, sum and maximum, and the durations
 * ({@code *_ms}) as distributions for their tail. At most {@link #MAX_KEYS} names, so a server
 * that varies its field names cannot grow the summary without bound.
 */
final class ServerReported {
  static final int MAX_KEYS = 32;

  /** name → {sum, n, max}. */
  final Map<String, double[]> values = new LinkedHashMap<>();
  final Map<String, HistogramAccumulator> durations = new LinkedHashMap<>();

  void add(RequestRecord r) {
    for (int i = 0; i < r.serverCount; i++) {
      double[] acc = values.get(r.serverNames[i]);
      if (acc == null) {
        if (values.size() >= MAX_KEYS) continue;
        acc = new double[] {0, 0, Double.NEGATIVE_INFINITY};
        values.put(r.serverNames[i], acc);
      }
      double v = r.serverValues[i];
      if (r.serverNames[i].endsWith("_ms")) durations.computeIfAbsent(r.serverNames[i], k -> new HistogramAccumulator(1000)).record(v);
      acc[0] += v;
      acc[1]++;
      acc[2] = Math.max(acc[2], v);
    }
  }

  void merge(ServerReported o) {
    o.values.forEach((k, v) -> {
      double[] acc = values.get(k);
      if (acc == null) {
        if (values.size() >= MAX_KEYS) return;
        values.put(k, v.clone());
      } else {
        acc[0] += v[0];
        acc[1] += v[1];
        acc[2] = Math.max(acc[2], v[2]);
      }
    });
    o.durations.forEach((k, m) -> {
      if (values.containsKey(k)) durations.computeIfAbsent(k, x -> new HistogramAccumulator(1000)).add(m);
    });
  }
}
