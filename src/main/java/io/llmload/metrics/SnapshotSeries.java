package io.llmload.metrics;

import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Label;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.Map;
import java.util.TreeMap;

/**
 * A scrape of the registry as flat series, one value each, as the Prometheus text format names them:
 * counters as {@code name_total}, gauges as {@code name}, histograms as their classic cumulative
 * {@code name_bucket{le=...}}, {@code name_count} and {@code name_sum}. The one flattening behind
 * remote write and the Graphite writer.
 */
final class SnapshotSeries {
  private SnapshotSeries() {}

  interface Sink {
    /** @param labels sorted by name */
    void series(String name, Map<String, String> labels, double value);
  }

  static void forEach(MetricSnapshots snapshots, Map<String, String> extraLabels, Sink sink) {
    for (MetricSnapshot s : snapshots) {
      String name = s.getMetadata().getPrometheusName();
      for (DataPointSnapshot d : s.getDataPoints()) {
        Map<String, String> labels = new TreeMap<>(extraLabels);
        for (Label l : d.getLabels()) labels.put(l.getName(), l.getValue());
        if (s instanceof CounterSnapshot) {
          sink.series(name + "_total", labels, ((CounterSnapshot.CounterDataPointSnapshot) d).getValue());
        } else if (s instanceof GaugeSnapshot) {
          sink.series(name, labels, ((GaugeSnapshot.GaugeDataPointSnapshot) d).getValue());
        } else if (s instanceof HistogramSnapshot) {
          HistogramSnapshot.HistogramDataPointSnapshot h = (HistogramSnapshot.HistogramDataPointSnapshot) d;
          ClassicHistogramBuckets b = h.getClassicBuckets();
          long cumulative = 0;
          for (int i = 0; i < b.size(); i++) {
            cumulative += b.getCount(i);
            Map<String, String> withLe = new TreeMap<>(labels);
            withLe.put("le", le(b.getUpperBound(i)));
            sink.series(name + "_bucket", withLe, cumulative);
          }
          sink.series(name + "_count", labels, h.getCount());
          sink.series(name + "_sum", labels, h.getSum());
        }
      }
    }
  }

  private static String le(double bound) {
    if (bound == Double.POSITIVE_INFINITY) return "+Inf";
    return Double.toString(bound);
  }
}
