package io.llmload.record;

import java.nio.ByteBuffer;
import java.util.Base64;
import org.HdrHistogram.Histogram;

/**
 * The {@code itl_hist} field of a request record: the request's inter-token gaps as an
 * HdrHistogram of whole microseconds (3 significant digits), in HdrHistogram's compressed encoding,
 * base64. Histograms of many requests add exactly, so a phase's ITL percentiles are over all of its
 * gaps, not over per-request summaries.
 */
public final class GapHistogram {
  static final int DIGITS = 3;

  // One per writing thread: recording a request's gaps allocates nothing once it has grown.
  private static final ThreadLocal<Histogram> SCRATCH = ThreadLocal.withInitial(() -> new Histogram(DIGITS));
  private static final ThreadLocal<ByteBuffer> BUFFER = ThreadLocal.withInitial(() -> ByteBuffer.allocate(1024));

  private GapHistogram() {}

  /**
   * Records {@code entries} gap values (nanos), each {@code weights[i]} times, into the thread's
   * scratch histogram (µs) and returns it; it is valid until the thread's next call.
   */
  static Histogram record(long[] valuesNanos, int[] weights, int entries) {
    Histogram h = SCRATCH.get();
    h.reset();
    for (int i = 0; i < entries; i++) {
      h.recordValueWithCount(Math.max(0, Math.round(valuesNanos[i] / 1000.0)), weights[i]);
    }
    return h;
  }

  /** The compressed base64 encoding of {@code h}. */
  static String encode(Histogram h) {
    ByteBuffer b = BUFFER.get();
    int need = h.getNeededByteBufferCapacity();
    if (b.capacity() < need) {
      b = ByteBuffer.allocate(need);
      BUFFER.set(b);
    }
    b.clear();
    int n = h.encodeIntoCompressedByteBuffer(b);
    byte[] bytes = new byte[n];
    b.flip();
    b.get(bytes);
    return Base64.getEncoder().encodeToString(bytes);
  }

  /**
   * Decodes an {@code itl_hist} value (µs).
   *
   * @throws IllegalArgumentException when the text is not such a histogram
   */
  public static Histogram decode(String base64) {
    try {
      return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(base64)), 0);
    } catch (java.util.zip.DataFormatException | RuntimeException e) {
      throw new IllegalArgumentException("itl_hist: not an HdrHistogram encoding (" + e.getMessage() + ")");
    }
  }
}
