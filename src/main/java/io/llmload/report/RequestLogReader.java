package io.llmload.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.io.InputStream;
import java.nio.file.Files;
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
      byte[] buf = new byte[1 << 20];
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
        int start = from + (int) p.currentTokenLocation().getByteOffset();
        if (good != from && indexOfNewline(b, good, start) < 0) break; // two values on one line
        rec.clear();
        parseObject(p, rec);
        int end = from + (int) p.currentLocation().getByteOffset();
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

  private static int lastIndexOfNewline(byte[] b, int from, int to) {
    for (int i = to - 1; i >= from; i--) {
      if (b[i] == '\n') return i;
    }
    return -1;
  }

  /**
   * Splits the file into ranges of about {@code target} bytes that each start a line, for reading
   * in parallel. The split depends only on the file, so results do not depend on the thread count.
   */
  static List<long[]> segments(Path file, long target) throws IOException {
    List<long[]> out = new ArrayList<>();
    if (!Files.exists(file)) return out;
    long size = Files.size(file);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer probe = ByteBuffer.allocate(1 << 16);
      long start = 0;
      while (start < size) {
        long cut = start + target;
        if (cut >= size) {
          out.add(new long[] {start, size});
          break;
        }
        long next = -1;
        while (next < 0 && cut < size) {
          probe.clear();
          int n = ch.read(probe, cut);
          if (n <= 0) break;
          int i = indexOfNewline(probe.array(), 0, n);
          if (i >= 0) next = cut + i + 1;
          else cut += n;
        }
        if (next < 0 || next >= size) {
          out.add(new long[] {start, size});
          break;
        }
        out.add(new long[] {start, next});
        start = next;
      }
    }
    return out;
  }

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  /**
   * Eight bytes at a time (SWAR): a byte-by-byte scan was a fifth of the reading time. The
   * zero-byte trick can flag bytes above a real match, never below, so the lowest flag is exact.
   */
  static int indexOfNewline(byte[] b, int from, int to) {
    int i = from;
    for (; i + 8 <= to; i += 8) {
      long w = (long) LONGS.get(b, i) ^ 0x0A0A0A0A0A0A0A0AL;
      long t = (w - 0x0101010101010101L) & ~w & 0x8080808080808080L;
      if (t != 0) return i + (Long.numberOfTrailingZeros(t) >>> 3);
    }
    for (; i < to; i++) {
      if (b[i] == '\n') return i;
    }
    return -1;
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
      parseObject(p, rec);
    } catch (IOException | RuntimeException e) {
      skipped++;
      return;
    }
    lines++;
    sink.accept(rec);
  }

  private static void parseObject(JsonParser p, RequestRecord r) throws IOException {
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken v = p.nextToken();
      switch (name) {
        case "phase" -> r.phase = text(p, v);
        case "level" -> r.level = num(p, v);
        case "warmup" -> r.warmup = v == JsonToken.VALUE_TRUE;
        case "status" -> r.status = text(p, v);
        case "error" -> r.error = text(p, v);
        case "finish_reason" -> r.finishReason = text(p, v);
        case "output_tokens_source" -> r.outputTokensSource = text(p, v);
        case "scheduled_epoch_us" -> r.scheduledUs = lng(p, v);
        case "sent_epoch_us" -> r.sentUs = lng(p, v);
        case "end_epoch_us" -> r.endUs = lng(p, v);
        case "queue_delay_ms" -> r.queueDelayMs = num(p, v);
        case "ttft_ms" -> r.ttftMs = num(p, v);
        case "ttft_from_scheduled_ms" -> r.ttftFromScheduledMs = num(p, v);
        case "ttfo_ms" -> r.ttfoMs = num(p, v);
        case "last_token_ms" -> r.lastTokenMs = num(p, v);
        case "e2e_ms" -> r.e2eMs = num(p, v);
        case "tpot_ms" -> r.tpotMs = num(p, v);
        case "output_tokens" -> r.outputTokens = lng(p, v);
        case "chunk_tokens" -> r.chunkTokens = lng(p, v);
        case "prompt_tokens" -> r.promptTokens = lng(p, v);
        case "inputs" -> r.inputs = lng(p, v);
        case "target_prompt_tokens" -> r.targetPromptTokens = lng(p, v);
        case "max_tokens" -> r.maxTokens = lng(p, v);
        case "tokens_per_s" -> r.tokensPerS = num(p, v);
        case "decode_tokens_per_s" -> r.decodeTokensPerS = num(p, v);
        case "itl_ms" -> parseItl(p, v, r);
        case "itl_hist" -> r.itlHist = text(p, v);
        case "itl_tokens" -> r.itlTokens = text(p, v);
        case "connect_ms" -> r.connectMs = num(p, v);
        case "tls_ms" -> r.tlsMs = num(p, v);
        case "reused" -> r.reused = v == JsonToken.VALUE_TRUE ? 1 : v == JsonToken.VALUE_FALSE ? 0 : skipInt(p, -1);
        case "shard" -> r.shard = v.isScalarValue() && v != JsonToken.VALUE_NULL ? p.getText() : text(p, v);
        case "definitions" -> r.definitions = v == JsonToken.VALUE_NUMBER_INT ? p.getIntValue() : skipInt(p, 1);
        case "server" -> parseServer(p, v, r, "");
        default -> p.skipChildren();
      }
    }
    if (t != JsonToken.END_OBJECT) throw new IOException("not a JSON object");
  }

  private static void parseItl(JsonParser p, JsonToken v, RequestRecord r) throws IOException {
    if (v != JsonToken.START_OBJECT) {
      p.skipChildren();
      return;
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken t = p.nextToken();
      switch (name) {
        case "n" -> r.itlN = lng(p, t);
        case "mean" -> r.itlMean = num(p, t);
        case "max" -> r.itlMax = num(p, t);
        default -> p.skipChildren();
      }
    }
  }

  // Numeric server figures, one nesting level flattened ("timings.predicted_ms"); strings ignored.
  private static void parseServer(JsonParser p, JsonToken v, RequestRecord r, String prefix)
      throws IOException {
    if (v != JsonToken.START_OBJECT) {
      p.skipChildren();
      return;
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken t = p.nextToken();
      if (t == JsonToken.START_OBJECT && prefix.isEmpty()) {
        parseServer(p, t, r, name + ".");
      } else if (t.isNumeric() && r.serverCount < RequestRecord.MAX_SERVER_FIELDS) {
        r.serverNames[r.serverCount] = prefix.isEmpty() ? name : prefix + name;
        r.serverValues[r.serverCount++] = p.getDoubleValue();
      } else {
        p.skipChildren();
      }
    }
  }

  private static int skipInt(JsonParser p, int fallback) throws IOException {
    p.skipChildren();
    return fallback;
  }

  private static String text(JsonParser p, JsonToken v) throws IOException {
    if (v == JsonToken.VALUE_STRING) return p.getText();
    p.skipChildren();
    return null;
  }

  private static double num(JsonParser p, JsonToken v) throws IOException {
    if (v.isNumeric()) {
      double d = p.getDoubleValue();
      return Double.isFinite(d) ? d : Double.NaN;
    }
    p.skipChildren();
    return Double.NaN;
  }

  private static long lng(JsonParser p, JsonToken v) throws IOException {
    if (v == JsonToken.VALUE_NUMBER_INT) return p.getLongValue();
    if (v == JsonToken.VALUE_NUMBER_FLOAT) return Math.round(p.getDoubleValue());
    p.skipChildren();
    return RequestRecord.ABSENT;
  }
}
