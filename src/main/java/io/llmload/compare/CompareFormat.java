package io.llmload.compare;

import java.util.Locale;

/** How the comparison prints a figure: three significant digits or whole numbers, a dash for none. */
public final class CompareFormat {
  private CompareFormat() {}

  public static String num(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) return "—";
    double a = Math.abs(v);
    String f = a >= 100 || v == Math.rint(v) ? "%.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : "%.3g";
    return String.format(Locale.ROOT, f, v);
  }
}
