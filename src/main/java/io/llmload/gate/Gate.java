package io.llmload.gate;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The regression gate: compares a run's summary.json with a baseline's, per phase and metric,
 * and says regressed, improved, unchanged or inconclusive with the evidence.
 *
 * <p>A change counts only when it is significant after Holm's correction over every test of the
 * comparison and larger than the metric's tolerance; when the data cannot rule out a change
 * beyond the tolerance the verdict is inconclusive, never a silent pass. docs/gate.md gives the
 * method and its reasons.
 */
public final class Gate {
  /** Fewest values above a p95 for its bootstrap and tail test to mean anything. */
  static final int MIN_TAIL_COUNT = 5;
  /**
   * "Unchanged" needs an interval that excludes a harmful change of this many tolerances. At 1
   * a short run could almost never pass (0 failures in 200 requests cannot exclude a 1.5 %
   * error rate); at 2 a run too small to see a change of twice the tolerance is inconclusive.
   */
  static final double UNDERPOWERED_FACTOR = 2.0;

  private Gate() {}

  /** Compares two summary.json trees (schema 1). Throws {@link GateInputException} on bad input. */
  public static GateResult compare(JsonNode baselineSummary, JsonNode currentSummary, GateOptions opts) {
    return compare(baselineSummary, "baseline", currentSummary, "current", opts);
  }

  /** As {@link #compare(JsonNode, JsonNode, GateOptions)}, naming the inputs in messages. */
  public static GateResult compare(JsonNode baselineSummary, String baselineName, JsonNode currentSummary,
      String currentName, GateOptions opts) {
    return compare(baselineSummary, List.of(), baselineName, currentSummary, currentName, opts);
  }

  /**
   * As {@link #compare(JsonNode, String, JsonNode, String, GateOptions)} with the summaries of
   * earlier passed baseline runs ({@link BaselineStore#history}): with at least {@code
   * gate.minHistory} of them comparable with the current run, each metric is judged against the
   * spread between those runs ({@link BetweenRuns}) instead of resampling within one run.
   */
  public static GateResult compare(JsonNode baselineSummary, List<JsonNode> history, String baselineName,
      JsonNode currentSummary, String currentName, GateOptions opts) {
    Objects.requireNonNull(opts, "opts");
    List<String> warnings = new ArrayList<>();
    Summary base = Summary.parse(baselineSummary, "baseline " + baselineName, warnings);
    Summary cur = Summary.parse(currentSummary, "current " + currentName, warnings);
    checkComparable(base, cur, opts, warnings);
    List<Summary> hist = comparableHistory(history, cur, warnings);
    if (hist.size() < opts.minHistory()) {
      warnings.add("p-values from resampling requests within one run: the baseline has " + hist.size()
          + " comparable history runs, " + opts.minHistory() + " needed to judge changes against the spread"
          + " between runs (false alarms between runs are not bounded by alpha; docs/gate.md)");
      hist = List.of();
    }
    for (Summary s : List.of(base, cur)) {
      if (!s.complete) {
        String msg = s.label + " is an incomplete run (\"complete\": false)";
        if (!opts.force()) {
          throw new GateInputException(msg + "; pass -Dgate.force=true to compare anyway");
        }
        warnings.add(msg + ", compared because forced");
      }
    }

    List<MetricResult> pending = new ArrayList<>();
    for (int i = 0; i < base.phases.size(); i++) {
      Summary.Phase bp = base.phases.get(i);
      Summary.Phase cp = cur.phase(bp.name);
      if (cp == null) {
        throw new GateInputException("phase '" + bp.name + "' of the baseline is missing from the current run"
            + " (its phases: " + String.join(", ", cur.phaseNames()) + ")");
      }
      List<Summary.Phase> hp = new ArrayList<>();
      for (Summary h : hist) {
        Summary.Phase p = h.phase(bp.name);
        if (p != null) {
          hp.add(p);
        }
      }
      new PhaseComparison(bp, cp, hp, opts, opts.seed() * 1_000_003L + i).addTo(pending);
    }
    for (Summary.Phase cp : cur.phases) {
      if (base.phase(cp.name) == null) {
        warnings.add("phase '" + cp.name + "' of the current run is not in the baseline and was not compared");
      }
    }

    // A regression and an improvement are separate claims, each with its own family: the
    // one-sided p-values towards harm go through Holm together, and those towards benefit, so
    // that the chance of any false "regressed" (and of any false "improved") stays under alpha.
    // The one-sided p-value in the direction of the change is half the two-sided one.
    double[] harm = new double[pending.size()];
    double[] benefit = new double[pending.size()];
    for (int i = 0; i < harm.length; i++) {
      MetricResult r = pending.get(i);
      Double p = r.pValue();
      boolean towardsHarm = harmful(r);
      harm[i] = p == null ? Double.NaN : towardsHarm ? p / 2 : 1 - p / 2;
      benefit[i] = p == null ? Double.NaN : towardsHarm ? 1 - p / 2 : p / 2;
    }
    double[] adjHarm = Stats.holm(harm);
    double[] adjBenefit = Stats.holm(benefit);
    List<MetricResult> results = new ArrayList<>(pending.size());
    for (int i = 0; i < pending.size(); i++) {
      MetricResult r = pending.get(i);
      results.add(r.verdict() == Verdict.INCONCLUSIVE && r.pValue() == null
          ? r
          : decide(r, harmful(r) ? adjHarm[i] : adjBenefit[i], opts.alpha()));
    }
    return new GateResult(baselineName, currentName, results, warnings, opts.alpha(), opts.allowInconclusive());
  }

