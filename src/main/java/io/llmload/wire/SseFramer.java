package io.llmload.wire;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Incremental Server-Sent Events framing after the HTML living standard, section 9.2.6, on the
 * lines {@link LineFramer} splits (CRLF, LF or CR, a CRLF may be split across reads): lines
 * starting with {@code :} are comments (keep-alives); {@code data:} lines of one event are joined with LF; one space after
 * the colon is dropped; a blank line dispatches the event. Unlike a browser, an event left without
 * its blank line when the body ends is still dispatched, since servers do end that way; an
 * {@code error:} field (llama.cpp before 2025-09) is read as an error event; a line that starts
 * with <code>{</code> (a JSON body written without framing) is read as one event.
 *
 * <p>Bytes are buffered, never decoded, until an event is complete, so a UTF-8 character split
 * across reads needs no care here. Buffers grow to the largest event seen and are then reused.
 */
final class SseFramer extends LineFramer {

  /** The default bound on one event's size. */
  static final int DEFAULT_MAX_EVENT_BYTES = 16 << 20;

  private static final byte LF = '\n';

  private final EventHandler handler;
  private final int maxEventBytes;

  private byte[] data = new byte[1024];
  private int dataLen;
  private boolean hasData;
  private @Nullable String eventName;

  private boolean firstLine = true;
  private boolean discarding; // the current event exceeded the bound; skip to the blank line

  SseFramer(EventHandler handler) {
    this(handler, DEFAULT_MAX_EVENT_BYTES);
  }

  SseFramer(EventHandler handler, int maxEventBytes) {
    if (maxEventBytes < 1) {
      throw new IllegalArgumentException("maxEventBytes: " + maxEventBytes + " is not >= 1");
    }
    this.handler = handler;
    this.maxEventBytes = maxEventBytes;
  }

  @Override
  long room() {
    return (long) maxEventBytes - dataLen;
  }

  @Override
  void lineTooLong(StreamState st) {
    overflow(st);
  }

  @Override
  void onEnd(long nanos, StreamState st) {
    if (!discarding) {
      dispatch(nanos, st);
    }
    handler.onEnd(nanos, st);
  }

  @Override
  void onLine(byte[] b, int off, int len, boolean dropped, long nanos, StreamState st) {
    boolean blank = len == 0 && !dropped;
    if (firstLine) {
      firstLine = false;
      // a UTF-8 byte order mark at the start of the stream is not part of the first field name
      if (len >= 3 && b[off] == (byte) 0xEF && b[off + 1] == (byte) 0xBB && b[off + 2] == (byte) 0xBF) {
        off += 3;
        len -= 3;
      }
    }
    if (discarding || dropped) {
      if (blank) {
        discarding = false;
        resetEvent();
      }
      return;
    }
    if (blank) {
      dispatch(nanos, st);
      return;
    }
    if (b[off] == ':') {
      return;
    }
    if (b[off] == '{') {
      // not an SSE field at all: a JSON body written without framing (an error body on a
      // stream already answered 200); read it as one event rather than drop it
      dispatch(nanos, st);
      appendData(b, off, len, st);
      dispatch(nanos, st);
      return;
    }
    int colon = off;
    int end = off + len;
    while (colon < end && b[colon] != ':') {
      colon++;
    }
    int nameLen = colon - off;
    int value = colon < end ? colon + 1 : end;
    if (value < end && b[value] == ' ') {
      value++;
    }
    if (nameLen == 4 && b[off] == 'd' && b[off + 1] == 'a' && b[off + 2] == 't' && b[off + 3] == 'a') {
      appendData(b, value, end - value, st);
    } else if (nameLen == 5
        && b[off] == 'e'
        && b[off + 1] == 'v'
        && b[off + 2] == 'e'
        && b[off + 3] == 'n'
        && b[off + 4] == 't') {
      eventName = new String(b, value, end - value, StandardCharsets.UTF_8);
    } else if (nameLen == 5
        && b[off] == 'e'
        && b[off + 1] == 'r'
        && b[off + 2] == 'r'
        && b[off + 3] == 'o'
        && b[off + 4] == 'r') {
      // llama.cpp before PR 16109 (2025-09) sent mid-stream errors as a non-standard "error:"
      // field, which a spec reader drops: read it as an error event
      eventName = "error";
      appendData(b, value, end - value, st);
    }
    // id, retry and unknown fields carry nothing a load test needs
  }

  private void appendData(byte[] b, int off, int len, StreamState st) {
    int need = dataLen + len + (hasData ? 1 : 0);
    if (need > maxEventBytes) {
      overflow(st);
      return;
    }
    if (need > data.length) {
      data = Arrays.copyOf(data, Math.max(need, data.length * 2));
    }
    if (hasData) {
      data[dataLen++] = LF;
    }
    System.arraycopy(b, off, data, dataLen, len);
    dataLen += len;
    hasData = true;
  }

  private void overflow(StreamState st) {
    st.malformed("event larger than " + maxEventBytes + " bytes");
    discarding = true;
    resetEvent();
  }

  private void dispatch(long nanos, StreamState st) {
    if (hasData) {
      handler.onEvent(eventName, data, 0, dataLen, nanos, st);
    }
    resetEvent();
  }

  private void resetEvent() {
    dataLen = 0;
    hasData = false;
    eventName = null;
  }
}
