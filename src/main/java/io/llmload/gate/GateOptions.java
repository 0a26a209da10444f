package io.llmload.gate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Settings of one comparison. Immutable, so all methods return a new occurrence and leave the
 * original unmodified.
 *
 * <p>System properties (all optional): {@code gate.alpha} (family-wise error rate, default 0.05),
 * {@code gate.minSamples} (default 30), {@code gate.resamples} (bootstrap resamples, default 2000),
 * {@code gate.seed} (bootstrap seed, default 42), {@code gate.tolerance.<metric>} ({@code 10%} or
 * {@code 0.1}), {@code gate.config} (a JSON or .properties file with the same keys, read first so
 * that -D properties win), {@code gate.force}, {@code gate.allowInconclusive}.
 */
public final class GateOptions {
  private final double alpha;
  private final int minSamples;
  private final int resamples;
  private final long seed;
  private final Map<ComparedMetric, Double> tolerances;
  private final boolean force;
  private final boolean allowInconclusive;
  private final int minHistory;
  private final int history;

  private GateOptions(double alpha, int minSamples, int resamples, long seed,
      Map<ComparedMetric, Double> tolerances, boolean force, boolean allowInconclusive, int minHistory, int history) {
    this.alpha = alpha;
    this.minSamples = minSamples;
    this.resamples = resamples;
    this.seed = seed;
    this.tolerances = Collections.unmodifiableMap(new EnumMap<>(tolerances));
    this.force = force;
    this.allowInconclusive = allowInconclusive;
    this.minHistory = minHistory;
    this.history = history;
  }

  /** The documented defaults. */
  public static GateOptions defaults() {
    Map<ComparedMetric, Double> t = new EnumMap<>(ComparedMetric.class);
    for (ComparedMetric m : ComparedMetric.values()) {
      t.put(m, m.defaultTolerance());
    }
    return new GateOptions(0.05, 30, 2000, 42L, t, false, false, 5, 20);
  }

  /** Defaults overridden by {@code gate.*} entries of the given properties (and the file they name). */
  public static GateOptions fromProperties(Properties props) {
    GateOptions o = defaults();
    String config = props.getProperty("gate.config");
    if (config != null && !config.isBlank()) {
      o = o.apply(readConfigFile(Path.of(config.trim())));
    }
    return o.apply(props);
  }

  /** {@link #fromProperties(Properties)} on {@link System#getProperties()}. */
  public static GateOptions fromSystemProperties() {
    return fromProperties(System.getProperties());
  }

  private GateOptions apply(Properties p) {
    GateOptions o = this;
    for (String name : p.stringPropertyNames()) {
      if (!name.startsWith("gate.")) {
        continue;
      }
      String v = p.getProperty(name).trim();
      String key = name.substring("gate.".length());
      switch (key) {
        case "alpha" -> o = o.alpha(parseDouble(name, v));
        case "minSamples" -> o = o.minSamples(parseInt(name, v));
        case "resamples" -> o = o.resamples(parseInt(name, v));
        case "seed" -> o = o.seed(parseLong(name, v));
        case "force" -> o = o.force(parseBoolean(name, v));
        case "allowInconclusive" -> o = o.allowInconclusive(parseBoolean(name, v));
        case "minHistory" -> o = o.minHistory(parseInt(name, v));
        case "history" -> o = o.history(parseInt(name, v));
        case "config" -> { }
        default -> {
          if (key.startsWith("tolerance.")) {
            ComparedMetric m;
            try {
              m = ComparedMetric.byKey(key.substring("tolerance.".length()));
            } catch (GateInputException e) {
              throw new GateInputException(name + ": " + e.getMessage());
            }
            o = o.tolerance(m, parseFraction(name, v));
          } else {
            throw new GateInputException("unknown property " + name
                + "; allowed: gate.alpha, gate.minSamples, gate.resamples, gate.seed, gate.force,"
                + " gate.allowInconclusive, gate.minHistory, gate.history, gate.config, gate.tolerance.<metric>");
          }
        }
      }
    }
    return o;
  }

  private static Properties readConfigFile(Path file) {
    Properties p = new Properties();
    if (!Files.isRegularFile(file)) {
      throw new GateInputException("gate.config: file not found: " + file);
    }
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    try {
      if (name.endsWith(".json")) {
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        if (root == null || !root.isObject()) {
          throw new GateInputException("gate.config: " + file + " is not a JSON object");
        }
        flatten("gate", root, p, file);
      } else {
        try (Reader r = Files.newBufferedReader(file)) {
          p.load(r);
        }
      }
    } catch (IOException e) {
      throw new GateInputException("gate.config: cannot read " + file + ": " + oneLine(e.getMessage()), e);
    }
    return p;
  }

