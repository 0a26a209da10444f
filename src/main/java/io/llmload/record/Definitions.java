package io.llmload.record;

import io.llmload.wire.StreamState;
import io.llmload.wire.Tpot;
import org.jspecify.annotations.Nullable;

/**
 * The metric definitions, version {@link RequestRecord#DEFINITIONS} (README "What the numbers
 * mean"): one formula each, used by the action when a request ends and by the aggregator. Instants
 * are {@code System.nanoTime()} values, 0 when the event never happened; durations are ms.
 *
 * <ul>
 *   <li>queue delay: start − scheduled (the generator's own lateness);
 *   <li>TTFB, TTFT, TTFO, last token: that instant − sent (after connection setup);
 *   <li>E2E: end of stream − sent;
 *   <li>ITL: the per-sequence, multi-token-aware gaps that {@link StreamState} keeps as tokens arrive;
 *   <li>TPOT: {@link #tpotMs};
 *   <li>tokens/s: output tokens / E2E; decode tokens/s: 1000 / TPOT;
 *   <li>goodput: requests that are ok and {@link #meetsSlo} / the phase's window (the capacity
 *       search's attainment is the same test: {@link #sloMargin} at most 1);
 *   <li>energy per token: GPU energy in the window / tokens that arrived in it.
 * </ul>
 */
public final class Definitions {
  private Definitions() {}

  public static double ms(long nanos) {
    return nanos / 1e6;
  }

  /** Queue delay: how late the generator started the request against its scheduled instant. */
  public static double queueDelayMs(long scheduledNanos, long startNanos) {
    return ms(startNanos - scheduledNanos);
  }

  /** TTFB, TTFT, TTFO, last token (from sent), TTFT from scheduled: null when the instant never came. */
  public static @Nullable Double sinceMs(long fromNanos, long instantNanos) {
    return instantNanos == 0 ? null : ms(instantNanos - fromNanos);
  }

  /** E2E: end of stream − sent; null when the request was never written. */
  public static @Nullable Double e2eMs(long sentNanos, long endNanos) {
    return sentNanos == 0 ? null : ms(endNanos - sentNanos);
  }

  /** TPOT: the request's mean inter-token gap (see {@link Tpot} for one and several sequences). */
  public static @Nullable Double tpotMs(long outputTokens, StreamState st) {
    return Tpot.ms(outputTokens, st);
  }

  /** Decode tokens/s: 1000 / TPOT, null without a TPOT. */
  public static @Nullable Double decodeTokensPerS(@Nullable Double tpotMs) {
    return tpotMs != null && tpotMs > 0 ? 1000.0 / tpotMs : null;
  }

  /** Tokens/s of one request: output tokens / E2E in seconds. */
  public static @Nullable Double tokensPerS(long outputTokens, @Nullable Double e2eMs) {
    return e2eMs != null && e2eMs > 0 && outputTokens > 0 ? outputTokens / (e2eMs / 1000.0) : null;
  }

  /** {@link #meetsSlo(double, double, double, Double, Double, Double)} without an E2E bound. */
  public static boolean meetsSlo(double ttftFromScheduledMs, double tpotMs, @Nullable Double ttftBoundMs,
      @Nullable Double tpotBoundMs) {
    return meetsSlo(ttftFromScheduledMs, tpotMs, Double.NaN, ttftBoundMs, tpotBoundMs, null);
  }

  /**
   * Whether a request counts toward goodput: TTFT and E2E from the scheduled instant within their
   * bounds, and TPOT within its bound (NaN, fewer than two tokens, cannot break it); a missing TTFT
   * or E2E under a bound breaks it. A null bound is no bound. Its {@link #sloMargin} is at most 1.
   */
  public static boolean meetsSlo(double ttftFromScheduledMs, double tpotMs, double e2eFromScheduledMs,
      @Nullable Double ttftBoundMs, @Nullable Double tpotBoundMs, @Nullable Double e2eBoundMs) {
    return sloMargin(ttftFromScheduledMs, tpotMs, e2eFromScheduledMs, ttftBoundMs, tpotBoundMs, e2eBoundMs) <= 1;
  }

  /**
   * How close a request is to its SLO: the largest of value / bound over the bounds given (TTFT and
   * E2E from the scheduled instant, TPOT); it meets the SLO when this is at most 1. A missing TTFT
   * or E2E under a bound is +∞ (the request never got there); a missing TPOT breaks nothing. A
   * capacity search fits these margins against load to place its next probe.
   */
  public static double sloMargin(double ttftFromScheduledMs, double tpotMs, double e2eFromScheduledMs,
      @Nullable Double ttftBoundMs, @Nullable Double tpotBoundMs, @Nullable Double e2eBoundMs) {
    double m = 0;
    if (ttftBoundMs != null) m = Math.max(m, Double.isNaN(ttftFromScheduledMs) ? Double.POSITIVE_INFINITY : ttftFromScheduledMs / ttftBoundMs);
    if (tpotBoundMs != null && !Double.isNaN(tpotMs)) m = Math.max(m, tpotMs / tpotBoundMs);
    if (e2eBoundMs != null) m = Math.max(m, Double.isNaN(e2eFromScheduledMs) ? Double.POSITIVE_INFINITY : e2eFromScheduledMs / e2eBoundMs);
    return m;
  }

  /** A count per second of the window, NaN without a window (request rate, goodput, throughput). */
  public static double perSecond(double count, double windowSeconds) {
    return windowSeconds > 0 ? count / windowSeconds : Double.NaN;
  }

  /** Energy per token: J / output tokens, NaN without energy or tokens. */
  public static double joulesPerToken(double energyJ, long outputTokens) {
    return !Double.isNaN(energyJ) && energyJ > 0 && outputTokens > 0 ? energyJ / outputTokens : Double.NaN;
  }

  /** Tokens per Wh, NaN without energy or tokens. */
  public static double tokensPerWh(double energyJ, long outputTokens) {
    return !Double.isNaN(energyJ) && energyJ > 0 && outputTokens > 0 ? outputTokens / (energyJ / 3600.0) : Double.NaN;
  }
}
