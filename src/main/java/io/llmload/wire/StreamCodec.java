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

  /** A fresh parser for one response body. */
  StreamParser newParser();

  /**
   * Paths that tell the server's identity (model list, version, props), tried in order for
   * {@code run.json}.
   */
  java.util.List<String> identityPaths();

  /** The codec of a protocol. */
  static StreamCodec of(Protocol protocol) {
    return Codecs.of(protocol);
  }
}
