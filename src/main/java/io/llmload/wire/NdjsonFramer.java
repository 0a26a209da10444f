package io.llmload.wire;

import java.util.Arrays;

/**
 * Incremental newline-delimited JSON framing: one value per line, lines end in LF, CRLF or CR (a
 * CRLF may be split across reads), blank lines are skipped, and a last line without its newline
 * is still handed over when the body ends. A line that lies wholly inside one read is handed over
 * in place; only a line split across reads is copied, into a buffer that is reused.
 */
final class NdjsonFramer implements StreamParser {

  private static final byte CR = '\r';
  private static final byte LF = '\n';

  private final EventHandler handler;
  private final int maxLineBytes;

  private byte[] line = new byte[1024];
  private int lineLen;
  private boolean lineDropped; // the line exceeded the bound: skip to its end
  private boolean afterCr;
  private boolean ended;

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
  public void feed(byte[] buf, int off, int len, long nanos, StreamState st) {
    if (ended || len <= 0) {
      return;
    }
    int end = off + len;
    int i = off;
    if (afterCr) {
      afterCr = false;
      if (buf[i] == LF) {
        i++;
      }
    }
    int start = i;
    while (i < end) {
      byte b = buf[i];
      if (b != LF && b != CR) {
        i++;
        continue;
      }
      if (lineLen > 0 || lineDropped) {
        append(buf, start, i - start, st);
        if (!lineDropped) {
          line(line, 0, lineLen, nanos, st);
        }
        lineLen = 0;
        lineDropped = false;
      } else if (i - start > maxLineBytes) {
        tooLong(st);
      } else {
        line(buf, start, i - start, nanos, st);
      }
      i++;
      if (b == CR) {
        if (i == end) {
          afterCr = true;
        } else if (buf[i] == LF) {
          i++;
        }
      }
      start = i;
    }
    if (start < end) {
      append(buf, start, end - start, st);
    }
  }

  @Override
  public void end(long nanos, StreamState st) {
    if (ended) {
      return;
    }
    ended = true;
    if (lineLen > 0 && !lineDropped) {
      line(line, 0, lineLen, nanos, st);
    }
    lineLen = 0;
    handler.onEnd(nanos, st);
  }

  private void append(byte[] buf, int off, int len, StreamState st) {
    if (lineDropped) {
      return;
    }
    if ((long) lineLen + len > maxLineBytes) {
      tooLong(st);
      lineLen = 0;
      lineDropped = true;
      return;
    }
    if (lineLen + len > line.length) {
      line = Arrays.copyOf(line, Math.max(lineLen + len, line.length * 2));
    }
    System.arraycopy(buf, off, line, lineLen, len);
    lineLen += len;
  }

  private void tooLong(StreamState st) {
    st.malformed("event larger than " + maxLineBytes + " bytes");
  }

  private void line(byte[] b, int off, int len, long nanos, StreamState st) {
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
