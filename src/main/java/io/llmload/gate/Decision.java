package io.llmload.gate;

/**
 * The gate's decision rules: a change counts only when significant after Holm's correction and
 * beyond the metric's tolerance; an interval that cannot rule out a harmful change is inconclusive.
 */
final class Decision {
  /** Fewest values above a p95 for its bootstrap and tail test to mean anything. */
  static final int MIN_TAIL_COUNT = 5;
  /**
   * "Unchanged" needs an interval that excludes a harmful change of this many tolerances. At 1
   * a short run could almost never pass (0 failures in 200 requests cannot exclude a 1.5 %
   * error rate); at 2 a run too small to see a change of twice the tolerance is inconclusive.
   */
  static final double UNDERPOWERED_FACTOR = 2.0;

  private Decision() {}

  /** Whether the observed change points towards harm: up for latency, errors and energy, down for throughput. */
  static boolean harmful(MetricResult r) {
    Double c = r.change();
    return c != null && (r.metric().higherIsBetter() ? c < 0 : c > 0);
  }

  /** Applies significance, tolerance and interval to one finding whose p-value is known. */
  static MetricResult decide(MetricResult r, double pAdjusted, double alpha) {
    double tol = r.tolerance();
    double change = r.change();
    // "bad" is the change in the harmful direction: up for latency, errors and energy, down for throughput
    boolean flip = r.metric().higherIsBetter();
    double bad = flip ? -change : change;
    double badHigh = flip ? -r.ciLow() : r.ciHigh();
    boolean significant = pAdjusted < alpha;
    String evidence = Fmt.change(r.metric(), change) + " (CI " + Fmt.change(r.metric(), r.ciLow()) + " to "
        + Fmt.change(r.metric(), r.ciHigh()) + ", p_adj " + Fmt.p(pAdjusted) + ", tolerance "
        + Fmt.tolerance(r.metric(), tol) + ")";
    if (significant && bad > tol) {
      return r.withDecision(Verdict.REGRESSED, pAdjusted, "significant change beyond the tolerance: " + evidence);
    }
    if (significant && -bad > tol) {
      return r.withDecision(Verdict.IMPROVED, pAdjusted, "significant change beyond the tolerance: " + evidence);
    }
    if (bad > tol) {
      return r.withDecision(Verdict.INCONCLUSIVE, pAdjusted,
          "a change beyond the tolerance that is not significant (more samples needed): " + evidence);
    }
    if (badHigh > UNDERPOWERED_FACTOR * tol) {
      return r.withDecision(Verdict.INCONCLUSIVE, pAdjusted,
          "the interval cannot rule out a regression of twice the tolerance (more samples needed): " + evidence);
    }
    return r.withDecision(Verdict.UNCHANGED, pAdjusted,
        (significant ? "significant but within the tolerance: " : "no significant change: ") + evidence);
  }
}
