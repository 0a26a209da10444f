package io.llmload.record;

/**
 * A named window of a run (a concurrency level, a rate, a ramp). Instants are epoch µs.
 *
 * @param level concurrency (closed model) or requests/s (open model), or null
 * @param warmupEndEpochUs records sent before this are warm-up and left out of statistics
 */
public record Phase(String name, Double level, long startEpochUs, long endEpochUs, long warmupEndEpochUs) {

  public boolean contains(long epochUs) {
    return epochUs >= startEpochUs && epochUs < endEpochUs;
  }
}
