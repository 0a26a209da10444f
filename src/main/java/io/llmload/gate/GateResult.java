package io.llmload.gate;

import java.util.List;

/**
 * The outcome of one comparison: a finding per phase and metric, and what was noticed on the way
 * (forced mismatches, incomplete runs, skipped lines).
 *
 * @param baseline where the baseline came from (folder or file name)
 * @param current where the current run came from
 * @param results one entry per phase and metric, phases in the baseline's order
 * @param warnings one line each
 * @param alpha family-wise error rate used
 * @param allowInconclusive whether an inconclusive comparison passes
 */
public record GateResult(
    String baseline,
    String current,
    List<MetricResult> results,
    List<String> warnings,
    double alpha,
    boolean allowInconclusive) {

  public GateResult {
    results = List.copyOf(results);
    warnings = List.copyOf(warnings);
  }

  /** Regressed if anything regressed, else inconclusive if anything was, else improved if anything was. */
  public Verdict verdict() {
    if (count(Verdict.REGRESSED) > 0) {
      return Verdict.REGRESSED;
    }
    if (count(Verdict.INCONCLUSIVE) > 0) {
      return Verdict.INCONCLUSIVE;
    }
    return count(Verdict.IMPROVED) > 0 ? Verdict.IMPROVED : Verdict.UNCHANGED;
  }

  public long count(Verdict v) {
    return results.stream().filter(r -> r.verdict() == v).count();
  }

  public List<MetricResult> regressions() {
    return results.stream().filter(r -> r.verdict() == Verdict.REGRESSED).toList();
  }

  /** 0 when nothing regressed (and nothing was inconclusive, unless allowed), 1 regressed, 3 inconclusive. */
  public int exitCode() {
    Verdict v = verdict();
    if (v == Verdict.REGRESSED) {
      return ExitCodes.REGRESSED;
    }
    if (v == Verdict.INCONCLUSIVE && !allowInconclusive) {
      return ExitCodes.INCONCLUSIVE;
    }
    return ExitCodes.OK;
  }
}
