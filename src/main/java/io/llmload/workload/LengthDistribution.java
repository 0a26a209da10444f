package io.llmload.workload;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntSupplier;
import org.apache.commons.math3.distribution.LogNormalDistribution;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.distribution.UniformIntegerDistribution;
import org.apache.commons.math3.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * A token-length distribution written {@code fixed:N}, {@code uniform:A,B}, {@code normal:MEAN,SD}
 * or {@code lognormal:MU,SIGMA}; draws are rounded and clamped to {@code [1, max]}. Immutable: the
 * caller passes the seeded generator, so one distribution can serve many independent sequences.
 */
public final class LengthDistribution {
  static final String ALLOWED = "fixed:N, uniform:A,B, normal:MEAN,SD, lognormal:MU,SIGMA";

  enum Kind { FIXED, UNIFORM, NORMAL, LOGNORMAL }

  private final String name;
  private final String spec;
  private final Kind kind;
  private final double a;
  private final double b;
  private final @Nullable Integer max;

  private LengthDistribution(String name, String spec, Kind kind, double a, double b, @Nullable Integer max) {
    this.name = name;
    this.spec = spec;
    this.kind = kind;
    this.a = a;
    this.b = b;
    this.max = max;
  }

  /**
   * Parses a distribution.
   *
   * @param name the property, named in error messages
   * @param max the clamp, or null for none
   * @throws IllegalArgumentException with a one-line message naming the property and what is allowed
   */
  public static LengthDistribution parse(String name, String spec, @Nullable Integer max) {
    String s = spec == null ? "" : spec.trim().toLowerCase(Locale.ROOT);
    int colon = s.indexOf(':');
    String head = colon < 0 ? s : s.substring(0, colon);
    String[] args = colon < 0 ? new String[0] : s.substring(colon + 1).split(",", -1);
    Kind kind;
    switch (head) {
      case "fixed" -> kind = Kind.FIXED;
      case "uniform" -> kind = Kind.UNIFORM;
      case "normal" -> kind = Kind.NORMAL;
      case "lognormal" -> kind = Kind.LOGNORMAL;
      default -> throw new BadWorkload(name + ": '" + spec + "' is not one of " + ALLOWED);
    }
    int want = kind == Kind.FIXED ? 1 : 2;
    if (args.length != want) {
      throw new BadWorkload(name + ": '" + spec + "' is not one of " + ALLOWED);
    }
    double[] v = new double[2];
    for (int i = 0; i < want; i++) {
      try {
        v[i] = Double.parseDouble(args[i].trim());
      } catch (NumberFormatException e) {
        throw new BadWorkload(name + ": '" + spec + "' is not one of " + ALLOWED);
      }
      if (!Double.isFinite(v[i])) {
        throw new BadWorkload(name + ": '" + spec + "' is not one of " + ALLOWED);
      }
    }
    switch (kind) {
      case FIXED -> requireWhole(name, spec, "N", v[0], 1);
      case UNIFORM -> {
        requireWhole(name, spec, "A", v[0], 1);
        requireWhole(name, spec, "B", v[1], 1);
        if (v[1] < v[0]) throw new BadWorkload(name + ": '" + spec + "' has B < A; allowed: uniform:A,B with 1 <= A <= B");
      }
      case NORMAL -> {
        if (!(v[0] > 0)) throw new BadWorkload(name + ": '" + spec + "' needs MEAN > 0");
        if (!(v[1] > 0)) throw new BadWorkload(name + ": '" + spec + "' needs SD > 0 (use fixed:N for no spread)");
      }
      case LOGNORMAL -> {
        if (!(v[1] > 0)) throw new BadWorkload(name + ": '" + spec + "' needs SIGMA > 0 (use fixed:N for no spread)");
      }
    }
    return new LengthDistribution(name, spec.trim(), kind, v[0], v[1], max);
  }

  /** A fixed length, e.g. the default output bound. */
  public static LengthDistribution fixed(String name, int n) {
    return new LengthDistribution(name, "fixed:" + n, Kind.FIXED, n, 0, null);
  }

  private static void requireWhole(String name, String spec, String arg, double v, int min) {
    if (v != Math.rint(v) || v < min || v > Integer.MAX_VALUE) {
      throw new BadWorkload(name + ": '" + spec + "' needs " + arg + " a whole number >= " + min);
    }
  }

  /**
   * A sampler bound to one seeded generator. The distribution object is built once here, so each
   * draw allocates nothing.
   */
  public IntSupplier sampler(RandomGenerator rng) {
    return switch (kind) {
      case FIXED -> {
        int n = clamp(a);
        yield () -> n;
      }
      case UNIFORM -> {
        UniformIntegerDistribution d = new UniformIntegerDistribution(rng, (int) a, (int) b);
        yield () -> clamp(d.sample());
      }
      case NORMAL -> {
        NormalDistribution d = new NormalDistribution(rng, a, b);
        yield () -> clamp(d.sample());
      }
      case LOGNORMAL -> {
        LogNormalDistribution d = new LogNormalDistribution(rng, a, b);
        yield () -> clamp(d.sample());
      }
    };
  }

  private int clamp(double x) {
    long n = Math.round(x);
    if (n < 1) n = 1;
    if (max != null && n > max) n = max;
    return (int) Math.min(n, Integer.MAX_VALUE);
  }

  /** True when every draw gives the same length. */
  public boolean constant() {
    return kind == Kind.FIXED || (max != null && max == 1);
  }

  /** For {@code run.json}. */
  public Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("distribution", kind.name().toLowerCase(Locale.ROOT));
    m.put("spec", spec);
    switch (kind) {
      case FIXED -> m.put("n", (int) a);
      case UNIFORM -> { m.put("min", (int) a); m.put("max_inclusive", (int) b); }
      case NORMAL -> { m.put("mean", a); m.put("sd", b); }
      case LOGNORMAL -> { m.put("mu", a); m.put("sigma", b); }
    }
    if (max != null) m.put("clamp_max", max);
    return m;
  }

  @Override
  public String toString() {
    return name + "=" + spec;
  }
}
