package io.llmload.sim;

import java.time.Duration;

/**
 * A phase of the load plan relative to the start of injection: a concurrency level, a rate, a
 * ramp. Requests sent in its first {@code warmup} are recorded but left out of statistics.
 */
public record PlannedPhase(String name, Double level, Duration offset, Duration length, Duration warmup) {

  public static PlannedPhase of(String name, double level, Duration offset, Duration length) {
    return new PlannedPhase(name, level, offset, length, Duration.ZERO);
  }
}
