package io.llmload.metrics;

import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * A scrape of the registry as a Prometheus remote-write 1.0 request body: the protobuf
 * {@code WriteRequest} (time series of labels and one sample each; histograms as their classic
 * {@code _bucket}/{@code _count}/{@code _sum} series), snappy-framed as a block of literals (valid
 * snappy that any decoder reads; the bodies are small, so compression would save little).
 */
final class RemoteWriteEncoder {
  private RemoteWriteEncoder() {}

  static byte[] body(MetricSnapshots snapshots, Map<String, String> extraLabels, long epochMs) {
    ByteArrayOutputStream req = new ByteArrayOutputStream(1 << 14);
    SnapshotSeries.forEach(snapshots, extraLabels, (name, labels, value) -> series(req, name, labels, value, epochMs));
    return snappyLiterals(req.toByteArray());
  }

  /** One TimeSeries (WriteRequest field 1): labels sorted by name, __name__ first in that order. */
  private static void series(ByteArrayOutputStream req, String name, Map<String, String> labels, double value, long ms) {
    ByteArrayOutputStream ts = new ByteArrayOutputStream(256);
    Map<String, String> all = new TreeMap<>(labels);
    all.put("__name__", name);
    for (Map.Entry<String, String> l : all.entrySet()) {
      ByteArrayOutputStream lb = new ByteArrayOutputStream(64);
      string(lb, 1, l.getKey());
      string(lb, 2, l.getValue());
      bytes(ts, 1, lb.toByteArray());
    }
    ByteArrayOutputStream sample = new ByteArrayOutputStream(16);
    sample.write(0x09); // field 1, 64-bit
    long bits = Double.doubleToRawLongBits(value);
    for (int i = 0; i < 8; i++) sample.write((int) (bits >>> (8 * i)) & 0xff);
    sample.write(0x10); // field 2, varint
    varint(sample, ms);
    bytes(ts, 2, sample.toByteArray());
    bytes(req, 1, ts.toByteArray());
  }

  private static void string(ByteArrayOutputStream o, int field, String s) {
    bytes(o, field, s.getBytes(StandardCharsets.UTF_8));
  }

  private static void bytes(ByteArrayOutputStream o, int field, byte[] b) {
    o.write((field << 3) | 2);
    varint(o, b.length);
    o.write(b, 0, b.length);
  }

  private static void varint(ByteArrayOutputStream o, long v) {
    while ((v & ~0x7fL) != 0) {
      o.write((int) ((v & 0x7f) | 0x80));
      v >>>= 7;
    }
    o.write((int) v);
  }

  /** Snappy block format: the uncompressed length, then literal elements of at most 64 KiB. */
  static byte[] snappyLiterals(byte[] in) {
    ByteArrayOutputStream o = new ByteArrayOutputStream(in.length + in.length / 65536 * 3 + 16);
    varint(o, in.length);
    for (int off = 0; off < in.length; off += 65536) {
      int n = Math.min(65536, in.length - off);
      int m = n - 1;
      if (m < 60) {
        o.write(m << 2);
      } else {
        o.write(61 << 2); // two length bytes follow, little-endian
        o.write(m & 0xff);
        o.write((m >>> 8) & 0xff);
      }
      o.write(in, off, n);
    }
    return o.toByteArray();
  }
}
