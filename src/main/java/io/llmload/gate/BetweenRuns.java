package io.llmload.gate;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.distribution.TDistribution;
import org.jspecify.annotations.Nullable;

/**
 * A metric judged against the spread between earlier runs of the same configuration (a
 * baseline's history): the only spread that holds everything that differs from run to run (which
 * users happened to batch together, how a closed loop settled, the machine's state), where
 * resampling the requests of one run sees only the noise within it.
 *
 * <p>Per phase and metric, the log values of the k history runs give a mean m and a standard
 * deviation s (k - 1 degrees of freedom). A new run of the same configuration falls at
 * (x - m) / (s sqrt(1 + 1/k)), which follows Student's t with k - 1 degrees of freedom when the log
 * values are normal (a prediction interval): that is the p-value, and the interval of the change
 * is exp(x - m ± t s sqrt(1 + 1/k)) - 1. Logs, because the metrics are positive and their
 * spread scales with their size. docs/gate.md.
 */
final class BetweenRuns {
  /** Below this relative spread the history is taken as this precise: identical values would give s = 0. */
  static final double MIN_SPREAD = 0.002;

  private BetweenRuns() {}

  /** The finding for one metric, p-value set and not yet decided; null when neither side has the metric. */
  static @Nullable MetricResult compare(ComparedMetric m, List<Summary.Phase> history, Summary.Phase cur, GateOptions opts) {
    List<Double> logs = new ArrayList<>();
    for (Summary.Phase p : history) {
      Double v = p.value(m);
      if (v != null && v > 0) {
        logs.add(Math.log(v));
      }
    }
    Double vc = cur.value(m);
    if ((m == ComparedMetric.J_PER_TOKEN || m == ComparedMetric.INPUTS_PER_S) && vc == null && logs.isEmpty()) {
      return null; // no GPU energy, or no inputs (a generating endpoint): not a metric of this comparison
    }
    if (m == ComparedMetric.THROUGHPUT && vc != null && vc == 0 && logs.isEmpty() && cur.value(ComparedMetric.INPUTS_PER_S) != null) {
      return null; // embeddings or rerank: judged by inputs/s
    }
    int k = logs.size();
    double mean = logs.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    Double base = k == 0 ? null : Math.exp(mean);
    if (vc == null || !(vc > 0)) {
      return inconclusive(m, cur, base, vc, k, opts, "no positive " + m.key() + " in the current run");
    }
    if (k < opts.minHistory()) {
      return inconclusive(m, cur, base, vc, k, opts, "only " + k + " of the baseline's " + history.size()
          + " history runs have " + m.key() + ", at least " + opts.minHistory() + " needed");
    }
    double ss = 0;
    for (double x : logs) {
      ss += (x - mean) * (x - mean);
    }
    double sd = Math.max(Math.sqrt(ss / (k - 1)), MIN_SPREAD);
    double se = sd * Math.sqrt(1 + 1.0 / k);
    double d = Math.log(vc) - mean;
    TDistribution t = new TDistribution(k - 1);
    double p = Math.min(1, 2 * t.cumulativeProbability(-Math.abs(d) / se));
    double q = t.inverseCumulativeProbability(1 - opts.alpha() / 2);
    double ratio = Math.exp(d);
    return new MetricResult(cur.name, m, Verdict.INCONCLUSIVE, base, vc, ratio - 1,
        ratio * Math.exp(-q * se) - 1, ratio * Math.exp(q * se) - 1, p, null, k, 1, opts.tolerance(m),
        "between-run t over " + k + " baseline runs", "");
  }

  private static MetricResult inconclusive(ComparedMetric m, Summary.Phase cur, @Nullable Double b, @Nullable Double c,
      int k, GateOptions opts, String reason) {
    Double change = b != null && c != null && b != 0 ? c / b - 1 : null;
    return new MetricResult(cur.name, m, Verdict.INCONCLUSIVE, b, c, change, null, null, null, null, k, 1,
        opts.tolerance(m), null, reason);
  }
}
