package io.llmload.wire;

/** Picks the codec of a protocol. */
final class Codecs {
  private Codecs() {}

  static StreamCodec of(Protocol protocol) {
    if (protocol == null) {
      throw new IllegalArgumentException("protocol: null is not one of " + Protocol.allowed());
    }
    switch (protocol) {
      case OPENAI_CHAT:
        return OpenAiChatCodec.INSTANCE;
      case OPENAI_COMPLETIONS:
        return OpenAiCompletionsCodec.INSTANCE;
      default:
        throw new IllegalStateException("no codec yet for protocol " + protocol.id());
    }
  }
}
