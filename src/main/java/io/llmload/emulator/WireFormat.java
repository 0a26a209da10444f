package io.llmload.emulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;

/**
 * One protocol's bytes on the wire. Stateless: everything per request lives in the
 * {@link Exchange}; per-request constant bytes are prepared once in {@link #prepare} so that a token
 * costs a few buffer copies and no formatting.
 */
abstract class WireFormat {
  static final ObjectMapper JSON = new ObjectMapper();

  /** Protocol id as in the run folder ({@code openai-chat}, ...). */
  abstract String protocol();

  /** Content type of a streamed response. */
  abstract String streamContentType();

  /** Prepares per-request constant bytes ({@link Exchange#prefix}). */
  abstract void prepare(Exchange x);

  /** Bytes sent together with the headers, once the request is accepted. */
  void opening(Exchange x, ByteBuf out) {}

  /**
   * One token of one choice.
   *
   * @param piece JSON-escaped UTF-8 text of the token
   * @param last true for the stream's final token (TGI puts its details on it)
   */
  abstract void token(Exchange x, int choice, int index, int count, byte[] piece, boolean reasoning, boolean last, ByteBuf out);

  /**
   * Whether one event may carry several tokens ({@code x-emulator-tokens-per-event}); TGI's
   * stream is one event per token by its design.
   */
  boolean mergesTokens() {
    return true;
  }

  /**
   * vLLM's {@code continuous_usage_stats}: the usage so far on a token event, for one choice
   * (with several choices the count would be over all of them, and is not sent).
   */
  static void tokenEnd(Exchange x, int produced, byte[] openEnd, byte[] plainEnd, ByteBuf out) {
    if (!x.continuousUsage || x.choices != 1) {
      out.writeBytes(plainEnd);
      return;
    }
    out.writeBytes(openEnd);
    out.writeBytes(USAGE_PROMPT);
    Bytes.putLong(out, x.promptTokens);
    out.writeBytes(USAGE_COMPLETION);
    Bytes.putLong(out, produced);
    out.writeBytes(USAGE_TOTAL);
    Bytes.putLong(out, x.promptTokens + produced);
    out.writeBytes(EVENT_END);
  }

  private static final byte[] USAGE_PROMPT = Bytes.ascii(",\"usage\":{\"prompt_tokens\":");
  private static final byte[] USAGE_COMPLETION = Bytes.ascii(",\"completion_tokens\":");
  private static final byte[] EVENT_END = Bytes.ascii("}}\n\n");
  private static final byte[] USAGE_TOTAL = Bytes.ascii(",\"total_tokens\":");

  /** Everything after the last token: finish events, usage, terminator. */
  abstract void closing(Exchange x, ByteBuf out);

  /** The protocol's own error form inside a 200 stream. */
  abstract void error(Exchange x, String message, ByteBuf out);

  /** An event whose JSON is cut off. */
  void malformed(Exchange x, ByteBuf out) {
    out.writeBytes(Bytes.ascii("data: {\"id\":\"broken\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"cut off\n\n"));
  }

  /** Headers of a non-streamed response beyond the common ones (TGI's timings). */
  void wholeHeaders(Exchange x, io.netty.handler.codec.http.HttpHeaders h) {}

  /** The whole response of a non-streamed request. */
  abstract ObjectNode body(Exchange x);

  /** A JSON error body in the protocol's form. */
  ObjectNode errorBody(int status, String message, String type) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode err = root.putObject("error");
    err.put("message", message);
    err.put("type", type);
    err.putNull("param");
    err.put("code", status);
    return root;
  }

  static String ms(long nanos) {
    return String.format(java.util.Locale.ROOT, "%.3f", nanos / 1e6);
  }
}
