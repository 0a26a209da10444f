package io.llmload.emulator;

import java.nio.charset.StandardCharsets;

/** The huge-chunk fault's text: 4 MiB of plain ASCII, shared by all requests. */
final class HugeChunk {
  static final byte[] TEXT = text();

  private HugeChunk() {}

  private static byte[] text() {
    byte[] pattern = " huge chunk of emulated content".getBytes(StandardCharsets.US_ASCII);
    byte[] b = new byte[4 << 20];
    for (int i = 0; i < b.length; i++) {
      b[i] = pattern[i % pattern.length];
    }
    return b;
  }
}
