package io.llmload.config;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses durations as users write them: {@code 500ms}, {@code 30s}, {@code 1.5s}, {@code 2m}, {@code 1h}, or plain seconds. */
public final class Durations {
  private static final Pattern FORM = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)\\s*(ms|s|m|h)?");

  private Durations() {}

  /**
   * @throws IllegalArgumentException naming {@code name} when the text is not a non-negative duration
   */
  public static Duration parse(String name, String text) {
    String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    Matcher m = FORM.matcher(t);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          name + ": '" + text + "' is not a duration; use e.g. 500ms, 30s, 1.5s, 2m or 1h");
    }
    double v = Double.parseDouble(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    double nanos =
        switch (unit) {
          case "ms" -> v * 1e6;
          case "m" -> v * 60e9;
          case "h" -> v * 3600e9;
          default -> v * 1e9;
        };
    return Duration.ofNanos(Math.round(nanos));
  }

  /** Formats for messages and run.json, e.g. {@code 30s} or {@code 250ms}. */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms % 1000 == 0) return (ms / 1000) + "s";
    return ms + "ms";
  }
}
