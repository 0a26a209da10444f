package io.llmload.emulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * llama.cpp's native {@code /completion}: {@code content} events with {@code stop:false}, then a
 * {@code stop:true} event with {@code stop_type}, {@code tokens_predicted} and {@code timings}
 * (prompt time = the step that prefilled it, predicted time = first to last token); no terminator.
 */
final class LlamaCppWire extends WireFormat {
  private static final byte[] HEAD = Bytes.ascii("data: {\"index\":0,\"content\":\"");
  private static final byte[] TOKENS = Bytes.ascii("\",\"tokens\":[");
  private static final byte[] MID = Bytes.ascii("],\"stop\":false,\"id_slot\":-1,\"tokens_predicted\":");
  private static final byte[] EVALUATED = Bytes.ascii(",\"tokens_evaluated\":");
  private static final byte[] END = Bytes.ascii("}\n\n");

  @Override
  String protocol() {
    return "llamacpp";
  }

  @Override
  String streamContentType() {
    return "text/event-stream";
  }

  @Override
  void prepare(Exchange x) {
    x.prefix = HEAD;
  }

  @Override
  void token(Exchange x, int choice, int index, int count, byte[] piece, boolean reasoning, boolean last, ByteBuf out) {
    out.writeBytes(HEAD);
    out.writeBytes(piece);
    out.writeBytes(TOKENS);
    for (int i = 0; i < count; i++) {
      if (i > 0) out.writeByte(',');
      Bytes.putLong(out, piece == HugeChunk.TEXT ? 1 : x.texts[0].tokenId(index + i));
    }
    out.writeBytes(MID);
    Bytes.putLong(out, index + count);
    out.writeBytes(EVALUATED);
    Bytes.putLong(out, x.promptTokens);
    out.writeBytes(END);
  }

  private static ObjectNode finalFields(Exchange x, ObjectNode o) {
    o.put("id_slot", 0);
    o.put("stop", true);
    o.put("model", x.model);
    o.put("tokens_predicted", x.written);
    o.put("tokens_evaluated", x.promptTokens);
    o.putObject("generation_settings").put("n_predict", x.maxTokens).put("seed", x.seed).put("synthetic", true);
    o.put("prompt", "");
    o.put("has_new_line", false);
    o.put("truncated", false);
    o.put("stop_type", "stop".equals(x.finishReason) ? "eos" : "limit");
    o.put("stopping_word", "");
    o.put("tokens_cached", x.promptTokens + x.written);
    ObjectNode t = o.putObject("timings");
    double promptMs = Math.max(0, x.firstTokenNanos - x.admittedNanos) / 1e6;
    double predictedMs = Math.max(0, x.lastTokenNanos - x.firstTokenNanos) / 1e6;
    t.put("cache_n", 0);
    t.put("prompt_n", x.promptTokens);
    t.put("prompt_ms", promptMs);
    t.put("prompt_per_token_ms", promptMs / Math.max(1, x.promptTokens));
    t.put("prompt_per_second", promptMs > 0 ? x.promptTokens * 1000.0 / promptMs : 0);
    t.put("predicted_n", x.written);
    t.put("predicted_ms", predictedMs);
    t.put("predicted_per_token_ms", predictedMs / Math.max(1, x.written));
    t.put("predicted_per_second", predictedMs > 0 ? x.written * 1000.0 / predictedMs : 0);
    return o;
  }

  @Override
  void closing(Exchange x, ByteBuf out) {
    ObjectNode o = JSON.createObjectNode();
    o.put("index", 0);
    o.put("content", "");
    o.putArray("tokens");
    out.writeBytes(("data: " + finalFields(x, o) + "\n\n").getBytes(StandardCharsets.UTF_8));
  }

  @Override
  void error(Exchange x, String message, ByteBuf out) {
    out.writeBytes(("data: " + errorBody(500, message, "server_error") + "\n\n").getBytes(StandardCharsets.UTF_8));
  }

  @Override
  ObjectNode body(Exchange x) {
    ObjectNode o = JSON.createObjectNode();
    o.put("index", 0);
    o.put("content", x.texts[0].text(0, x.written));
    o.putArray("tokens");
    return finalFields(x, o);
  }

  @Override
  ObjectNode errorBody(int status, String message, String type) {
    ObjectNode root = JSON.createObjectNode();
    root.putObject("error").put("code", status).put("message", message).put("type", type);
    return root;
  }
}
