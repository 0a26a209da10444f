package io.llmload.collector.runfolder;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** RFC 4180 fields, numbers in {@code Locale.ROOT} form, empty for null. */
public final class Csv {

  private Csv() {}

  public static StringBuilder field(StringBuilder b, @Nullable String v) {
    if (v == null) {
      return b;
    }
    boolean quote = false;
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c == ',' || c == '"' || c == '\n' || c == '\r') {
        quote = true;
        break;
      }
    }
    if (!quote) {
      return b.append(v);
    }
    return b.append('"').append(v.replace("\"", "\"\"")).append('"');
  }

  public static StringBuilder num(StringBuilder b, @Nullable Number v) {
    if (v == null) {
      return b;
    }
    if (v instanceof Double || v instanceof Float) {
      double d = v.doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        return b;
      }
      return appendDecimal(b, d);
    }
    return b.append(v.longValue());
  }

  /** Up to 3 decimals, no exponent, no trailing zeros: 74.466, 700, 0.5. */
  public static String decimal(double d) {
    return appendDecimal(new StringBuilder(16), d).toString();
  }

  /**
   * {@link #decimal} without allocation for the values samples hold (|d| below 9e12, the usual case): a
   * sampling thread formats a dozen numbers per row, ten times a second per GPU.
   */
  public static StringBuilder appendDecimal(StringBuilder b, double d) {
    if (Math.abs(d) >= 9e12) {
      BigDecimal x = BigDecimal.valueOf(d).setScale(3, RoundingMode.HALF_UP).stripTrailingZeros();
      return b.append(x.scale() < 0 ? x.setScale(0).toPlainString() : x.toPlainString());
    }
    // round half away from zero at the third decimal, as BigDecimal.valueOf(d) would (its decimal form)
    long milli = Math.round(Math.abs(d) * 1000.0);
    if (Math.abs(Math.abs(d) * 1000.0 - Math.rint(Math.abs(d) * 1000.0)) == 0.5) {
      milli = BigDecimal.valueOf(Math.abs(d)).setScale(3, RoundingMode.HALF_UP).movePointRight(3).longValue();
    }
    if (milli == 0) {
      return b.append('0');
    }
    if (d < 0) {
      b.append('-');
    }
    b.append(milli / 1000);
    long frac = milli % 1000;
    if (frac != 0) {
      b.append('.');
      if (frac < 100) {
        b.append('0');
      }
      if (frac < 10) {
        b.append('0');
      }
      while (frac % 10 == 0) {
        frac /= 10;
      }
      b.append(frac);
    }
    return b;
  }

  /** Splits one RFC 4180 record (no embedded line breaks in our files); empty fields become null. */
  public static List<@Nullable String> split(String line) {
    List<@Nullable String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    boolean wasQuoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"') {
          if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
            cur.append('"');
            i++;
          } else {
            quoted = false;
          }
        } else {
          cur.append(c);
        }
      } else if (c == '"') {
        quoted = true;
        wasQuoted = true;
      } else if (c == ',') {
        out.add(cur.length() == 0 && !wasQuoted ? null : cur.toString());
        cur.setLength(0);
        wasQuoted = false;
      } else {
        cur.append(c);
      }
    }
    out.add(cur.length() == 0 && !wasQuoted ? null : cur.toString());
    return out;
  }
}
