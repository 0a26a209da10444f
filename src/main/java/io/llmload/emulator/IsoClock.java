package io.llmload.emulator;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;

/** Current time as an ISO-8601 string (Ollama's {@code created_at}), formatted at most once per millisecond. */
final class IsoClock {
  private record Cached(long millis, byte[] bytes) {}

  private static volatile Cached cached = new Cached(Long.MIN_VALUE, new byte[0]);

  private IsoClock() {}

  static byte[] nowBytes() {
    long now = System.currentTimeMillis();
    Cached c = cached;
    if (c.millis != now) {
      c = new Cached(now, DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(now)).getBytes(StandardCharsets.US_ASCII));
      cached = c;
    }
    return c.bytes;
  }
}
