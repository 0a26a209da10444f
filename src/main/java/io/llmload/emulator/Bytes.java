package io.llmload.emulator;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/** Allocation-free writes of ASCII text and numbers into a buffer. */
final class Bytes {
  private Bytes() {}

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static void put(ByteBuf out, byte[] b) {
    out.writeBytes(b);
  }

  /** Writes a decimal integer without creating a String. */
  static void putLong(ByteBuf out, long v) {
    if (v < 0) {
      out.writeByte('-');
      if (v == Long.MIN_VALUE) {
        out.writeCharSequence("9223372036854775808", StandardCharsets.US_ASCII);
        return;
      }
      v = -v;
    }
    if (v < 10) {
      out.writeByte('0' + (int) v);
      return;
    }
    long div = 1;
    while (v / div >= 10) {
      div *= 10;
    }
    while (div > 0) {
      out.writeByte('0' + (int) (v / div % 10));
      div /= 10;
    }
  }
}
