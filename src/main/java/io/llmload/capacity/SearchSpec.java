package io.llmload.capacity;

import io.llmload.config.Params;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * What a capacity search looks for and how long it may take, from {@code -D} properties; every
 * bad value is one line naming the property and what is allowed, before any load.
 *
 * @param rate true for a rate search (arrivals/s), false for concurrency (users in flight)
 * @param precision the bracket's relative width at which the search stops (0.10 = 10 %)
 * @param window a probe's nominal measured window; {@code maxWindow} is how far it may be extended
 * @param minWindow no verdict before this much of the window, however certain
 * @param minSamples no verdict before this many requests ended in the window
 */
public record SearchSpec(boolean rate, double min, double max, double precision, Duration budget,
    Duration warmup, Duration window, Duration maxWindow, Duration minWindow, int minSamples,
    Slo slo) {

  /** The bounds every request must meet (null: no bound) and the share that must meet them. */
  public record Slo(@Nullable Double ttftMs, @Nullable Double tpotMs, @Nullable Double e2eMs, double fraction) {}

  public static SearchSpec from(Params p) {
    boolean rate = p.choice("search", "concurrency", "concurrency", "rate").equals("rate");
    double min = rate ? p.positiveDouble("min", 1) : p.positiveInt("min", 1);
    double max = rate ? p.positiveDouble("max", 100) : p.positiveInt("max", 256);
    if (max <= min) throw p.invalid("max: " + num(max) + " is out of range; allowed: greater than min (" + num(min) + ")");
    double precision = percent(p, p.string("precision", "10%"));
    Duration budget = p.positiveDuration("maxDuration", Duration.ofMinutes(10));
    Duration warmup = p.duration("warmup", Duration.ofSeconds(5));
    Duration window = p.positiveDuration("probe.window", Duration.ofSeconds(10));
    Duration maxWindow = p.positiveDuration("probe.maxWindow", window.multipliedBy(3));
    if (maxWindow.compareTo(window) < 0) throw p.invalid("probe.maxWindow: must be at least probe.window (" + window + ")");
    Duration minWindow = p.positiveDuration("probe.minWindow", Duration.ofSeconds(3));
    if (minWindow.compareTo(window) > 0) throw p.invalid("probe.minWindow: must be at most probe.window (" + window + ")");
    int minSamples = p.intIn("probe.minSamples", 20, 1, 1_000_000);
    Slo slo = new Slo(ms(p, "slo.ttft"), ms(p, "slo.tpot"), ms(p, "slo.e2e"), fraction(p));
    if (slo.ttftMs() == null && slo.tpotMs() == null && slo.e2eMs() == null) {
      throw p.invalid("slo.ttft: a capacity search needs an SLO; give at least one of -Dslo.ttft, -Dslo.tpot, -Dslo.e2e (e.g. 2s)");
    }
    return new SearchSpec(rate, min, max, precision, budget, warmup, window, maxWindow, minWindow, minSamples, slo);
  }

  /** The load as written in phase names and reports: whole users, or a rate to 3 significant digits. */
  public String show(double load) {
    return rate ? num(Math.round(load * 1000) / 1000.0) : Long.toString(Math.round(load));
  }

  /** True when the bracket [lo, hi] is as narrow as asked: within the precision, or one user apart. */
  public boolean narrow(double lo, double hi) {
    if (!rate && hi - lo <= 1) return true;
    return hi - lo <= lo * precision + 1e-9;
  }

  private static @Nullable Double ms(Params p, String name) {
    Duration d = p.optionalDuration(name);
    if (d == null) return null;
    if (d.isZero()) throw p.invalid(name + ": must be greater than 0, e.g. 2s");
    return d.toNanos() / 1e6;
  }

  private static double fraction(Params p) {
    String v = p.string("slo.fraction", "0.95");
    double f;
    try {
      f = Double.parseDouble(v.trim());
    } catch (NumberFormatException e) {
      throw p.invalid("slo.fraction: '" + v + "' is not a number; allowed: a share in (0, 1], e.g. 0.95");
    }
    if (!(f > 0 && f <= 1)) throw p.invalid("slo.fraction: " + v + " is out of range; allowed: a share in (0, 1], e.g. 0.95");
    return f;
  }

  private static double percent(Params p, String v) {
    String t = v.trim();
    boolean pct = t.endsWith("%");
    double x;
    try {
      x = Double.parseDouble(pct ? t.substring(0, t.length() - 1).trim() : t);
    } catch (NumberFormatException e) {
      throw p.invalid("precision: '" + v + "' is not a percentage; allowed: 1% to 50%, e.g. 10%");
    }
    if (pct) x /= 100;
    if (!(x >= 0.01 && x <= 0.5)) throw p.invalid("precision: " + v + " is out of range; allowed: 1% to 50%, e.g. 10%");
    return x;
  }

  static String num(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }
}
