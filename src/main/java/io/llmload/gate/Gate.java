package io.llmload.gate;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The regression gate: compares a run's summary.json with a baseline's, per phase and metric,
 * and says regressed, improved, unchanged or inconclusive with the evidence.
 *
 * <p>A change counts only when it is significant after Holm's correction over every test of the
 * comparison and larger than the metric's tolerance; when the data cannot rule out a change
 * beyond the tolerance the verdict is inconclusive, never a silent pass. docs/gate.md gives the
 * method and its reasons.
 *
 * <p>The parts: {@link GateInputs} (what may be compared), {@link PhaseComparison} and {@link Stats}
 * (the tests), {@link Decision} (the rules), {@link Fmt} and {@link GateReport} (the formatting).
 */
public final class Gate {
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
    GateInputs.checkComparable(base, cur, opts, warnings);
    JsonNode bc = baselineSummary.path(io.llmload.collector.runfolder.SummaryJson.CAPACITY), cc = currentSummary.path(io.llmload.collector.runfolder.SummaryJson.CAPACITY);
    if (bc.isObject() != cc.isObject()) {
      throw new GateInputException((bc.isObject() ? "the baseline" : "the current run") + " is a capacity search and "
          + (bc.isObject() ? "the current run" : "the baseline") + " is not: compare searches with searches");
    }
    // an interrupted search's bracket is no capacity either: refused like any incomplete run
    for (Summary s : List.of(base, cur)) {
      if (!s.complete) {
        String msg = s.label + " is an incomplete run (\"complete\": false)";
        if (!opts.force()) {
          throw new GateInputException(msg + "; pass -Dgate.force=true to compare anyway");
        }
        warnings.add(msg + ", compared because forced");
      }
    }
    if (bc.isObject()) {
      // a search's probes differ from run to run by design: its answer is compared, not its phases
      if (!bc.path("slo").equals(cc.path("slo")) || !bc.path("search").equals(cc.path("search"))) {
        warnings.add("the two capacity searches differ in search or SLO: baseline " + bc.path("search") + " " + bc.path("slo")
            + ", current " + cc.path("search") + " " + cc.path("slo"));
      }
      String earlier = CapacityComparison.historyAnswers(history);
      if (!earlier.isEmpty()) {
        warnings.add("capacity judged by the two brackets alone; the baseline's earlier searches (answers " + earlier
            + ") show the spread between runs but are not used (docs/gate.md)");
      }
      return new GateResult(baselineName, currentName, List.of(CapacityComparison.compare(bc, cc, opts)), warnings,
          opts.alpha(), opts.allowInconclusive());
    }
    List<Summary> hist = GateInputs.comparableHistory(history, cur, warnings);
    if (hist.size() < opts.minHistory()) {
      warnings.add("p-values from resampling requests within one run: the baseline has " + hist.size()
          + " comparable history runs, " + opts.minHistory() + " needed to judge changes against the spread"
          + " between runs (false alarms between runs are not bounded by alpha; docs/gate.md)");
      hist = List.of();
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
      boolean towardsHarm = Decision.harmful(r);
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
          : Decision.decide(r, Decision.harmful(r) ? adjHarm[i] : adjBenefit[i], opts.alpha()));
    }
    return new GateResult(baselineName, currentName, results, warnings, opts.alpha(), opts.allowInconclusive());
  }
}
