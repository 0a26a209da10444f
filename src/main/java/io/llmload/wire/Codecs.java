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
      case OLLAMA_GENERATE:
        return OllamaGenerateCodec.INSTANCE;
      case OLLAMA_CHAT:
        return OllamaChatCodec.INSTANCE;
      case TGI:
        return TgiCodec.INSTANCE;
      case LLAMACPP:
        return LlamaCppCodec.INSTANCE;
      case OPENAI_RESPONSES:
        return OpenAiResponsesCodec.INSTANCE;
      case ANTHROPIC_MESSAGES:
        return AnthropicMessagesCodec.INSTANCE;
      case OPENAI_EMBEDDINGS:
        return EmbeddingsCodec.INSTANCE;
      case RERANK:
        return RerankCodec.INSTANCE;
      default:
        throw new IllegalStateException("no codec for protocol " + protocol.id());
    }
  }
}
