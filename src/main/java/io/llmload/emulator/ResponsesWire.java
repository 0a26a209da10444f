package io.llmload.emulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * The OpenAI Responses API as vLLM streams it ({@code event:} line, JSON with {@code type} last,
 * {@code sequence_number} from 0): {@code response.created}, {@code response.in_progress}; a
 * reasoning item ({@code reasoning_part.added}, {@code reasoning_text.delta}..., its done events)
 * when the request reasons; a message item ({@code content_part.added}, {@code
 * output_text.delta}..., its done events); then {@code response.completed}, or {@code
 * response.incomplete} with reason {@code max_output_tokens} when the length bound cut it. No
 * {@code [DONE]}. Errors inside the stream are an {@code error} event.
 */
final class ResponsesWire extends WireFormat {
  private static final byte[] TEXT_DELTA_HEAD = Bytes.ascii("event: response.output_text.delta\ndata: {\"content_index\":0,\"delta\":\"");
  private static final byte[] REASONING_DELTA_HEAD = Bytes.ascii("event: response.reasoning_text.delta\ndata: {\"content_index\":0,\"delta\":\"");
  private static final byte[] ITEM_ID = Bytes.ascii("\",\"item_id\":\"");
  private static final byte[] TEXT_DELTA_MID = Bytes.ascii("\",\"logprobs\":[],\"output_index\":");
  private static final byte[] REASONING_DELTA_MID = Bytes.ascii("\",\"output_index\":");
  private static final byte[] SEQ = Bytes.ascii(",\"sequence_number\":");
  private static final byte[] TEXT_DELTA_END = Bytes.ascii(",\"type\":\"response.output_text.delta\"}\n\n");
  private static final byte[] REASONING_DELTA_END = Bytes.ascii(",\"type\":\"response.reasoning_text.delta\"}\n\n");

  @Override
  String protocol() {
    return "openai-responses";
  }

  @Override
  String streamContentType() {
    return "text/event-stream; charset=utf-8";
  }

  @Override
  void prepare(Exchange x) {
    x.prefix = new byte[0];
  }

  private static String reasoningId(Exchange x) {
    return "rs_" + x.responseId;
  }

  private static String messageId(Exchange x) {
    return "msg_" + x.responseId;
  }

  /** The message item's output index: after the reasoning item when there is one. */
  private static int messageIndex(Exchange x) {
    return x.reasoning > 0 ? 1 : 0;
  }

  @Override
  void opening(Exchange x, ByteBuf out) {
    event(x, "response.created", JSON.createObjectNode().set("response", response(x, "in_progress", false)), out);
    event(x, "response.in_progress", JSON.createObjectNode().set("response", response(x, "in_progress", false)), out);
  }

  @Override
  void token(Exchange x, int choice, int index, int count, byte[] piece, boolean reasoning, boolean last, ByteBuf out) {
    if (reasoning && index == 0) {
      openReasoning(x, out);
    } else if (!reasoning && index == x.reasoning) {
      if (x.reasoning > 0) closeReasoning(x, out);
      openMessage(x, out);
    }
    out.writeBytes(reasoning ? REASONING_DELTA_HEAD : TEXT_DELTA_HEAD);
    out.writeBytes(piece);
    out.writeBytes(ITEM_ID);
    out.writeCharSequence(reasoning ? reasoningId(x) : messageId(x), StandardCharsets.UTF_8);
    out.writeBytes(reasoning ? REASONING_DELTA_MID : TEXT_DELTA_MID);
    Bytes.putLong(out, reasoning ? 0 : messageIndex(x));
    out.writeBytes(SEQ);
    Bytes.putLong(out, x.wireEvents++);
    out.writeBytes(reasoning ? REASONING_DELTA_END : TEXT_DELTA_END);
  }

  private void openReasoning(Exchange x, ByteBuf out) {
    ObjectNode item = JSON.createObjectNode().put("id", reasoningId(x));
    item.putArray("summary");
    item.put("type", "reasoning").putNull("content");
    item.putNull("encrypted_content");
    item.put("status", "in_progress");
    event(x, "response.output_item.added", JSON.createObjectNode().<ObjectNode>set("item", item).put("output_index", 0), out);
    ObjectNode part = JSON.createObjectNode().put("content_index", 0).put("item_id", reasoningId(x)).put("output_index", 0);
    part.putObject("part").put("text", "").put("type", "reasoning_text");
    event(x, "response.reasoning_part.added", part, out);
  }

  private void closeReasoning(Exchange x, ByteBuf out) {
    String text = x.texts[0].text(0, x.reasoningWritten());
    event(x, "response.reasoning_text.done",
        JSON.createObjectNode().put("content_index", 0).put("item_id", reasoningId(x)).put("output_index", 0).put("text", text), out);
    ObjectNode part = JSON.createObjectNode().put("content_index", 0).put("item_id", reasoningId(x)).put("output_index", 0);
    part.putObject("part").put("text", text).put("type", "reasoning_text");
    event(x, "response.reasoning_part.done", part, out);
    event(x, "response.output_item.done", JSON.createObjectNode().<ObjectNode>set("item", reasoningItem(x, "completed")).put("output_index", 0), out);
  }

