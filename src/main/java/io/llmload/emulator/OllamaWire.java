package io.llmload.emulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Ollama's NDJSON for {@code /api/generate} ({@code response}) and {@code /api/chat}
 * ({@code message.content}); reasoning tokens go to {@code thinking}. The final object carries the
 * durations in nanoseconds, taken from the emulated timeline: {@code load_duration} is the wait for a
 * batch slot (Ollama counts waiting for a runner there), {@code prompt_eval_duration} the step that
 * prefilled the prompt, {@code eval_duration} first to last token.
 */
final class OllamaWire extends WireFormat {
  private static final byte[] CREATED = Bytes.ascii("\",\"created_at\":\"");
  private static final byte[] GEN_CONTENT = Bytes.ascii("\",\"response\":\"");
  private static final byte[] GEN_THINKING = Bytes.ascii("\",\"response\":\"\",\"thinking\":\"");
  private static final byte[] GEN_END = Bytes.ascii("\",\"done\":false}\n");
  private static final byte[] CHAT_CONTENT = Bytes.ascii("\",\"message\":{\"role\":\"assistant\",\"content\":\"");
  private static final byte[] CHAT_THINKING = Bytes.ascii("\",\"message\":{\"role\":\"assistant\",\"content\":\"\",\"thinking\":\"");
  private static final byte[] CHAT_END = Bytes.ascii("\"},\"done\":false}\n");

  private final boolean chat;

  OllamaWire(boolean chat) {
    this.chat = chat;
  }

  @Override
  String protocol() {
    return chat ? "ollama-chat" : "ollama-generate";
  }

  @Override
  String streamContentType() {
    return "application/x-ndjson";
  }

  @Override
  void prepare(Exchange x) {
    x.prefix = Bytes.ascii("{\"model\":\"" + x.modelJson);
  }

  private static void head(Exchange x, ByteBuf out) {
    out.writeBytes(x.prefix);
    out.writeBytes(CREATED);
    out.writeBytes(IsoClock.nowBytes());
  }

  @Override
  void token(Exchange x, int choice, int index, int count, byte[] piece, boolean reasoning, boolean last, ByteBuf out) {
    head(x, out);
    if (chat) {
      out.writeBytes(reasoning ? CHAT_THINKING : CHAT_CONTENT);
      out.writeBytes(piece);
      out.writeBytes(CHAT_END);
    } else {
      out.writeBytes(reasoning ? GEN_THINKING : GEN_CONTENT);
      out.writeBytes(piece);
      out.writeBytes(GEN_END);
    }
  }

  @Override
  void closing(Exchange x, ByteBuf out) {
    head(x, out);
    String tail = chat
        ? "\",\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done_reason\":\"" + x.finishReason + "\",\"done\":true"
        : "\",\"response\":\"\",\"done\":true,\"done_reason\":\"" + x.finishReason + "\"";
    out.writeBytes(Bytes.ascii(tail + durations(x) + "}\n"));
  }

  private static String durations(Exchange x) {
    long now = System.nanoTime();
    return ",\"total_duration\":" + (now - x.receivedNanos)
        + ",\"load_duration\":" + Math.max(0, x.admittedNanos - x.receivedNanos)
        + ",\"prompt_eval_count\":" + x.promptTokens
        + ",\"prompt_eval_duration\":" + Math.max(0, x.firstTokenNanos - x.admittedNanos)
        + ",\"eval_count\":" + x.written
        + ",\"eval_duration\":" + Math.max(0, x.lastTokenNanos - x.firstTokenNanos);
  }

  @Override
  void error(Exchange x, String message, ByteBuf out) {
    ObjectNode e = JSON.createObjectNode().put("error", message);
    out.writeBytes((e + "\n").getBytes(StandardCharsets.UTF_8));
  }

  @Override
  void malformed(Exchange x, ByteBuf out) {
    out.writeBytes(Bytes.ascii("{\"model\":\"broken\",\"response\":\"cut off\n"));
  }

  @Override
  ObjectNode body(Exchange x) {
    try {
      String s = "{\"model\":\"" + x.modelJson + "\",\"created_at\":\"" + new String(IsoClock.nowBytes(), StandardCharsets.US_ASCII) + "\"";
      int r = x.reasoningWritten();
      ObjectNode o = (ObjectNode) JSON.readTree(s + "}");
      String content = x.texts[0].text(r, x.written);
      if (chat) {
        ObjectNode msg = o.putObject("message");
        msg.put("role", "assistant");
        msg.put("content", content);
        if (r > 0) {
          msg.put("thinking", x.texts[0].text(0, r));
        }
        o.put("done_reason", x.finishReason);
        o.put("done", true);
      } else {
        o.put("response", content);
        if (r > 0) {
          o.put("thinking", x.texts[0].text(0, r));
        }
        o.put("done", true);
        o.put("done_reason", x.finishReason);
      }
      ObjectNode d = (ObjectNode) JSON.readTree("{" + durations(x).substring(1) + "}");
      o.setAll(d);
      return o;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  ObjectNode errorBody(int status, String message, String type) {
    return JSON.createObjectNode().put("error", message);
  }
}
