package io.llmload.report;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

/** Number rounding and formatting with one locale, so reports read the same everywhere. */
final class Num {
  private Num() {}

  /** Rounds to 4 significant decimals below 1 and 3 decimals above; NaN stays NaN. */
  static double round(double v) {
    if (!Double.isFinite(v)) return v;
    if (v == 0) return 0;
    int scale = Math.abs(v) >= 1 ? 3 : 4 - (int) Math.floor(Math.log10(Math.abs(v))) - 1;
    return new BigDecimal(v).setScale(Math.min(scale, 12), RoundingMode.HALF_EVEN).doubleValue();
  }

  /** Fixed decimals with {@link Locale#ROOT}; "–" for absent. */
  static String fmt(double v, int decimals) {
    if (!Double.isFinite(v)) return "–";
    return String.format(Locale.ROOT, "%." + decimals + "f", v);
  }

  /** Three significant digits-ish, for table cells. */
  static String auto(double v) {
    if (!Double.isFinite(v)) return "–";
    double a = Math.abs(v);
    if (a >= 100) return fmt(v, 0);
    if (a >= 10) return fmt(v, 1);
    if (a >= 1) return fmt(v, 2);
    if (a == 0) return "0";
    return fmt(v, 3);
  }
}
