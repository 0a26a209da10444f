package io.llmload.sim;

import io.llmload.config.Params;

/** What a run with {@code -Dstream=false} cannot measure, refused before any load. */
final class NonStreamingRun {
  private NonStreamingRun() {}

  /**
   * A TTFT or TPOT objective on whole answers would judge a figure that never exists (Gatling's
   * assertion on a row that never occurs fails the run): refused in one line.
   */
  static void refuseStreamingObjectives(Params params) {
    for (String metric : new String[] {"ttft", "tpot"}) {
      String[] names = {"slo." + metric, "slo." + metric + ".p50", "slo." + metric + ".p90",
          "slo." + metric + ".p95", "slo." + metric + ".p99"};
      for (String name : names) {
        if (params.string(name) != null) {
          throw params.invalid(name + ": a non-streaming run (stream=false) has no " + metric.toUpperCase(java.util.Locale.ROOT)
              + "; allowed objectives: slo.e2e.pNN, slo.errorRate");
        }
      }
    }
  }
}
