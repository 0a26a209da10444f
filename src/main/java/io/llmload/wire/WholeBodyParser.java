package io.llmload.wire;

import java.util.Arrays;

/**
 * Reads a non-streamed answer: the whole body, buffered (up to a bound), handed to the protocol's
 * event handler as one event when the body ends. Servers pretty-print these bodies (OpenAI does),
 * so they cannot be read line by line as an unframed stream is.
 */
final class WholeBodyParser implements StreamParser {
  private final EventHandler handler;
  private final int maxBytes;
  private byte[] buf = new byte[4096];
  private int len;
  private boolean tooLarge;

  WholeBodyParser(EventHandler handler) {
    this(handler, SseFramer.DEFAULT_MAX_EVENT_BYTES);
  }

  WholeBodyParser(EventHandler handler, int maxBytes) {
    this.handler = handler;
    this.maxBytes = maxBytes;
  }

  @Override
  public void feed(byte[] b, int off, int n, long nanos, StreamState st) {
    if (tooLarge) return;
    if ((long) len + n > maxBytes) {
      tooLarge = true;
      buf = new byte[0];
      st.malformed("body larger than " + maxBytes + " bytes");
      return;
    }
    if (len + n > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(len + n, buf.length * 2));
    }
    System.arraycopy(b, off, buf, len, n);
    len += n;
  }

  @Override
  public void end(long nanos, StreamState st) {
    st.notStreamed();
    if (!tooLarge && len > 0) {
      handler.onEvent(null, buf, 0, len, nanos, st);
    }
    handler.onEnd(nanos, st);
  }

  @Override
  public boolean wholeBody() {
    return true;
  }
}