  /** The history runs comparable with the current one and complete; the rest left out with a warning. */
  private static List<Summary> comparableHistory(List<JsonNode> history, Summary cur, List<String> warnings) {
    List<Summary> out = new ArrayList<>();
    int left = 0;
    for (int i = 0; i < history.size(); i++) {
      Summary h = Summary.parse(history.get(i), "history run " + (i + 1), new ArrayList<>());
      if (h.complete && Comparability.differences(h, cur).isEmpty()) {
        out.add(h);
      } else {
        left++;
      }
    }
    if (left > 0) {
      warnings.add(left + " of the baseline's " + history.size() + " history runs left out: incomplete or"
          + " not comparable with the current run");
    }
    return out;
  }

  private static void checkComparable(Summary base, Summary cur, GateOptions opts, List<String> warnings) {
    List<String> diffs = Comparability.differences(base, cur);
    if (diffs.isEmpty()) {
      return;
    }
    String msg = "baseline is not comparable with the current run: " + String.join("; ", diffs);
    if (!opts.force()) {
      throw new GateInputException(msg + " (pass -Dgate.force=true to compare anyway)");
    }
    warnings.add(msg + ", compared because forced");
  }

  /** Whether the observed change points towards harm: up for latency, errors and energy, down for throughput. */
  private static boolean harmful(MetricResult r) {
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

  /** Number formatting for reasons and reports, always {@link Locale#ROOT}. */
  static final class Fmt {
    private Fmt() {}

    static String change(Metric m, @Nullable Double v) {
      if (v == null) {
        return "n/a";
      }
      return m.absolute()
          ? String.format(Locale.ROOT, "%+.2f pp", v * 100)
          : String.format(Locale.ROOT, "%+.1f%%", v * 100);
    }

    static String tolerance(Metric m, double t) {
      return m.absolute()
          ? String.format(Locale.ROOT, "%.2f pp", t * 100)
          : String.format(Locale.ROOT, "%.1f%%", t * 100);
    }

    static String p(@Nullable Double p) {
      if (p == null) {
        return "n/a";
      }
      return p < 0.001 ? String.format(Locale.ROOT, "%.1e", p) : String.format(Locale.ROOT, "%.3f", p);
    }

    static String value(Metric m, @Nullable Double v) {
      if (v != null && m.absolute()) {
        return String.format(Locale.ROOT, "%.2f%%", v * 100);
      }
      return value(v);
    }

    static String value(@Nullable Double v) {
      if (v == null) {
        return "n/a";
      }
      double a = Math.abs(v);
      if (a != 0 && a < 0.01) {
        return String.format(Locale.ROOT, "%.4f", v);
      }
      return String.format(Locale.ROOT, a >= 100 ? "%.1f" : "%.2f", v);
    }
  }
}
