package io.llmload.collector;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jspecify.annotations.Nullable;

/** The {@code -Dcollector*} properties read into a {@link CollectorConfig}, each bad value refused in one line. */
final class CollectorProperties {
  private static final Duration MIN_PERIOD = Duration.ofMillis(10);
  private static final Duration MAX_PERIOD = Duration.ofSeconds(60);
  private static final Pattern PIDS = Pattern.compile("\\s*\\d+(\\s*,\\s*\\d+)*\\s*");

  private CollectorProperties() {}

  static CollectorConfig read(Properties p) {
    CollectorConfig d = CollectorConfig.defaults();
    CollectorConfig.Mode mode = d.mode();
    String m = blank(p.getProperty("collector"));
    if (m != null) {
      mode =
          switch (m.toLowerCase(Locale.ROOT)) {
            case "auto" -> CollectorConfig.Mode.AUTO;
            case "on", "true" -> CollectorConfig.Mode.ON;
            case "off", "false" -> CollectorConfig.Mode.OFF;
            default -> throw new IllegalArgumentException(
                "collector: expected auto, on or off, got '" + m + "'");
          };
    }
    String u = blank(p.getProperty("collector.url"));
    List<URI> metrics = new ArrayList<>();
    String ms = blank(p.getProperty("collector.metrics"));
    if (ms != null) {
      for (String s : ms.split(",")) {
        if (!s.isBlank()) {
          metrics.add(uri("collector.metrics", s.trim()));
        }
      }
    }
    String dc = blank(p.getProperty("collector.dcgm"));
    String pc = blank(p.getProperty("collector.powercap"));
    return new CollectorConfig(
        mode,
        u == null ? null : uri("collector.url", u),
        blank(p.getProperty("collector.process")),
        metrics,
        dc == null ? null : uri("collector.dcgm", dc),
        period(p, "collector.fastPeriod", d.fastPeriod()),
        period(p, "collector.energyPeriod", d.energyPeriod()),
        period(p, "collector.hostPeriod", d.hostPeriod()),
        period(p, "collector.scrapePeriod", d.scrapePeriod()),
        pc == null ? d.powercapRoot() : Path.of(pc),
        blank(p.getProperty("collector.nvml")),
        null,
        d.clock(),
        CollectorConfig.gpus(blank(p.getProperty("collector.gpus"))));
  }

  /** Parses {@code 100ms}, {@code 0.5s}, {@code 2s}, {@code 1m} or a bare number of milliseconds. */
  public static Duration parseDuration(String property, String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    double factor;
    String num;
    if (t.endsWith("ms")) {
      factor = 1;
      num = t.substring(0, t.length() - 2);
    } else if (t.endsWith("s")) {
      factor = 1000;
      num = t.substring(0, t.length() - 1);
    } else if (t.endsWith("m")) {
      factor = 60_000;
      num = t.substring(0, t.length() - 1);
    } else {
      factor = 1;
      num = t;
    }
    try {
      double ms = Double.parseDouble(num.trim()) * factor;
      if (!Double.isFinite(ms) || ms < 0) {
        throw new NumberFormatException();
      }
      return Duration.ofNanos(Math.round(ms * 1e6));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          property + ": expected a duration such as 100ms or 1s, got '" + text + "'");
    }
  }

  private static Duration period(Properties p, String key, Duration def) {
    String v = blank(p.getProperty(key));
    return v == null ? def : parseDuration(key, v);
  }

  static void checkPeriod(String key, Duration d) {
    if (d == null || d.compareTo(MIN_PERIOD) < 0 || d.compareTo(MAX_PERIOD) > 0) {
      // in the unit the user writes, not Duration's ISO form (PT0.005S)
      String got = d == null ? "nothing" : java.math.BigDecimal.valueOf(d.toNanos(), 6).stripTrailingZeros().toPlainString() + "ms";
      throw new IllegalArgumentException(key + ": expected a period between 10ms and 60s, got " + got);
    }
  }

  static void checkProcess(String v) {
    if (PIDS.matcher(v).matches()) {
      return;
    }
    try {
      Pattern.compile(v);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(
          "collector.process: expected a process-name regex or a comma list of PIDs, got '" + v + "'");
    }
  }

  private static URI uri(String key, String v) {
    try {
      URI u = new URI(v);
      checkHttp(key, u);
      return u;
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(key + ": expected an http:// or https:// URL, got '" + v + "'");
    }
  }

  static void checkHttp(String key, URI u) {
    String s = u.getScheme();
    if (s == null || !(s.equalsIgnoreCase("http") || s.equalsIgnoreCase("https")) || u.getHost() == null) {
      throw new IllegalArgumentException(key + ": expected an http:// or https:// URL, got '" + u + "'");
    }
  }

  private static @Nullable String blank(@Nullable String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