  private void openMessage(Exchange x, ByteBuf out) {
    ObjectNode item = JSON.createObjectNode().put("id", messageId(x));
    item.putArray("content");
    item.put("role", "assistant").put("status", "in_progress").put("type", "message");
    event(x, "response.output_item.added", JSON.createObjectNode().<ObjectNode>set("item", item).put("output_index", messageIndex(x)), out);
    ObjectNode part = JSON.createObjectNode().put("content_index", 0).put("item_id", messageId(x)).put("output_index", messageIndex(x));
    part.set("part", textPart(""));
    event(x, "response.content_part.added", part, out);
  }

  @Override
  void closing(Exchange x, ByteBuf out) {
    if (x.written > x.reasoning) {
      String text = x.texts[0].text(x.reasoning, x.written);
      event(x, "response.output_text.done", JSON.createObjectNode().put("content_index", 0).put("item_id", messageId(x))
          .put("output_index", messageIndex(x)).put("text", text), out);
      ObjectNode part = JSON.createObjectNode().put("content_index", 0).put("item_id", messageId(x)).put("output_index", messageIndex(x));
      part.set("part", textPart(text));
      event(x, "response.content_part.done", part, out);
      event(x, "response.output_item.done",
          JSON.createObjectNode().<ObjectNode>set("item", messageItem(x, "completed")).put("output_index", messageIndex(x)), out);
    } else if (x.written > 0) {
      closeReasoning(x, out);
    }
    boolean cut = "length".equals(x.finishReason);
    event(x, cut ? "response.incomplete" : "response.completed",
        JSON.createObjectNode().set("response", response(x, cut ? "incomplete" : "completed", true)), out);
  }

  @Override
  void error(Exchange x, String message, ByteBuf out) {
    event(x, "error", JSON.createObjectNode().put("code", "server_error").put("message", message).putNull("param"), out);
  }

  /** The whole response object: for the stream's first and last events, and a non-streamed answer. */
  private static ObjectNode response(Exchange x, String status, boolean withOutput) {
    ObjectNode r = JSON.createObjectNode();
    r.put("id", x.responseId).put("created_at", x.created);
    if ("incomplete".equals(status)) {
      r.putObject("incomplete_details").put("reason", "max_output_tokens");
    } else {
      r.putNull("incomplete_details");
    }
    r.put("model", x.model).put("object", "response");
    ArrayNode output = r.putArray("output");
    if (withOutput) {
      if (x.reasoningWritten() > 0) output.add(reasoningItem(x, "completed"));
      if (x.written > x.reasoning) output.add(messageItem(x, "completed"));
    }
    r.put("max_output_tokens", x.maxTokens).put("status", status);
    if (!withOutput) {
      r.putNull("usage");
      return r;
    }
    ObjectNode u = r.putObject("usage");
    u.put("input_tokens", x.promptTokens);
    u.putObject("input_tokens_details").put("cached_tokens", 0);
    u.put("output_tokens", x.written);
    u.putObject("output_tokens_details").put("reasoning_tokens", x.reasoningWritten());
    u.put("total_tokens", x.promptTokens + x.written);
    return r;
  }

  private static ObjectNode reasoningItem(Exchange x, String status) {
    ObjectNode item = JSON.createObjectNode().put("id", reasoningId(x));
    item.putArray("summary");
    item.put("type", "reasoning");
    item.putArray("content").addObject().put("text", x.texts[0].text(0, x.reasoningWritten())).put("type", "reasoning_text");
    item.putNull("encrypted_content");
    item.put("status", status);
    return item;
  }

  private static ObjectNode messageItem(Exchange x, String status) {
    ObjectNode item = JSON.createObjectNode().put("id", messageId(x));
    item.putArray("content").add(textPart(x.texts[0].text(x.reasoning, x.written)));
    item.put("role", "assistant").put("status", status).put("type", "message");
    return item;
  }

  private static ObjectNode textPart(String text) {
    ObjectNode p = JSON.createObjectNode();
    p.putArray("annotations");
    p.put("text", text).put("type", "output_text");
    p.putArray("logprobs");
    return p;
  }

  /** One event: the fields given, then the sequence number and the type, as vLLM orders them. */
  private static void event(Exchange x, String type, ObjectNode fields, ByteBuf out) {
    fields.put("sequence_number", x.wireEvents++).put("type", type);
    out.writeCharSequence("event: " + type + "\ndata: " + fields + "\n\n", StandardCharsets.UTF_8);
  }

  @Override
  ObjectNode body(Exchange x) {
    return response(x, "length".equals(x.finishReason) ? "incomplete" : "completed", true);
  }
}
