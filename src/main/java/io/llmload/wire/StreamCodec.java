package io.llmload.wire;

/**
 * One wire format: how to ask (path and body) and how to read the streamed answer.
 * Implementations are stateless and thread-safe; per-request state lives in the parser.
 */
public interface StreamCodec {

  Protocol protocol();

  /** Request path, e.g. {@code /v1/chat/completions}. */
  String path();

  /**
   * The JSON body of a streaming request: the suite's fields, then the spec's extra body merged in
   * ({@link BodyMerge}).
   *
   * @throws IllegalArgumentException one line, when the extra body would change a reserved field
   */
  byte[] body(RequestSpec spec);

  /** The body fields a user body may not change (see {@link ReservedField}). */
  java.util.List<ReservedField> reservedFields();

  /**
   * Refuses, before any load, an extra body that {@link #body} would refuse.
   *
   * @throws IllegalArgumentException one line naming the field and why
   */
  default void checkExtraBody(java.util.Map<String, ?> extraBody) {
    BodyMerge.check(extraBody, reservedFields());
  }

  /**
   * Headers the protocol needs on every request ({@code anthropic-version}); a header of the same
   * name set by the user replaces it.
   */
  default java.util.List<java.util.Map.Entry<String, String>> headers() {
    return java.util.List.of();
  }

  /** A fresh parser for one response body. */
  StreamParser newParser();

  /** A fresh parser for one non-streamed (whole JSON) answer. */
  StreamParser newWholeBodyParser();

  /**
   * Paths that tell the server's identity (model list, version, props), tried in order for
   * {@code run.json}.
   */
  java.util.List<String> identityPaths();

  /** The codec of a protocol. */
  static StreamCodec of(Protocol protocol) {
    return Codecs.of(protocol);
  }

  /**
   * The codec for {@code protocol}, its output length sent as {@code maxTokensField}, asking for a
   * streamed answer or, with {@code stream} false, a whole one.
   *
   * @throws IllegalArgumentException one line naming {@code maxTokensField} or {@code stream}
   */
  static StreamCodec of(Protocol protocol, String maxTokensField, boolean stream) {
    StreamCodec c = of(protocol, maxTokensField);
    // embeddings and rerank answer whole whatever is asked
    return stream || !protocol.generates() ? c : new NonStreamingCodec(c);
  }

  /** The output-length field every protocol but OpenAI's reasoning models takes. */
  String MAX_TOKENS = "max_tokens";
  /** What OpenAI's reasoning models (o1, o3, ...) take instead of {@code max_tokens}. */
  String MAX_COMPLETION_TOKENS = "max_completion_tokens";

  /**
   * The codec for {@code protocol} with its output length sent as {@code maxTokensField}.
   *
   * @throws IllegalArgumentException one line naming {@code maxTokensField}
   */
  static StreamCodec of(Protocol protocol, String maxTokensField) {
    if (MAX_TOKENS.equals(maxTokensField)) return of(protocol);
    if (!MAX_COMPLETION_TOKENS.equals(maxTokensField)) {
      throw new IllegalArgumentException("maxTokensField: '" + maxTokensField + "' is not allowed; allowed: "
          + MAX_TOKENS + ", " + MAX_COMPLETION_TOKENS);
    }
    if (protocol != Protocol.OPENAI_CHAT) {
      throw new IllegalArgumentException("maxTokensField: " + MAX_COMPLETION_TOKENS
          + " is an OpenAI chat field; protocol " + protocol.id() + " sends its own length field");
    }
    return OpenAiChatCodec.COMPLETION_TOKENS;
  }
}
