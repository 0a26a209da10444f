package io.llmload.gate;

import java.util.Locale;

/** What the gate concludes for one metric of one phase, or for a whole comparison. */
public enum Verdict {
  REGRESSED,
  IMPROVED,
  UNCHANGED,
  /** Not enough evidence either way: too few samples, a missing value, or an interval that reaches past the tolerance. */
  INCONCLUSIVE;

  /** The lower-case name used in verdict.json, verdict.md and on the console. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
