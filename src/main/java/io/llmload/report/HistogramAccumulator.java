package io.llmload.report;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.llmload.collector.runfolder.SummaryJson.Stats;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.util.Base64;
import org.HdrHistogram.Histogram;

/**
 * One per-request figure of a phase: an HdrHistogram for the percentiles, with the exact count,
 * sum and maximum kept beside it so that mean and max are not bucketed. The histogram is a
 * {@code PackedHistogram}: the same buckets and counts as a plain one (percentiles and the encoded
 * form are identical), stored for the buckets in use only: a phase's dozen figures take about
 * 180 KB instead of 1.5 MB, which matters because the aggregator keeps a set per phase for each
 * part of the file it reads in parallel. Recording costs about 25 ns more per value.
 */
final class HistogramAccumulator {
  private final Histogram histogram = new org.HdrHistogram.PackedHistogram(3);
  private final double unitsPerValue;
  private long n;
  private double sum;
  private double max = Double.NEGATIVE_INFINITY;
  private double min = Double.POSITIVE_INFINITY;

  /** @param unitsPerValue histogram units per recorded value: 1000 records milliseconds as µs */
  HistogramAccumulator(double unitsPerValue) {
    this.unitsPerValue = unitsPerValue;
  }

  void record(double v) {
    recordWeighted(v, 1, v);
  }

  /** Records {@code v} {@code count} times; {@code maxSeen} is the largest value behind them. */
  void recordWeighted(double v, long count, double maxSeen) {
    if (!(v >= 0) || Double.isInfinite(v) || count <= 0) return;
    histogram.recordValueWithCount(Math.max(0, Math.round(v * unitsPerValue)), count);
    n += count;
    sum += v * count;
    if (maxSeen > max) max = maxSeen;
    if (v < min) min = v;
  }

  /** The histogram itself, in its units, for values recorded there directly ({@link #noteRecorded}). */
  Histogram histogram() {
    return histogram;
  }

  /**
   * Accounts for {@code count} values recorded straight into {@link #histogram()}: their exact sum,
   * largest and smallest value (in the metric's values, e.g. ms).
   */
  void noteRecorded(long count, double sum, double maxSeen, double minSeen) {
    if (count <= 0) return;
    n += count;
    this.sum += sum;
    if (maxSeen > max) max = maxSeen;
    if (minSeen < min) min = minSeen;
  }

  void add(HistogramAccumulator other) {
    histogram.add(other.histogram);
    n += other.n;
    sum += other.sum;
    max = Math.max(max, other.max);
    min = Math.min(min, other.min);
  }

  long count() {
    return n;
  }

  double mean() {
    return n == 0 ? Double.NaN : sum / n;
  }

  double percentile(double p) {
    if (n == 0) return Double.NaN;
    // The middle of the value's bucket, kept within the exact range seen.
    double v = histogram.medianEquivalentValue(histogram.getValueAtPercentile(p)) / unitsPerValue;
    return Math.min(max, Math.max(min, v));
  }

  double max() {
    return n == 0 ? Double.NaN : max;
  }

  /** Count of recorded values within [lo, hi), for distribution charts. */
  long countBetween(double lo, double hi) {
    long l = Math.round(lo * unitsPerValue);
    long h = Math.round(hi * unitsPerValue) - 1;
    if (h < l) return 0;
    return histogram.getCountBetweenValues(l, h);
  }

  /** {@code {"n","mean","p50","p90","p95","p99","max"}}, or null with no values. */
  ObjectNode latencyStats() {
    if (n == 0) return null;
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put(Stats.N, n);
    o.put(Stats.MEAN, Num.round(mean()));
    o.put(Stats.P50, Num.round(percentile(50)));
    o.put(Stats.P90, Num.round(percentile(90)));
    o.put(Stats.P95, Num.round(percentile(95)));
    o.put(Stats.P99, Num.round(percentile(99)));
    o.put(Stats.MAX, Num.round(max()));
    return o;
  }

  /** Speed figures, where the slow tail matters: {@code {"n","mean","p5","p50","p95","p99","max"}}. */
  ObjectNode speedStats() {
    if (n == 0) return null;
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put(Stats.N, n);
    o.put(Stats.MEAN, Num.round(mean()));
    o.put(Stats.P5, Num.round(percentile(5)));
    o.put(Stats.P50, Num.round(percentile(50)));
    o.put(Stats.P95, Num.round(percentile(95)));
    o.put(Stats.P99, Num.round(percentile(99)));
    o.put(Stats.MAX, Num.round(max()));
    return o;
  }

  /** The histogram, compressed and base64-encoded (values in histogram units). */
  String encoded() {
    ByteBuffer buf = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
    int len = histogram.encodeIntoCompressedByteBuffer(buf);
    byte[] bytes = new byte[len];
    buf.flip();
    buf.get(bytes);
    return Base64.getEncoder().encodeToString(bytes);
  }
}
