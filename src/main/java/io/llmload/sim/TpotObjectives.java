package io.llmload.sim;

import io.llmload.record.RunContext;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Percentile objectives on TPOT ({@code -Dslo.tpot.p95=50ms}). TPOT is a per-request mean gap, not
 * a span between two instants, so it has no honest place among Gatling's rows (a row needs a start
 * and an end): the objectives are evaluated after the run over the TPOT of every successful
 * request, printed beside Gatling's assertions, and a breach makes the run exit 1.
 */
final class TpotObjectives {
  private record Objective(String request, int percentile, double boundMs) {}

  private final List<Objective> objectives = new ArrayList<>();

  void add(String request, int percentile, double boundMs) {
    objectives.add(new Objective(request, percentile, boundMs));
  }

  boolean isEmpty() {
    return objectives.isEmpty();
  }

  /** Prints one line per objective; true when all held (an objective without a sample fails). */
  boolean evaluate(RunContext ctx, PrintStream out) {
    boolean all = true;
    for (Objective o : objectives) {
      double[] v = ctx.tpotSamples(o.request());
      Arrays.sort(v);
      double actual = v.length == 0 ? Double.NaN : v[Math.max(0, (int) Math.ceil(o.percentile() / 100.0 * v.length) - 1)];
      boolean held = v.length > 0 && actual <= o.boundMs();
      all &= held;
      out.printf(Locale.ROOT, "%s tpot (suite, %d requests): %dth percentile of TPOT is less than or equal to %s ms : %s (actual : %s)%n",
          o.request(), v.length, o.percentile(), num(o.boundMs()), held, v.length == 0 ? "no request" : num(actual));
    }
    return all;
  }

  private static String num(double d) {
    return String.format(Locale.ROOT, "%.2f", d);
  }
}
