package io.llmload.emulator;

import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Properties;
import org.jspecify.annotations.Nullable;

/**
 * How to start an emulator. Immutable, so every method returns a new configuration and leaves the
 * original unmodified: {@code EmulatorConfig.defaults().profile("dev-batch8").seed(7).with(Param.MAX_BATCH, "2")}.
 *
 * @param profile a name from {@link Profiles}
 * @param seed seeds token text and timing noise
 * @param jitter 0 for deterministic timing; e.g. 0.05 multiplies step and prefill times by
 *     exp(jitter * N(0,1)) drawn from a generator seeded with {@code seed}
 * @param host address to bind, loopback by default
 * @param port 0 for a free port
 * @param model model name the server reports
 * @param groundTruthFile if set, one JSON line of ground truth is appended per finished request
 * @param overrides values replacing the profile's, already checked
 */
public record EmulatorConfig(
    String profile,
    long seed,
    double jitter,
    String host,
    int port,
    String model,
    @Nullable Path groundTruthFile,
    Map<Param, String> overrides) {

  public static final String PROPERTY_PREFIX = "emulator.";

  public EmulatorConfig {
    Profiles.get("profile", profile);
    if (!(jitter >= 0 && jitter <= 1)) {
      throw new IllegalArgumentException("jitter: '" + jitter + "' is not allowed, expected 0 <= jitter <= 1");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port: '" + port + "' is not allowed, expected 0..65535");
    }
    if (model == null || model.isBlank()) {
      throw new IllegalArgumentException("model: must not be empty");
    }
    overrides = Collections.unmodifiableMap(new EnumMap<>(overrides.isEmpty() ? new EnumMap<>(Param.class) : overrides));
  }

  /** The default configuration: profile {@code seeds-7b}, seed 1, no jitter, 127.0.0.1, a free port. */
  public static EmulatorConfig defaults() {
    return new EmulatorConfig(Profiles.DEFAULT, 1, 0, "127.0.0.1", 0, "emulated-llm", null, Map.of());
  }

  public EmulatorConfig profile(String name) {
    return new EmulatorConfig(name, seed, jitter, host, port, model, groundTruthFile, overrides);
  }

  public EmulatorConfig seed(long s) {
    return new EmulatorConfig(profile, s, jitter, host, port, model, groundTruthFile, overrides);
  }

  public EmulatorConfig jitter(double j) {
    return new EmulatorConfig(profile, seed, j, host, port, model, groundTruthFile, overrides);
  }

  public EmulatorConfig host(String h) {
    return new EmulatorConfig(profile, seed, jitter, h, port, model, groundTruthFile, overrides);
  }

  public EmulatorConfig port(int p) {
    return new EmulatorConfig(profile, seed, jitter, host, p, model, groundTruthFile, overrides);
  }

  public EmulatorConfig model(String m) {
    return new EmulatorConfig(profile, seed, jitter, host, port, m, groundTruthFile, overrides);
  }

  public EmulatorConfig groundTruthFile(@Nullable Path f) {
    return new EmulatorConfig(profile, seed, jitter, host, port, model, f, overrides);
  }

  /**
   * Overrides one parameter of the profile.
   *
   * @throws IllegalArgumentException a one-line message naming the parameter and the allowed values
   */
  public EmulatorConfig with(Param p, String value) {
    EnumMap<Param, String> o = new EnumMap<>(Param.class);
    o.putAll(overrides);
    o.put(p, p.check(p.id(), value));
    return new EmulatorConfig(profile, seed, jitter, host, port, model, groundTruthFile, o);
  }

  public EmulatorConfig with(Param p, Number value) {
    return with(p, String.valueOf(value));
  }

  /** The profile's parameters with the overrides applied. */
  public ModelParams params() {
    return check(PROPERTY_PREFIX);
  }

  /**
   * Checks what no single value shows (a prompt cache needs a finite maxBatch), naming parameters
   * with {@code prefix} in the one-line error.
   */
  ModelParams check(String prefix) {
    Map<Param, String> m = Profiles.get("profile", profile);
    m.putAll(overrides);
    return ModelParams.of(m, prefix);
  }

  /** Reads {@code -Demulator.*} system properties on top of {@link #defaults()}. */
  public static EmulatorConfig fromSystemProperties() {
    return fromProperties(System.getProperties());
  }

  /**
   * Reads {@code emulator.profile}, {@code emulator.seed}, {@code emulator.jitter},
   * {@code emulator.host}, {@code emulator.port}, {@code emulator.model},
   * {@code emulator.groundTruthFile} and every {@link Param} as {@code emulator.<name>}.
   *
   * @throws IllegalArgumentException a one-line message naming the property and the allowed values
   */
  public static EmulatorConfig fromProperties(Properties props) {
    EmulatorConfig c = defaults();
    for (String key : props.stringPropertyNames()) {
      if (!key.startsWith(PROPERTY_PREFIX)) {
        continue;
      }
      String name = key.substring(PROPERTY_PREFIX.length());
      String v = props.getProperty(key).trim();
      c = c.set(key, name, v);
    }
    c.check(PROPERTY_PREFIX);
    return c;
  }

  /** Applies one named setting; {@code where} is the property or option the user typed. */
  EmulatorConfig set(String where, String name, String v) {
    switch (name) {
      case "profile" -> {
        Profiles.get(where, v);
        return profile(v);
      }
      case "seed" -> {
        try {
          return seed(Long.parseLong(v));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(where + ": '" + v + "' is not allowed, expected an integer");
        }
      }
      case "jitter" -> {
        double j;
        try {
          j = Double.parseDouble(v);
        } catch (NumberFormatException e) {
          j = Double.NaN;
        }
        if (!(j >= 0 && j <= 1)) {
          throw new IllegalArgumentException(where + ": '" + v + "' is not allowed, expected a number 0..1");
        }
        return jitter(j);
      }
      case "host" -> {
        return host(v);
      }
      case "port" -> {
        try {
          int p = Integer.parseInt(v);
          if (p >= 0 && p <= 65535) {
            return port(p);
          }
        } catch (NumberFormatException e) {
          // reported below
        }
        throw new IllegalArgumentException(where + ": '" + v + "' is not allowed, expected 0..65535");
      }
      case "model" -> {
        if (v.isEmpty()) {
          throw new IllegalArgumentException(where + ": must not be empty");
        }
        return model(v);
      }
      case "groundTruthFile" -> {
        return groundTruthFile(v.isEmpty() ? null : Path.of(v));
      }
      default -> {
        Param p;
        try {
          p = Param.byId(where, name);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(where + ": unknown, known are profile, seed, jitter, host, port, model, groundTruthFile, " + Param.ids());
        }
        EnumMap<Param, String> o = new EnumMap<>(Param.class);
        o.putAll(overrides);
        o.put(p, p.check(where, v));
        return new EmulatorConfig(profile, seed, jitter, host, port, model, groundTruthFile, o);
      }
    }
  }
}
