package io.llmload.collector;

import org.jspecify.annotations.Nullable;

/**
 * GPU energy over a time window, from samples of {@code gpu.csv}: the energy-counter delta (preferred)
 * or the integral of power (where no counter exists). Times are epoch milliseconds, as decimals so that
 * sub-millisecond captures keep their precision; samples must be in time order. Pure functions.
 */
public final class EnergyMath {

  private EnergyMath() {}

  /** Energy, duration, average power and joules per token of one window; {@code method} says how. */
  public record Window(double energyJ, double seconds, double avgPowerW, @Nullable Double joulesPerToken,
      String method) {}

  /**
   * Counter increase over [fromMs, toMs] in joules, the counter interpolated linearly at both edges
   * (clamped to the sampled span). A counter that goes down (driver reload resets it to 0) counts from
   * 0 for that step.
   *
   * @param counterMj cumulative energy counter, millijoules
   */
  public static double counterDeltaJ(double[] tMs, long[] counterMj, double fromMs, double toMs) {
    check(tMs.length, counterMj.length);
    double[] cum = new double[tMs.length];
    for (int i = 1; i < tMs.length; i++) {
      long d = counterMj[i] >= counterMj[i - 1] ? counterMj[i] - counterMj[i - 1] : counterMj[i];
      cum[i] = cum[i - 1] + d;
    }
    return (interpolate(tMs, cum, toMs) - interpolate(tMs, cum, fromMs)) / 1000.0;
  }

  /** Trapezoidal integral of power over [fromMs, toMs] in joules, power interpolated at the edges. */
  public static double integratePowerJ(double[] tMs, double[] watts, double fromMs, double toMs) {
    check(tMs.length, watts.length);
    if (tMs.length < 2 || toMs <= fromMs) {
      return 0.0;
    }
    double lo = Math.max(fromMs, tMs[0]);
    double hi = Math.min(toMs, tMs[tMs.length - 1]);
    if (hi <= lo) {
      return 0.0;
    }
    double j = 0.0;
    double prevT = lo;
    double prevW = interpolate(tMs, watts, lo);
    for (int i = 0; i < tMs.length; i++) {
      if (tMs[i] <= lo) {
        continue;
      }
      if (tMs[i] >= hi) {
        break;
      }
      j += (watts[i] + prevW) / 2.0 * (tMs[i] - prevT);
      prevT = tMs[i];
      prevW = watts[i];
    }
    double endW = interpolate(tMs, watts, hi);
    j += (endW + prevW) / 2.0 * (hi - prevT);
    return j / 1000.0;
  }

  /**
   * The window's figures from the counter when given, else from power.
   *
   * @param counterMj null when the source has no counter (nvidia-smi, powermetrics)
   * @param watts power samples, used when {@code counterMj} is null
   * @param outputTokens tokens generated in the window, or null
   */
  public static Window window(double[] tMs, long @Nullable [] counterMj, double @Nullable [] watts, double fromMs,
      double toMs, @Nullable Long outputTokens) {
    double seconds = (toMs - fromMs) / 1000.0;
    double e;
    String method;
    if (counterMj != null) {
      e = counterDeltaJ(tMs, counterMj, fromMs, toMs);
      method = "energy_counter";
    } else if (watts != null) {
      e = integratePowerJ(tMs, watts, fromMs, toMs);
      method = "integrated_power";
    } else {
      throw new IllegalArgumentException("counterMj, watts: one of them is needed");
    }
    Double jpt = outputTokens == null || outputTokens <= 0 ? null : e / outputTokens;
    return new Window(e, seconds, seconds > 0 ? e / seconds : Double.NaN, jpt, method);
  }

  /** Linear interpolation of {@code v} at {@code t}, clamped to the first/last sample. */
  static double interpolate(double[] t, double[] v, double at) {
    int n = t.length;
    if (n == 0) {
      return 0.0;
    }
    if (at <= t[0]) {
      return v[0];
    }
    if (at >= t[n - 1]) {
      return v[n - 1];
    }
    int lo = 0;
    int hi = n - 1;
    while (hi - lo > 1) {
      int mid = (lo + hi) >>> 1;
      if (t[mid] <= at) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    double span = t[hi] - t[lo];
    return span <= 0 ? v[hi] : v[lo] + (v[hi] - v[lo]) * (at - t[lo]) / span;
  }

  private static void check(int a, int b) {
    if (a != b) {
      throw new IllegalArgumentException("tMs and values must have the same length, got " + a + " and " + b);
    }
  }
}
