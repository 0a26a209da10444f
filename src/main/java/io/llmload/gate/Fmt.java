package io.llmload.gate;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** Number formatting for reasons and reports, always {@link Locale#ROOT}. */
final class Fmt {
  private Fmt() {}

  static String change(ComparedMetric m, @Nullable Double v) {
    if (v == null) {
      return "n/a";
    }
    return m.absolute()
        ? String.format(Locale.ROOT, "%+.2f pp", v * 100)
        : String.format(Locale.ROOT, "%+.1f%%", v * 100);
  }

  static String tolerance(ComparedMetric m, double t) {
    return m.absolute()
        ? String.format(Locale.ROOT, "%.2f pp", t * 100)
        : String.format(Locale.ROOT, "%.1f%%", t * 100);
  }

  static String p(@Nullable Double p) {
    if (p == null) {
      return "n/a";
    }
    return p < 0.001 ? String.format(Locale.ROOT, "%.1e", p) : String.format(Locale.ROOT, "%.3f", p);
  }

  static String value(ComparedMetric m, @Nullable Double v) {
    if (v != null && m.absolute()) {
      return String.format(Locale.ROOT, "%.2f%%", v * 100);
    }
    return value(v);
  }

  static String value(@Nullable Double v) {
    if (v == null) {
      return "n/a";
    }
    double a = Math.abs(v);
    if (a != 0 && a < 0.01) {
      return String.format(Locale.ROOT, "%.4f", v);
    }
    return String.format(Locale.ROOT, a >= 100 ? "%.1f" : "%.2f", v);
  }
}
