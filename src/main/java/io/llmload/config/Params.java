package io.llmload.config;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The {@code -D} parameters of a run, typed and validated. Every value read is remembered for
 * {@code run.json}, with secrets shown as {@code ***}. Invalid values throw {@link
 * IllegalArgumentException} whose message is one line naming the parameter and what is allowed.
 */
public final class Params {
  // "maxTokens" counts tokens and is no secret; "hfToken" or "apiKey" are.
  private static final Pattern SECRET_NAME =
      Pattern.compile(
          "(?i).*(api[._-]?key|secret|passw(or)?d|authorization|cookie|credential|bearer).*|(?i).*(token|key)");

  private final Properties props;
  private final Map<String, Object> used = new LinkedHashMap<>();
  private final java.util.function.Consumer<String> onError;

  public Params(Properties props) {
    this(props, msg -> {});
  }

  /**
   * @param onError told the one-line message of every invalid value before it is thrown (a
   *     simulation prints it and exits, so users see one line and no stack trace)
   */
  public Params(Properties props, java.util.function.Consumer<String> onError) {
    this.props = props;
    this.onError = onError;
  }

  /** Reports an invalid value of a parameter: one line naming it and what is allowed. */
  public IllegalArgumentException invalid(String message) {
    onError.accept(message);
    return new IllegalArgumentException(message);
  }

  public static Params fromSystem() {
    return new Params(System.getProperties());
  }

  public @Nullable String string(String name) {
    String v = props.getProperty(name);
    if (v != null) {
      remember(name, v);
    }
    return v;
  }

  public String string(String name, String def) {
    String v = props.getProperty(name);
    remember(name, v == null ? def : v);
    return v == null ? def : v;
  }

  public int positiveInt(String name, int def) {
    return intIn(name, def, 1, Integer.MAX_VALUE);
  }

  public int intIn(String name, int def, int min, int max) {
    String v = props.getProperty(name);
    if (v == null) {
      remember(name, def);
      return def;
    }
    long n;
    try {
      n = Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw invalid(name + ": '" + v + "' is not a whole number; " + range(min, max));
    }
    if (n < min || n > max) {
      throw invalid(name + ": " + n + " is out of range; " + range(min, max));
    }
    remember(name, (int) n);
    return (int) n;
  }

  public @Nullable Integer optionalPositiveInt(String name) {
    if (props.getProperty(name) == null) return null;
    return positiveInt(name, 1);
  }

  public double positiveDouble(String name, double def) {
    String v = props.getProperty(name);
    if (v == null) {
      remember(name, def);
      return def;
    }
    double d;
    try {
      d = Double.parseDouble(v.trim());
    } catch (NumberFormatException e) {
      throw invalid(name + ": '" + v + "' is not a number; allowed: a number > 0");
    }
    if (!(d > 0) || Double.isInfinite(d)) {
      throw invalid(name + ": " + v + " is out of range; allowed: a number > 0");
    }
    remember(name, d);
    return d;
  }

  public @Nullable Double optionalPositiveDouble(String name) {
    if (props.getProperty(name) == null) return null;
    return positiveDouble(name, 1);
  }

  /** One of a fixed set of words. */
  public String choice(String name, String def, String... allowed) {
    String v = props.getProperty(name);
    String t = v == null ? def : v.trim().toLowerCase(Locale.ROOT);
    for (String a : allowed) {
      if (a.equals(t)) {
        remember(name, t);
        return t;
      }
    }
    throw invalid(name + ": '" + v + "' is not one of " + String.join(", ", allowed));
  }

  /** A duration that must be greater than zero. */
  public Duration positiveDuration(String name, Duration def) {
    Duration d = duration(name, def);
    if (d.isZero()) {
      throw invalid(name + ": must be greater than 0, e.g. 30s");
    }
    return d;
  }

  /** A duration of zero or more. */
  public Duration duration(String name, Duration def) {
    String v = props.getProperty(name);
    if (v == null) {
      remember(name, Durations.format(def));
      return def;
    }
    if (v.trim().startsWith("-")) {
      throw invalid(name + ": '" + v + "' is negative; use e.g. 500ms, 30s, 2m");
    }
    Duration d;
    try {
      d = Durations.parse(name, v);
    } catch (IllegalArgumentException e) {
      throw invalid(e.getMessage());
    }
    remember(name, v.trim());
    return d;
  }

  public @Nullable Duration optionalDuration(String name) {
    if (props.getProperty(name) == null) return null;
    return duration(name, Duration.ZERO);
  }

  public boolean bool(String name, boolean def) {
    String v = props.getProperty(name);
    if (v == null) {
      remember(name, def);
      return def;
    }
    String t = v.trim().toLowerCase(Locale.ROOT);
    boolean b;
    if (t.equals("true") || t.equals("yes") || t.equals("1") || t.isEmpty()) b = true;
    else if (t.equals("false") || t.equals("no") || t.equals("0")) b = false;
    else throw invalid(name + ": '" + v + "' is not a boolean; allowed: true, false");
    remember(name, b);
    return b;
  }

  /** Parses a value with a converter whose exceptions already carry a one-line message. */
  public <T> @Nullable T parsed(String name, Function<String, T> converter) {
    String v = props.getProperty(name);
    if (v == null) return null;
    T t;
    try {
      t = converter.apply(v);
    } catch (IllegalArgumentException e) {
      throw invalid(e.getMessage());
    }
    remember(name, v);
    return t;
  }

  /** Parameters read so far, secrets masked, in the order they were read. */
  public Map<String, Object> used() {
    return Collections.unmodifiableMap(used);
  }

  /** Records a value the run used that did not come from a property (e.g. a default model). */
  public void note(String name, Object value) {
    remember(name, value);
  }

  private void remember(String name, Object value) {
    used.put(name, isSecret(name) ? "***" : value);
  }

  public static boolean isSecret(String name) {
    // apiKeyEnv names a variable; it is not itself secret.
    return !name.equals("apiKeyEnv") && SECRET_NAME.matcher(name).matches();
  }

  private static String range(int min, int max) {
    if (max == Integer.MAX_VALUE) return "allowed: a whole number >= " + min;
    return "allowed: " + min + " to " + max;
  }
}