  /** Accepts both {"tolerance": {"tpot_p50": "5%"}} and {"gate.tolerance.tpot_p50": 0.05}. */
  private static void flatten(String prefix, JsonNode node, Properties out, Path file) {
    Iterator<Map.Entry<String, JsonNode>> it = node.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = e.getKey().startsWith("gate.") ? e.getKey() : prefix + "." + e.getKey();
      JsonNode v = e.getValue();
      if (v.isObject()) {
        flatten(key, v, out, file);
      } else if (v.isValueNode() && !v.isNull()) {
        out.setProperty(key, v.asText());
      } else {
        throw new GateInputException("gate.config: " + file + ": " + key + " must be a number, string or boolean");
      }
    }
  }

  static String oneLine(String s) {
    return s == null ? "" : s.replaceAll("\\s+", " ").trim();
  }

  private static double parseFraction(String name, String v) {
    String s = v.endsWith("%") ? v.substring(0, v.length() - 1).trim() : v;
    double d = parseDouble(name, s);
    if (v.endsWith("%")) {
      d /= 100.0;
    }
    if (!(d >= 0) || d > 10) {
      throw new GateInputException(name + "=" + v + ": expected a tolerance such as 10% or 0.1 (0 to 1000%)");
    }
    return d;
  }

  private static double parseDouble(String name, String v) {
    try {
      return Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new GateInputException(name + "=" + v + ": expected a number");
    }
  }

  private static int parseInt(String name, String v) {
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new GateInputException(name + "=" + v + ": expected an integer");
    }
  }

  private static long parseLong(String name, String v) {
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new GateInputException(name + "=" + v + ": expected an integer");
    }
  }

  private static boolean parseBoolean(String name, String v) {
    if (v.isEmpty() || v.equalsIgnoreCase("true")) {
      return true; // a bare -Dgate.force means true, as Maven users expect
    }
    if (v.equalsIgnoreCase("false")) {
      return false;
    }
    throw new GateInputException(name + "=" + v + ": expected true or false");
  }

  /** Family-wise error rate of one comparison, held by Holm's procedure over all its tests. */
  public GateOptions alpha(double value) {
    if (!(value > 0 && value < 1)) {
      throw new GateInputException("gate.alpha=" + value + ": expected a number between 0 and 1 (exclusive)");
    }
    return new GateOptions(value, minSamples, resamples, seed, tolerances, force, allowInconclusive, minHistory, history);
  }

  /** Fewest per-request samples (or requests, for the error rate) on each side to decide anything. */
  public GateOptions minSamples(int value) {
    if (value < 2) {
      throw new GateInputException("gate.minSamples=" + value + ": expected an integer of at least 2");
    }
    return new GateOptions(alpha, value, resamples, seed, tolerances, force, allowInconclusive, minHistory, history);
  }

  public GateOptions resamples(int value) {
    if (value < 100 || value > 1_000_000) {
      throw new GateInputException("gate.resamples=" + value + ": expected an integer from 100 to 1000000");
    }
    return new GateOptions(alpha, minSamples, value, seed, tolerances, force, allowInconclusive, minHistory, history);
  }

  public GateOptions seed(long value) {
    return new GateOptions(alpha, minSamples, resamples, value, tolerances, force, allowInconclusive, minHistory, history);
  }

  /** Tolerance of one metric: relative (0.05 = 5 %), absolute for the error rate. */
  public GateOptions tolerance(ComparedMetric metric, double value) {
    if (!(value >= 0) || value > 10) {
      throw new GateInputException("gate.tolerance." + metric.key() + "=" + value + ": expected 0 to 10 (0 to 1000%)");
    }
    Map<ComparedMetric, Double> t = new EnumMap<>(tolerances);
    t.put(metric, value);
    return new GateOptions(alpha, minSamples, resamples, seed, t, force, allowInconclusive, minHistory, history);
  }

  /** Compare even when the baseline is of another simulation, protocol, model, length or profile. */
  public GateOptions force(boolean value) {
    return new GateOptions(alpha, minSamples, resamples, seed, tolerances, value, allowInconclusive, minHistory, history);
  }

  /** Let an inconclusive verdict pass (exit 0) instead of failing with exit code 3. */
  public GateOptions allowInconclusive(boolean value) {
    return new GateOptions(alpha, minSamples, resamples, seed, tolerances, force, value, minHistory, history);
  }

  /**
   * Fewest earlier baseline runs (the store's history/) for a change to be judged against the
   * spread between runs instead of the resampling spread within one run.
   */
  public GateOptions minHistory(int value) {
    if (value < 3 || value > 1000) {
      throw new GateInputException("gate.minHistory=" + value + ": expected an integer from 3 to 1000");
    }
    return new GateOptions(alpha, minSamples, resamples, seed, tolerances, force, allowInconclusive, value, history);
  }

  /** How many passed runs a baseline store keeps in its history/ (the newest ones). */
  public GateOptions history(int value) {
    if (value < 0 || value > 1000) {
      throw new GateInputException("gate.history=" + value + ": expected an integer from 0 to 1000");
    }
    return new GateOptions(alpha, minSamples, resamples, seed, tolerances, force, allowInconclusive, minHistory, value);
  }

  public int minHistory() { return minHistory; }

  public int history() { return history; }

  public double alpha() { return alpha; }

  public int minSamples() { return minSamples; }

  public int resamples() { return resamples; }

  public long seed() { return seed; }

  public double tolerance(ComparedMetric metric) { return tolerances.get(metric); }

  public Map<ComparedMetric, Double> tolerances() { return tolerances; }

  public boolean force() { return force; }

  public boolean allowInconclusive() { return allowInconclusive; }
}
