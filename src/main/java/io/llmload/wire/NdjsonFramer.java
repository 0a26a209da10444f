package io.llmload.wire;

/**
 * Incremental newline-delimited JSON framing: one value per line (split by {@link LineFramer}),
 * blank lines are skipped, and a last line without its newline is still handed over when the body
 * ends.
 */
final class NdjsonFramer extends LineFramer {

  private final EventHandler handler;
  private final int maxLineBytes;

  NdjsonFramer(EventHandler handler) {
    this(handler, SseFramer.DEFAULT_MAX_EVENT_BYTES);
  }

  NdjsonFramer(EventHandler handler, int maxLineBytes) {
    if (maxLineBytes < 1) {
      throw new IllegalArgumentException("maxLineBytes: " + maxLineBytes + " is not >= 1");
    }
    this.handler = handler;
    this.maxLineBytes = maxLineBytes;
  }

  @Override
  long room() {
    return maxLineBytes;
  }

  @Override
  void lineTooLong(StreamState st) {
    st.malformed("event larger than " + maxLineBytes + " bytes");
  }

  @Override
  void onEnd(long nanos, StreamState st) {
    handler.onEnd(nanos, st);
  }

  @Override
  void onLine(byte[] b, int off, int len, boolean dropped, long nanos, StreamState st) {
    if (dropped) {
      return;
    }
    if (len > maxLineBytes) {
      lineTooLong(st);
      return;
    }
    int end = off + len;
    while (off < end && isBlank(b[off])) {
      off++;
    }
    while (end > off && isBlank(b[end - 1])) {
      end--;
    }
    if (end > off) {
      handler.onEvent(null, b, off, end - off, nanos, st);
    }
  }

  private static boolean isBlank(byte b) {
    return b == ' ' || b == '\t';
  }
}
