package io.llmload.workload;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.nothingFor;

import io.gatling.javaapi.core.OpenInjectionStep;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * An open injection profile that starts one virtual user at each arrival offset of a trace, for
 * {@code scenario.injectOpen(TraceInjection.steps(workload.arrivalOffsetsMs()))} with a scenario
 * that feeds one record per user. Users due at the same millisecond start together.
 */
public final class TraceInjection {
  private TraceInjection() {}

  /**
   * @param offsetsMs non-decreasing offsets from the start, in ms
   * @return the injection steps; empty for no offsets
   */
  public static List<OpenInjectionStep> steps(List<Long> offsetsMs) {
    List<OpenInjectionStep> steps = new ArrayList<>();
    long at = 0;
    int i = 0;
    while (i < offsetsMs.size()) {
      long o = offsetsMs.get(i);
      if (o < at) throw new IllegalArgumentException("offsetsMs: " + o + " after " + at + " is not in order");
      int k = 0;
      while (i < offsetsMs.size() && offsetsMs.get(i) == o) {
        k++;
        i++;
      }
      if (o > at) steps.add(nothingFor(Duration.ofMillis(o - at)));
      steps.add(atOnceUsers(k));
      at = o;
    }
    return steps;
  }
}
