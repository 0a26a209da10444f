package io.llmload.gate;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * GateBenchMain's counts under the confirmation rule: how often the first run regressed (per
 * metric, for the derived rates) and how often the second run confirmed it.
 */
final class ConfirmTally {
  private static final double Z = 1.959964;
  private final Map<String, Integer> singleByMetric = new TreeMap<>();
  private int singleAny;
  private int singleTtft;
  private int singleTput;
  private int falseAlarms;
  private int ttft;
  private int tput;
  private int extraRuns;

  /** The first runs' single-run outcomes: any metric of the identical run, TTFT and tokens/s of the slowed ones. */
  void single(GateResult same, MetricResult ttftOfSlowPrefill, MetricResult tputOfSlowDecode) {
    singleAny += same.count(Verdict.REGRESSED) > 0 ? 1 : 0;
    same.regressions().forEach(m -> singleByMetric.merge(Confirmation.key(m), 1, Integer::sum));
    singleTtft += ttftOfSlowPrefill.verdict() == Verdict.REGRESSED ? 1 : 0;
    singleTput += tputOfSlowDecode.verdict() == Verdict.REGRESSED ? 1 : 0;
  }

  int extraRuns() {
    return extraRuns;
  }

  void falseAlarm(boolean confirmed) {
    extraRuns++;
    falseAlarms += confirmed ? 1 : 0;
  }

  void ttft(boolean confirmed) {
    extraRuns++;
    ttft += confirmed ? 1 : 0;
  }

  void tput(boolean confirmed) {
    extraRuns++;
    tput += confirmed ? 1 : 0;
  }

  void print(int pairs, boolean detect, PrintStream out) {
    out.printf(Locale.ROOT, "RESULT confirmation rule (%s): %d confirmation runs over %d pairs%n",
        Confirmation.RULE, extraRuns, pairs);
    out.println("RESULT " + GateBenchMain.rate("CONFIRMED false alarms, identical configuration (the same metric"
        + " regressed in the run and in its confirmation run)", falseAlarms, pairs));
    if (detect) {
      out.println("RESULT " + GateBenchMain.rate("CONFIRMED detection, slower prefill: ttft_p50 regressed in both",
          ttft, pairs));
      out.println("RESULT " + GateBenchMain.rate("CONFIRMED detection, slower decode: output_tokens_per_s regressed"
          + " in both", tput, pairs));
    }
    // runs are independent (new seeds, the same history), so the rule's rates follow from the
    // single-run rates: P(metric m twice) = p_m^2; summed over metrics for a false alarm
    double derivedFa = 0;
    for (int x : singleByMetric.values()) {
      derivedFa += Math.pow((double) x / pairs, 2);
    }
    out.printf(Locale.ROOT, "RESULT DERIVED (not measured: single-run rates squared, runs independent):"
        + " false alarms sum over metrics of p_m^2 = %.1f %% from single-run per-metric counts %s of %d;"
        + " 'any metric in both' would be at most p^2 = %s%n", 100 * derivedFa, singleByMetric, pairs,
        squared(singleAny, pairs));
    if (detect) {
      out.printf(Locale.ROOT, "RESULT DERIVED detection p^2: ttft_p50 %s; output_tokens_per_s %s%n",
          squared(singleTtft, pairs), squared(singleTput, pairs));
    }
  }

  /** x/n squared with the Wilson 95 % bounds squared (squaring is monotone on [0, 1]). */
  static String squared(int x, int n) {
    double[] w = Stats.wilson(x, n, Z);
    double p = (double) x / n;
    return String.format(Locale.ROOT, "(%d/%d)^2 = %.1f %% (from the Wilson 95 %% interval: %.1f %% to %.1f %%)",
        x, n, 100 * p * p, 100 * w[0] * w[0], 100 * w[1] * w[1]);
  }
}
