package io.llmload.gate;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Compares two capacity searches by their brackets. A search only knows that the capacity lies
 * between its highest passing load and its lowest failing one (above max: no upper end; below min:
 * no lower end), so the change it can claim is a range: from current pass / baseline failure to
 * current failure / baseline pass. Regressed when even the top of that range is a drop beyond the
 * tolerance (the current run failed at a load at least the tolerance below one the baseline
 * passed), improved when even its bottom is a rise beyond it, unchanged when the two answers are
 * within the tolerance of each other, inconclusive otherwise (the answers differ, the brackets
 * overlap). docs/gate.md states the rule.
 */
final class CapacityComparison {
  private CapacityComparison() {}

  static MetricResult compare(JsonNode base, JsonNode cur, GateOptions opts) {
    double tol = opts.tolerance(ComparedMetric.CAPACITY);
    Double b = num(base.path("answer")), c = num(cur.path("answer"));
    double bPass = lower(base), bFail = upper(base), cPass = lower(cur), cFail = upper(cur);
    double low = bFail == Double.POSITIVE_INFINITY ? 0 : cPass / bFail - 1;
    double high = bPass == 0 ? Double.POSITIVE_INFINITY : cFail / bPass - 1;
    Double change = b != null && c != null && b > 0 ? c / b - 1 : null;
    Verdict v;
    String why;
    if (high <= -tol) {
      v = Verdict.REGRESSED;
      why = "the current run failed at " + show(cFail) + ", at least " + pct(tol) + " below the baseline's pass at " + show(bPass);
    } else if (low >= tol) {
      v = Verdict.IMPROVED;
      why = "the current run passed " + show(cPass) + ", at least " + pct(tol) + " above the baseline's failure at " + show(bFail);
    } else if (change != null && Math.abs(change) <= tol) {
      v = Verdict.UNCHANGED;
      why = "answers " + show(b) + " and " + show(c) + " within " + pct(tol);
    } else {
      v = Verdict.INCONCLUSIVE;
      why = "the brackets [" + show(bPass) + ", " + show(bFail) + ") and [" + show(cPass) + ", " + show(cFail)
          + ") overlap: a change beyond " + pct(tol) + " is neither shown nor ruled out";
    }
    return new MetricResult("capacity", ComparedMetric.CAPACITY, v, b, c, change, finite(low), finite(high), null, null,
        probes(base), probes(cur), tol, "bracket", why);
  }

  /** The answers of the history's capacity searches, oldest first ("none" for one below min); empty without any. */
  static String historyAnswers(java.util.List<JsonNode> history) {
    java.util.List<String> out = new java.util.ArrayList<>();
    for (JsonNode h : history) {
      JsonNode c = h.path(io.llmload.collector.runfolder.SummaryJson.CAPACITY);
      if (c.isObject()) out.add(show(num(c.path("answer"))));
    }
    return String.join(", ", out);
  }

  private static double lower(JsonNode c) {
    JsonNode p = c.path("bracket").path("pass");
    return p.isObject() ? p.path("load").asDouble() : 0;
  }

  private static double upper(JsonNode c) {
    JsonNode f = c.path("bracket").path("fail");
    return f.isObject() ? f.path("load").asDouble() : Double.POSITIVE_INFINITY;
  }

  private static @Nullable Double num(JsonNode v) {
    return v.isNumber() ? v.asDouble() : null;
  }

  private static @Nullable Double finite(double v) {
    return Double.isFinite(v) ? v : null;
  }

  private static Integer probes(JsonNode c) {
    return c.path("probes").size();
  }

  private static String show(@Nullable Double v) {
    if (v == null) return "none";
    if (v == Double.POSITIVE_INFINITY) return "∞";
    return v == Math.rint(v) ? Long.toString(v.longValue()) : String.format(Locale.ROOT, "%.3g", v);
  }

  private static String pct(double f) {
    return String.format(Locale.ROOT, "%.0f%%", f * 100);
  }
}
