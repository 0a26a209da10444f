package io.llmload.emulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * TGI's {@code /generate_stream}: one {@code data:} event per token (no space after the colon, as
 * axum writes it), the last token's event carrying {@code generated_text} and {@code details}; no
 * terminator. Errors are a plain {@code data:{"error":..,"error_type":..}} event.
 */
final class TgiWire extends WireFormat {
  private static final byte[] INDEX = Bytes.ascii("data:{\"index\":");
  private static final byte[] TOKEN = Bytes.ascii(",\"token\":{");
  private static final byte[] TOKEN_END = Bytes.ascii(",\"special\":false},\"generated_text\":null,\"details\":null}\n\n");

  @Override
  String protocol() {
    return "tgi";
  }

  @Override
  String streamContentType() {
    return "text/event-stream";
  }

  @Override
  void prepare(Exchange x) {
    x.prefix = INDEX;
  }

  @Override
  boolean mergesTokens() {
    return false;
  }

  @Override
  void token(Exchange x, int choice, int index, int count, byte[] piece, boolean reasoning, boolean last, ByteBuf out) {
    out.writeBytes(INDEX);
    Bytes.putLong(out, index + 1);
    out.writeBytes(TOKEN);
    if (piece == HugeChunk.TEXT) {
      out.writeBytes(Bytes.ascii("\"id\":1,\"text\":\""));
      out.writeBytes(piece);
      out.writeBytes(Bytes.ascii("\",\"logprob\":-0.5"));
    } else {
      out.writeBytes(x.texts[0].tgiToken(index));
    }
    if (!last) {
      out.writeBytes(TOKEN_END);
      return;
    }
    ObjectNode tail = JSON.createObjectNode();
    tail.put("generated_text", x.texts[0].text(0, index + 1));
    ObjectNode details = tail.putObject("details");
    details.put("finish_reason", "stop".equals(x.finishReason) ? "eos_token" : "length");
    details.put("generated_tokens", index + 1);
    details.putNull("seed");
    details.put("input_length", x.promptTokens);
    String s = tail.toString();
    out.writeBytes(Bytes.ascii(",\"special\":false},"));
    out.writeBytes(s.substring(1).getBytes(StandardCharsets.UTF_8));
    out.writeBytes(Bytes.ascii("\n\n"));
  }

  @Override
  void closing(Exchange x, ByteBuf out) {
    // the final token's event already closed the stream
  }

  @Override
  void error(Exchange x, String message, ByteBuf out) {
    ObjectNode e = JSON.createObjectNode().put("error", message).put("error_type", "generation");
    out.writeBytes(("data:" + e + "\n\n").getBytes(StandardCharsets.UTF_8));
  }

  @Override
  void malformed(Exchange x, ByteBuf out) {
    out.writeBytes(Bytes.ascii("data:{\"index\":0,\"token\":{\"id\":1,\"text\":\"cut off\n\n"));
  }

  /** TGI's /generate timings, in whole milliseconds as TGI writes them. */
  @Override
  void wholeHeaders(Exchange x, io.netty.handler.codec.http.HttpHeaders h) {
    long now = System.nanoTime();
    long admitted = x.admittedNanos == Exchange.UNSET ? x.receivedNanos : x.admittedNanos;
    long inference = now - admitted;
    h.set("x-compute-type", "emulated");
    h.set("x-total-time", Long.toString((now - x.receivedNanos) / 1_000_000));
    h.set("x-validation-time", "0");
    h.set("x-queue-time", Long.toString((admitted - x.receivedNanos) / 1_000_000));
    h.set("x-inference-time", Long.toString(inference / 1_000_000));
    h.set("x-time-per-token", Long.toString(inference / Math.max(1, x.written) / 1_000_000));
    h.set("x-prompt-tokens", Integer.toString(x.promptTokens));
    h.set("x-generated-tokens", Integer.toString(x.written));
  }

  @Override
  ObjectNode body(Exchange x) {
    ObjectNode o = JSON.createObjectNode();
    o.put("generated_text", x.texts[0].text(0, x.written));
    ObjectNode details = o.putObject("details");
    details.put("finish_reason", "stop".equals(x.finishReason) ? "eos_token" : "length");
    details.put("generated_tokens", x.written);
    details.putNull("seed");
    return o;
  }

  @Override
  ObjectNode errorBody(int status, String message, String type) {
    return JSON.createObjectNode().put("error", message).put("error_type", status == 429 ? "overloaded" : type);
  }
}
