package io.llmload.emulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;

/** OpenAI legacy completions: {@code choices[i].text} per chunk, a finish chunk, optional usage, {@code [DONE]}. */
final class OpenAiCompletionsWire extends WireFormat {
  private static final byte[] TEXT = Bytes.ascii(",\"text\":\"");
  private static final byte[] TOKEN_END = Bytes.ascii("\",\"logprobs\":null,\"finish_reason\":null,\"stop_reason\":null}],\"usage\":null}\n\n");
  private static final byte[] TOKEN_END_OPEN = Bytes.ascii("\",\"logprobs\":null,\"finish_reason\":null,\"stop_reason\":null}]");
  private static final byte[] DONE = Bytes.ascii("data: [DONE]\n\n");

  @Override
  String protocol() {
    return "openai-completions";
  }

  @Override
  String streamContentType() {
    return "text/event-stream; charset=utf-8";
  }

  private static String head(Exchange x) {
    return "data: {\"id\":\"" + x.responseId + "\",\"object\":\"text_completion\",\"created\":" + x.created
        + ",\"model\":\"" + x.modelJson + "\",\"system_fingerprint\":\"" + Exchange.FINGERPRINT + "\"";
  }

  @Override
  void prepare(Exchange x) {
    x.prefix = Bytes.ascii(head(x) + ",\"choices\":[{\"index\":");
  }

  @Override
  void token(Exchange x, int choice, int index, int count, byte[] piece, boolean reasoning, boolean last, ByteBuf out) {
    out.writeBytes(x.prefix);
    Bytes.putLong(out, choice);
    out.writeBytes(TEXT);
    out.writeBytes(piece);
    tokenEnd(x, index + count, TOKEN_END_OPEN, TOKEN_END, out);
  }

  @Override
  void closing(Exchange x, ByteBuf out) {
    for (int c = 0; c < x.choices; c++) {
      out.writeBytes(x.prefix);
      Bytes.putLong(out, c);
      out.writeBytes(Bytes.ascii(",\"text\":\"\",\"logprobs\":null,\"finish_reason\":\"" + x.finishReason + "\",\"stop_reason\":null}],\"usage\":null}\n\n"));
    }
    if (x.includeUsage) {
      out.writeBytes(Bytes.ascii(head(x) + ",\"choices\":[],\"usage\":" + OpenAiChatWire.usage(x) + "}\n\n"));
    }
    out.writeBytes(DONE);
  }

  @Override
  void error(Exchange x, String message, ByteBuf out) {
    out.writeBytes(Bytes.ascii("data: " + errorBody(500, message, "server_error") + "\n\n"));
    out.writeBytes(DONE);
  }

  @Override
  ObjectNode body(Exchange x) {
    ObjectNode root = JSON.createObjectNode();
    root.put("id", x.responseId);
    root.put("object", "text_completion");
    root.put("created", x.created);
    root.put("model", x.model);
    root.put("system_fingerprint", Exchange.FINGERPRINT);
    ArrayNode choices = root.putArray("choices");
    for (int c = 0; c < x.choices; c++) {
      ObjectNode ch = choices.addObject();
      ch.put("index", c);
      ch.put("text", x.texts[c].text(0, x.written));
      ch.putNull("logprobs");
      ch.put("finish_reason", x.finishReason);
    }
    ObjectNode usage = root.putObject("usage");
    usage.put("prompt_tokens", x.promptTokens);
    usage.put("total_tokens", x.promptTokens + x.written * x.choices);
    usage.put("completion_tokens", x.written * x.choices);
    return root;
  }
}
