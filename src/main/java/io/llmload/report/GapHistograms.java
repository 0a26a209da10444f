package io.llmload.report;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * Adds the records' {@code itl_hist} (base64 of a compressed HdrHistogram of gaps in µs) into a
 * phase's histogram. Decoding each with {@code Histogram.decodeFromCompressedByteBuffer} allocates
 * a full counts array and an Inflater per record (tens of KiB: gigabytes over a million records),
 * so the common layout (V2, LEB128/ZigZag counts) is walked here with one reused Inflater and each
 * non-zero bucket recorded at its lowest value, which lands in the same bucket of a histogram of the
 * same precision: the merge is exact. Any other layout goes through the library. One instance per
 * thread.
 */
final class GapHistograms {
  private static final int V2_COMPRESSED_COOKIE = 0x1c849304 | 0x10;
  private static final int V2_COOKIE = 0x1c849303 | 0x10;
  private static final int HEADER = 40;

  private final Inflater inflater = new Inflater();
  private byte[] plain = new byte[4096];
  // Of the last histogram added: Σ of its bucket values, its smallest and largest bucket (µs).
  double lastSumUs;
  long lastMinUs;
  long lastMaxUs;

  /**
   * Adds every value of {@code base64} into {@code target} (µs).
   *
   * @return the number of gaps added, or -1 when the text is not a readable histogram
   */
  long addTo(String base64, Histogram target) {
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      return -1;
    }
    lastSumUs = 0;
    lastMinUs = Long.MAX_VALUE;
    lastMaxUs = 0;
    try {
      long n = fast(raw, target);
      return n >= 0 ? n : slow(raw, target);
    } catch (RuntimeException | DataFormatException e) {
      return -1;
    }
  }

  private long fast(byte[] raw, Histogram target) throws DataFormatException {
    ByteBuffer in = ByteBuffer.wrap(raw);
    if (raw.length < 8 || in.getInt(0) != V2_COMPRESSED_COOKIE) return -1;
    int len = in.getInt(4);
    if (len < 0 || len > raw.length - 8) return -1;
    inflater.reset();
    inflater.setInput(raw, 8, len);
    int got = 0;
    while (!inflater.finished()) {
      if (got == plain.length) plain = java.util.Arrays.copyOf(plain, plain.length * 2);
      int k = inflater.inflate(plain, got, plain.length - got);
      if (k == 0 && (inflater.needsInput() || inflater.needsDictionary())) break;
      got += k;
    }
    ByteBuffer b = ByteBuffer.wrap(plain, 0, got);
    if (got < HEADER || b.getInt(0) != V2_COOKIE) return -1;
    int payload = b.getInt(4);
    int offset = b.getInt(8);
    int digits = b.getInt(12);
    long lowest = b.getLong(16);
    if (offset != 0 || digits < 0 || digits > 5 || lowest < 1 || HEADER + payload > got) return -1;
    int unitMagnitude = 63 - Long.numberOfLeadingZeros(lowest);
    long largestSingleUnit = 2 * (long) Math.pow(10, digits);
    int subBucketCountMagnitude = 64 - Long.numberOfLeadingZeros(largestSingleUnit - 1);
    int halfMagnitude = Math.max(subBucketCountMagnitude, 1) - 1;
    int halfCount = 1 << halfMagnitude;
    int pos = HEADER, end = HEADER + payload;
    int index = 0;
    long total = 0;
    while (pos < end) {
      // ZigZag LEB128, at most 9 bytes, the 9th with all 8 bits.
      long v = 0;
      int shift = 0;
      for (int i = 0; ; i++) {
        int x = plain[pos++] & 0xff;
        if (i == 8) {
          v |= (long) x << 56;
          break;
        }
        v |= (long) (x & 0x7f) << shift;
        shift += 7;
        if ((x & 0x80) == 0) break;
      }
      long count = (v >>> 1) ^ -(v & 1);
      if (count < 0) {
        index += (int) -count; // a run of empty buckets
        continue;
      }
      if (count > 0) {
        int bucket = (index >> halfMagnitude) - 1;
        int sub = (index & (halfCount - 1)) + halfCount;
        if (bucket < 0) {
          sub -= halfCount;
          bucket = 0;
        }
        long value = (long) sub << (bucket + unitMagnitude);
        target.recordValueWithCount(value, count);
        note(value, count);
        total += count;
      }
      index++;
    }
    return total;
  }

  private long slow(byte[] raw, Histogram target) throws DataFormatException {
    Histogram h = Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(raw), 0);
    long total = 0;
    for (HistogramIterationValue v : h.recordedValues()) {
      long value = h.lowestEquivalentValue(v.getValueIteratedTo());
      target.recordValueWithCount(value, v.getCountAtValueIteratedTo());
      note(value, v.getCountAtValueIteratedTo());
      total += v.getCountAtValueIteratedTo();
    }
    return total;
  }

  private void note(long value, long count) {
    lastSumUs += (double) value * count;
    lastMinUs = Math.min(lastMinUs, value);
    lastMaxUs = Math.max(lastMaxUs, value);
  }
}
