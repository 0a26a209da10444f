package io.llmload.emulator;

import io.netty.buffer.ByteBuf;

/** Several tokens to an event (speculative decoding, servers that batch output). */
final class MergedEvents {
  private MergedEvents() {}

  /**
   * Writes the step's tokens as events of up to {@code tokensPerEvent} tokens each (never mixing
   * reasoning and content in one event). Only without faults, whose token indices are exact.
   */
  static void write(Exchange x, int k, ByteBuf out) {
    int end = Math.min(x.target, x.written + k);
    while (x.written < end) {
      int from = x.written;
      boolean thinking = from < x.reasoning;
      int to = Math.min(end, from + x.tokensPerEvent);
      if (thinking) to = Math.min(to, x.reasoning);
      boolean last = to == x.target;
      for (int c = 0; c < x.choices; c++) {
        byte[] piece = x.texts[c].json(from);
        if (to - from > 1) {
          java.io.ByteArrayOutputStream joined = new java.io.ByteArrayOutputStream();
          for (int i = from; i < to; i++) joined.writeBytes(x.texts[c].json(i));
          piece = joined.toByteArray();
        }
        x.wire.token(x, c, from, to - from, piece, thinking, last, out);
      }
      x.written = to;
    }
  }
}
