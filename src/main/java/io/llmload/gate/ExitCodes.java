package io.llmload.gate;

/** Exit codes of {@link GateMain} and of a gated Gatling run. */
public final class ExitCodes {
  /** Nothing regressed; nothing inconclusive, or inconclusive allowed. */
  public static final int OK = 0;
  public static final int REGRESSED = 1;
  /** Corrupt, missing or mismatched input, or a bad option. */
  public static final int BAD_INPUT = 2;
  /** Not enough evidence to pass, and -Dgate.allowInconclusive=true not given. */
  public static final int INCONCLUSIVE = 3;

  private ExitCodes() {}
}
