package io.llmload.wire;

/**
 * One wire format: how to ask (path and body) and how to read the streamed answer.
 * Implementations are stateless and thread-safe; per-request state lives in the parser.
 */
public interface StreamCodec {

  Protocol protocol();

  /** Request path, e.g. {@code /v1/chat/completions}. */
  String path();

  /** The JSON body of a streaming request. */
  byte[] body(RequestSpec spec);

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
