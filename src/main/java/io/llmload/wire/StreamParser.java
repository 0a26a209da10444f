package io.llmload.wire;

/**
 * Incremental parser of one response body. Not thread-safe: one instance per request, fed by
 * the thread that reads the connection.
 *
 * <p>Bytes arrive in whatever pieces the network delivers: an event may be split across calls,
 * and one call may carry many events. A parser never buffers more than the current incomplete
 * event, and never throws: anything it cannot read becomes {@link StreamState#malformed}.
 */
public interface StreamParser {

  /**
   * Consumes a piece of the body.
   *
   * @param nanos {@link System#nanoTime()} at which these bytes were read from the socket
   */
  void feed(byte[] buf, int off, int len, long nanos, StreamState state);

  /** The body ended (the server closed the stream or sent its last chunk). */
  void end(long nanos, StreamState state);

  /** Whether this parser reads a non-streamed answer (a JSON body is then a success). */
  default boolean wholeBody() {
    return false;
  }
}
