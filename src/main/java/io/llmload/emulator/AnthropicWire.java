package io.llmload.emulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * The Anthropic Messages API as api.anthropic.com streams it: {@code message_start} (input tokens,
 * a placeholder output count of 1), a {@code thinking} block (then its {@code signature_delta}) when
 * the request reasons, a {@code text} block, one {@code ping} after the first block's start, then
 * {@code message_delta} (stop reason {@code end_turn} or {@code max_tokens}, the output count) and
 * {@code message_stop}. Errors inside the stream are an {@code error} event.
 */
final class AnthropicWire extends WireFormat {
  private static final byte[] TEXT_HEAD = Bytes.ascii("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":");
  private static final byte[] TEXT_MID = Bytes.ascii(",\"delta\":{\"type\":\"text_delta\",\"text\":\"");
  private static final byte[] THINKING_MID = Bytes.ascii(",\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"");
  private static final byte[] DELTA_END = Bytes.ascii("\"}}\n\n");
  private static final byte[] PING = Bytes.ascii("event: ping\ndata: {\"type\": \"ping\"}\n\n");

  @Override
  String protocol() {
    return "anthropic-messages";
  }

  @Override
  String streamContentType() {
    return "text/event-stream; charset=utf-8";
  }

  @Override
  void prepare(Exchange x) {
    x.prefix = new byte[0];
  }

  @Override
  void opening(Exchange x, ByteBuf out) {
    ObjectNode m = JSON.createObjectNode();
    m.put("model", x.model).put("id", x.responseId).put("type", "message").put("role", "assistant");
    m.putArray("content");
    m.putNull("stop_reason").putNull("stop_sequence");
    m.set("usage", usage(x, 1, true));
    event("message_start", JSON.createObjectNode().put("type", "message_start").set("message", m), out);
  }

  /** The text block's index: after the thinking block when there is one. */
  private static int textIndex(Exchange x) {
    return x.reasoning > 0 ? 1 : 0;
  }

  @Override
  void token(Exchange x, int choice, int index, int count, byte[] piece, boolean reasoning, boolean last, ByteBuf out) {
    if (reasoning && index == 0) {
      ObjectNode block = JSON.createObjectNode().put("type", "thinking").put("thinking", "").put("signature", "");
      blockStart(0, block, out);
      out.writeBytes(PING);
    } else if (!reasoning && index == x.reasoning) {
      if (x.reasoning > 0) closeThinking(out);
      blockStart(textIndex(x), JSON.createObjectNode().put("type", "text").put("text", ""), out);
      if (x.reasoning == 0) out.writeBytes(PING);
    }
    out.writeBytes(TEXT_HEAD);
    Bytes.putLong(out, reasoning ? 0 : textIndex(x));
    out.writeBytes(reasoning ? THINKING_MID : TEXT_MID);
    out.writeBytes(piece);
    out.writeBytes(DELTA_END);
  }

  private static void blockStart(int index, ObjectNode block, ByteBuf out) {
    event("content_block_start", JSON.createObjectNode().put("type", "content_block_start").put("index", index).set("content_block", block), out);
  }

  private static void closeThinking(ByteBuf out) {
    ObjectNode d = JSON.createObjectNode().put("type", "content_block_delta").put("index", 0);
    d.putObject("delta").put("type", "signature_delta").put("signature", "ZW11bGF0ZWQ=");
    event("content_block_delta", d, out);
    event("content_block_stop", JSON.createObjectNode().put("type", "content_block_stop").put("index", 0), out);
  }

  @Override
  void closing(Exchange x, ByteBuf out) {
    if (x.written > x.reasoning) {
      event("content_block_stop", JSON.createObjectNode().put("type", "content_block_stop").put("index", textIndex(x)), out);
    } else if (x.written > 0) {
      closeThinking(out);
    }
    ObjectNode d = JSON.createObjectNode().put("type", "message_delta");
    d.putObject("delta").put("stop_reason", stopReason(x)).putNull("stop_sequence");
    ObjectNode u = usage(x, x.written, true);
    if (x.reasoningWritten() > 0) u.putObject("output_tokens_details").put("thinking_tokens", x.reasoningWritten());
    d.set("usage", u);
    event("message_delta", d, out);
    event("message_stop", JSON.createObjectNode().put("type", "message_stop"), out);
  }

  private static String stopReason(Exchange x) {
    return "length".equals(x.finishReason) ? "max_tokens" : "end_turn";
  }

  private static ObjectNode usage(Exchange x, int output, boolean input) {
    ObjectNode u = JSON.createObjectNode();
    if (input) {
      u.put("input_tokens", x.promptTokens).put("cache_creation_input_tokens", 0).put("cache_read_input_tokens", 0);
    }
    return u.put("output_tokens", output);
  }

  @Override
  void error(Exchange x, String message, ByteBuf out) {
    ObjectNode e = JSON.createObjectNode().put("type", "error");
    e.putObject("error").put("type", "api_error").put("message", message);
    event("error", e, out);
  }

  private static void event(String name, ObjectNode data, ByteBuf out) {
    out.writeCharSequence("event: " + name + "\ndata: " + data + "\n\n", StandardCharsets.UTF_8);
  }

  @Override
  ObjectNode body(Exchange x) {
    ObjectNode m = JSON.createObjectNode();
    m.put("model", x.model).put("id", x.responseId).put("type", "message").put("role", "assistant");
    ArrayNode content = m.putArray("content");
    if (x.reasoningWritten() > 0) {
      content.addObject().put("type", "thinking").put("thinking", x.texts[0].text(0, x.reasoningWritten())).put("signature", "ZW11bGF0ZWQ=");
    }
    if (x.written > x.reasoning) {
      content.addObject().put("type", "text").put("text", x.texts[0].text(x.reasoning, x.written));
    }
    m.put("stop_reason", stopReason(x)).putNull("stop_sequence");
    m.set("usage", usage(x, x.written, true));
    return m;
  }

  @Override
  ObjectNode errorBody(int status, String message, String type) {
    ObjectNode root = JSON.createObjectNode().put("type", "error");
    String t = status == 429 ? "rate_limit_error" : status == 529 || status == 503 ? "overloaded_error"
        : status == 400 ? "invalid_request_error" : "api_error";
    root.putObject("error").put("type", t).put("message", message);
    return root;
  }
}
