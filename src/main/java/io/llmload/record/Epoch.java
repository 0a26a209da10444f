package io.llmload.record;

import java.time.Instant;

/** Wall-clock time in epoch microseconds, the unit of the run folder's instants. */
public final class Epoch {
  private Epoch() {}

  public static long nowUs() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
  }
}
