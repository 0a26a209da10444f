package io.llmload.dsl;

import java.time.Instant;

/**
 * Converts {@link System#nanoTime()} instants to epoch microseconds with one fixed offset, so
 * intervals keep nanoTime's precision and files still line up on wall-clock time.
 */
final class EpochClock {
  private static final long BASE_NANO;
  private static final long BASE_EPOCH_US;

  static {
    Instant now = Instant.now();
    BASE_NANO = System.nanoTime();
    BASE_EPOCH_US = now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
  }

  private EpochClock() {}

  /** The inverse of {@link #epochUs(long)}. */
  static long nanoTime(long epochUs) {
    return BASE_NANO + (epochUs - BASE_EPOCH_US) * 1000;
  }

  static long epochUs(long nanoTime) {
    // floor, not truncation: an instant before this class was loaded (a common start) is negative here
    return BASE_EPOCH_US + Math.floorDiv(nanoTime - BASE_NANO, 1000L);
  }
}
