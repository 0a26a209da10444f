package io.llmload.collector.prom;

import io.llmload.collector.MetricSample;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * A parser for the Prometheus text exposition format (0.0.4): {@code name{label="v",...} value [timestamp]}.
 * Comments and malformed lines are skipped: a scraped server is untrusted input, and one bad line must
 * not lose the others.
 */
public final class PromText {

  private PromText() {}

  /** The samples whose name {@code keep} accepts. */
  public static List<MetricSample> parse(String text, Predicate<String> keep) {
    List<MetricSample> out = new ArrayList<>();
    int start = 0;
    int n = text.length();
    while (start < n) {
      int nl = text.indexOf('\n', start);
      int end = nl < 0 ? n : nl;
      String line = text.substring(start, end).strip();
      start = end + 1;
      if (line.isEmpty() || line.charAt(0) == '#') {
        continue;
      }
      MetricSample s = line(line, keep);
      if (s != null) {
        out.add(s);
      }
    }
    return out;
  }

  static @Nullable MetricSample line(String line, Predicate<String> keep) {
    int i = 0;
    int n = line.length();
    while (i < n && line.charAt(i) != '{' && line.charAt(i) != ' ' && line.charAt(i) != '\t') {
      i++;
    }
    String name = line.substring(0, i);
    if (name.isEmpty() || !keep.test(name)) {
      return null;
    }
    Map<String, String> labels = Collections.emptyMap();
    if (i < n && line.charAt(i) == '{') {
      labels = new LinkedHashMap<>();
      i++;
      while (true) {
        while (i < n && (line.charAt(i) == ' ' || line.charAt(i) == ',')) {
          i++;
        }
        if (i >= n) {
          return null;
        }
        if (line.charAt(i) == '}') {
          i++;
          break;
        }
        int eq = line.indexOf('=', i);
        if (eq < 0 || eq + 1 >= n || line.charAt(eq + 1) != '"') {
          return null;
        }
        String key = line.substring(i, eq).trim();
        StringBuilder v = new StringBuilder();
        int j = eq + 2;
        boolean closed = false;
        while (j < n) {
          char c = line.charAt(j);
          if (c == '\\' && j + 1 < n) {
            char e = line.charAt(j + 1);
            v.append(e == 'n' ? '\n' : e);
            j += 2;
          } else if (c == '"') {
            closed = true;
            j++;
            break;
          } else {
            v.append(c);
            j++;
          }
        }
        if (!closed) {
          return null;
        }
        labels.put(key, v.toString());
        i = j;
      }
    }
    String rest = line.substring(i).trim();
    int sp = rest.indexOf(' ');
    String value = sp < 0 ? rest : rest.substring(0, sp);
    double d;
    try {
      d = switch (value) {
        case "+Inf" -> Double.POSITIVE_INFINITY;
        case "-Inf" -> Double.NEGATIVE_INFINITY;
        case "NaN" -> Double.NaN;
        default -> Double.parseDouble(value);
      };
    } catch (NumberFormatException e) {
      return null;
    }
    return new MetricSample(name, labels, d);
  }
}
