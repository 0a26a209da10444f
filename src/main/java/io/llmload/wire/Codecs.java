package io.llmload.wire;

/** Picks the codec of a protocol. */
final class Codecs {
  private Codecs() {}

  static StreamCodec of(Protocol protocol) {
    switch (protocol) {
      default:
        throw new IllegalStateException("no codec yet for protocol " + protocol.id());
    }
  }
}
