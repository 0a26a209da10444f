package io.llmload.wire;

import java.util.Arrays;

/**
 * What SSE and NDJSON framing share: splitting a body into lines that end in LF, CRLF or CR (a
 * CRLF may be split across reads), without decoding. A line that lies wholly inside one read is
 * handed over in place; only a line split across reads is copied, into a buffer that grows to the
 * largest such line and is then reused. A partial line that would pass {@link #room()} is dropped
 * (its bytes are not kept) and handed over as dropped when it ends, so the format can skip to
 * where it resynchronises.
 */
abstract class LineFramer implements StreamParser {

  private static final byte CR = '\r';
  private static final byte LF = '\n';

  private byte[] line = new byte[256];
  private int lineLen;
  private boolean lineDropped;
  private boolean afterCr; // the previous read ended in CR: a leading LF belongs to it
  private boolean ended;

  /** A complete line, without its terminator; {@code dropped}: it overflowed and is incomplete. */
  abstract void onLine(byte[] b, int off, int len, boolean dropped, long nanos, StreamState st);

  /** The body ended, after its last line. */
  abstract void onEnd(long nanos, StreamState st);

  /** How many bytes a line split across reads may hold now. */
  abstract long room();

  /** A split line passed {@link #room()}. */
  abstract void lineTooLong(StreamState st);

  @Override
  public final void feed(byte[] buf, int off, int len, long nanos, StreamState st) {
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
        onLine(line, 0, lineLen, lineDropped, nanos, st);
        lineLen = 0;
        lineDropped = false;
      } else {
        onLine(buf, start, i - start, false, nanos, st);
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
  public final void end(long nanos, StreamState st) {
    if (ended) {
      return;
    }
    ended = true;
    if (lineLen > 0 || lineDropped) {
      onLine(line, 0, lineLen, lineDropped, nanos, st);
      lineLen = 0;
      lineDropped = false;
    }
    onEnd(nanos, st);
  }

  private void append(byte[] buf, int off, int len, StreamState st) {
    if (lineDropped) {
      return;
    }
    if ((long) lineLen + len > room()) {
      lineTooLong(st);
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
}
