package io.llmload.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.llmload.collector.runfolder.JsonLines;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Streams requests.jsonl one line at a time into one reused {@link RequestRecord}. A last line
 * without its newline is a torn write from a killed run (docs/run-folder.md): it is skipped and
 * counted, as is any line that is not a JSON object.
 */
final class RequestLogReader {

  private static final int MAX_LINE = 1 << 20;

  // The fast double parser matters: decimals are most of a record's bytes.
  private final JsonFactory factory =
      JsonFactory.builder().enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER).build();
  private long skipped;
  private boolean tornTail;
  private long lines;

  long skippedLines() {
    return skipped;
  }

  boolean tornTail() {
    return tornTail;
  }

  long records() {
    return lines;
  }

  /** @return false when the file does not exist */
  boolean read(Path file, Consumer<RequestRecord> sink) throws IOException {
    return read(file, 0, Long.MAX_VALUE, sink);
  }

  /**
   * Reads bytes {@code [from, to)} of the file; {@code from} must start a line. A range that ends
   * inside a line reads that line as torn, so split ranges at {@link #segments}.
   *
   * @return false when the file does not exist
   */
  boolean read(Path file, long rangeStart, long rangeEnd, Consumer<RequestRecord> sink) throws IOException {
    FileChannel ch;
    try {
      ch = FileChannel.open(file, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      return false;
    }
    RequestRecord rec = new RequestRecord();
    try (ch; InputStream in = Channels.newInputStream(ch.position(rangeStart))) {
      byte[] buf = new byte[1 << 18]; // under half a G1 region: not a humongous object
      byte[] carry = new byte[8192];
      int carryLen = 0;
      boolean overlong = false;
      long remaining = rangeEnd - rangeStart;
      int n;
      while (remaining > 0 && (n = in.read(buf, 0, (int) Math.min(buf.length, remaining))) > 0) {
        remaining -= n;
        int from = 0;
        if (carryLen > 0 || overlong) {
          // Finish the line begun in the previous buffer.
          int i = indexOfNewline(buf, 0, n);
          int part = i < 0 ? n : i;
          if (!overlong && carryLen + part > MAX_LINE) {
            overlong = true;
            carryLen = 0;
          }
          if (!overlong) {
            carry = ensure(carry, carryLen + part);
            System.arraycopy(buf, 0, carry, carryLen, part);
            carryLen += part;
          }
          if (i < 0) continue;
          if (overlong) skipped++;
          else handle(carry, 0, carryLen, rec, sink);
          overlong = false;
          carryLen = 0;
          from = i + 1;
        }
        int last = lastIndexOfNewline(buf, from, n);
        if (last >= from) {
          lines(buf, from, last + 1, rec, sink);
          from = last + 1;
        }
        int rest = n - from;
        if (rest > 0) {
          if (rest > MAX_LINE) {
            overlong = true;
          } else {
            carry = ensure(carry, rest);
            System.arraycopy(buf, from, carry, 0, rest);
            carryLen = rest;
          }
        }
      }
      if (carryLen > 0 || overlong) {
        skipped++;
        tornTail = true;
      }
    }
    return true;
  }

  /**
   * Whole lines in {@code [from, to)}. Fast path: one parser over all of them, read as a sequence
   * of root-level objects, which saves creating a parser per line. At anything that is not one
   * object per line it falls back to line-by-line after the last good object, so a bad line costs
   * only itself.
   */
  private void lines(byte[] b, int from, int to, RequestRecord rec, Consumer<RequestRecord> sink) {
    int good = from;
    try (JsonParser p = factory.createParser(b, from, to - from)) {
      while (true) {
        JsonToken t = p.nextToken();
        if (t == null) return;
        if (t != JsonToken.START_OBJECT) break;
        int start = from + (int) tokenOffset(p);
        if (good != from && indexOfNewline(b, good, start) < 0) break; // two values on one line
        rec.clear();
        RecordFields.parseObject(p, rec);
        int end = from + (int) tokenOffset(p) + 1; // just after the closing brace
        if (indexOfNewline(b, start, end) >= 0) break; // one value over several lines
        good = end;
        lines++;
        sink.accept(rec);
      }
    } catch (IOException | RuntimeException e) {
      // the line-by-line path below finds and counts the bad line
    }
    int start = good == from ? from : indexOfNewline(b, good, to) + 1;
    for (int nl; start < to && (nl = indexOfNewline(b, start, to)) >= 0; start = nl + 1) {
      handle(b, start, nl - start, rec, sink);
    }
  }

  /**
   * Byte offset of the current token in the parser's input. Jackson's own parsers say it without
   * allocating a JsonLocation (two per record otherwise: the most frequent allocation after text).
   */
  private static long tokenOffset(JsonParser p) {
    if (p instanceof com.fasterxml.jackson.core.base.ParserBase b) return b.getTokenCharacterOffset();
    return p.currentTokenLocation().getByteOffset();
  }

  private static int lastIndexOfNewline(byte[] b, int from, int to) {
    for (int i = to - 1; i >= from; i--) {
      if (b[i] == '\n') return i;
    }
    return -1;
  }

  /** {@link JsonLines#segments}: ranges that each start a line, for reading in parallel. */
  static List<long[]> segments(Path file, long target) throws IOException {
    return JsonLines.segments(file, target);
  }

  static int indexOfNewline(byte[] b, int from, int to) {
    return JsonLines.indexOfNewline(b, from, to);
  }

  private static byte[] ensure(byte[] a, int len) {
    return len <= a.length ? a : Arrays.copyOf(a, Math.max(len, a.length * 2));
  }

  private void handle(byte[] b, int off, int len, RequestRecord rec, Consumer<RequestRecord> sink) {
    int end = off + len;
    while (off < end && (b[off] == ' ' || b[off] == '\t' || b[off] == '\r')) off++;
    if (off == end) return;
    rec.clear();
    try (JsonParser p = factory.createParser(b, off, end - off)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        skipped++;
        return;
      }
      RecordFields.parseObject(p, rec);
    } catch (IOException | RuntimeException e) {
      skipped++;
      return;
    }
    lines++;
    sink.accept(rec);
  }
}
