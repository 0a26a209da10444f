package io.llmload.gate;

import org.jspecify.annotations.Nullable;

/**
 * The gate's finding for one metric of one phase, with its evidence. For ratio metrics
 * {@code change}, {@code ciLow} and {@code ciHigh} are relative (0.10 = 10 % higher than the
 * baseline); for the error rate they are absolute differences of proportions. Absent values are
 * null.
 *
 * @param phase phase name
 * @param metric the metric
 * @param verdict regressed, improved, unchanged or inconclusive
 * @param baseline the baseline's value (from its summary)
 * @param current the current run's value
 * @param change current against baseline, relative or absolute (see above)
 * @param ciLow lower bound of the confidence interval of the change, at level 1 - alpha
 * @param ciHigh upper bound of that interval
 * @param pValue raw two-sided p-value of the test
 * @param pAdjusted Holm-adjusted p-value over all tests of the comparison
 * @param nBaseline per-request samples (requests, for the error rate) in the baseline
 * @param nCurrent the same in the current run
 * @param tolerance the tolerance applied, relative or absolute like {@code change}
 * @param test name of the test that gave the p-value
 * @param reason one line saying why this verdict
 */
public record MetricResult(
    String phase,
    ComparedMetric metric,
    Verdict verdict,
    @Nullable Double baseline,
    @Nullable Double current,
    @Nullable Double change,
    @Nullable Double ciLow,
    @Nullable Double ciHigh,
    @Nullable Double pValue,
    @Nullable Double pAdjusted,
    @Nullable Integer nBaseline,
    @Nullable Integer nCurrent,
    double tolerance,
    @Nullable String test,
    String reason) {

  MetricResult withDecision(Verdict v, @Nullable Double adjusted, String why) {
    return new MetricResult(phase, metric, v, baseline, current, change, ciLow, ciHigh, pValue, adjusted,
        nBaseline, nCurrent, tolerance, test, why);
  }
}
