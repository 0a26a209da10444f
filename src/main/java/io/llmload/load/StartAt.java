package io.llmload.load;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * A common start for several generators ({@code -DstartAt}): an epoch-millisecond number or an
 * ISO-8601 instant. Each shard checks its parameters and its target first, then waits here, so
 * all start injecting at the same instant by their own clocks (which are assumed synchronised,
 * e.g. by NTP, as k6 and Gatling assume).
 */
public final class StartAt {
  /** How far in the past a start may be and still be accepted (a slow pod start), then it starts at once. */
  public static final Duration GRACE = Duration.ofSeconds(5);

  /** How long before the instant an open-model shard ends its hold (Gatling's own start takes up to about a second). */
  public static final Duration PACED_LEAD = Duration.ofSeconds(3);

  private StartAt() {}

  /**
   * @return the instant in epoch milliseconds
   * @throws IllegalArgumentException one line naming {@code startAt} when the text is unparsable or
   *     more than {@link #GRACE} in the past
   */
  public static long parse(String text, long nowMs) {
    String t = text.trim();
    long at;
    if (t.matches("\\d{1,15}")) {
      at = Long.parseLong(t);
    } else {
      try {
        at = Instant.parse(t).toEpochMilli();
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("startAt: '" + text + "' is neither epoch milliseconds nor an ISO-8601"
            + " instant such as 2026-12-04T21:00:00Z");
      }
    }
    if (at < nowMs - GRACE.toMillis()) {
      throw new IllegalArgumentException("startAt: " + Instant.ofEpochMilli(at) + " is " + (nowMs - at)
          + " ms in the past; allowed: later than " + GRACE.toSeconds() + " s ago");
    }
    return at;
  }

  /** Sleeps until {@code atMs} by the wall clock; returns at once when it has passed. */
  public static void holdUntil(long atMs) throws InterruptedException {
    while (true) {
      long left = atMs - System.currentTimeMillis();
      if (left <= 0) return;
      // short sleeps near the end: the wall clock, not the sleep, decides the instant
      Thread.sleep(Math.min(left, left > 50 ? left - 20 : 1));
    }
  }
}
