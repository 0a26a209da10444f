package io.llmload.wire;

import org.jspecify.annotations.Nullable;

/**
 * Receives complete events from a framer and reads them into a {@link StreamState}. One instance
 * per response body; it may keep per-request state (which choices finished, ...).
 */
interface EventHandler {

  /**
   * One complete event.
   *
   * @param event the SSE event name, or null when the event had none (and for NDJSON lines)
   * @param data the event's data bytes (UTF-8); valid only during this call
   * @param nanos when the read that completed the event arrived
   */
  void onEvent(@Nullable String event, byte[] data, int off, int len, long nanos, StreamState st);

  /** The body ended; every complete event has been handed over. */
  default void onEnd(long nanos, StreamState st) {}
}
