package io.llmload.emulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;

/**
 * OpenAI chat completions as vLLM streams them: a role-only first chunk per choice, content
 * deltas ({@code reasoning_content} deltas first for reasoning tokens), a finish chunk with an empty
 * delta per choice, a usage chunk with {@code "choices":[]} when asked, then {@code data: [DONE]}.
 */
final class OpenAiChatWire extends WireFormat {
  private static final byte[] CONTENT = Bytes.ascii(",\"delta\":{\"content\":\"");
  private static final byte[] REASONING = Bytes.ascii(",\"delta\":{\"reasoning_content\":\"");
  private static final byte[] TOKEN_END = Bytes.ascii("\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n");
  private static final byte[] TOKEN_END_OPEN = Bytes.ascii("\"},\"logprobs\":null,\"finish_reason\":null}]");
  private static final byte[] ROLE = Bytes.ascii(",\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n");
  private static final byte[] DONE = Bytes.ascii("data: [DONE]\n\n");

  @Override
  String protocol() {
    return "openai-chat";
  }

  @Override
  String streamContentType() {
    return "text/event-stream; charset=utf-8";
  }

  private static String head(Exchange x) {
    return "data: {\"id\":\"" + x.responseId + "\",\"object\":\"chat.completion.chunk\",\"created\":" + x.created
        + ",\"model\":\"" + x.modelJson + "\",\"system_fingerprint\":\"" + Exchange.FINGERPRINT + "\"";
  }

  @Override
  void prepare(Exchange x) {
    x.prefix = Bytes.ascii(head(x) + ",\"choices\":[{\"index\":");
  }

  @Override
  void opening(Exchange x, ByteBuf out) {
    if (!x.firstChunkRole) {
      return;
    }
    for (int c = 0; c < x.choices; c++) {
      out.writeBytes(x.prefix);
      Bytes.putLong(out, c);
      out.writeBytes(ROLE);
    }
  }

  @Override
  void token(Exchange x, int choice, int index, int count, byte[] piece, boolean reasoning, boolean last, ByteBuf out) {
    out.writeBytes(x.prefix);
    Bytes.putLong(out, choice);
    out.writeBytes(reasoning ? REASONING : CONTENT);
    out.writeBytes(piece);
    tokenEnd(x, index + count, TOKEN_END_OPEN, TOKEN_END, out);
  }

  @Override
  void closing(Exchange x, ByteBuf out) {
    for (int c = 0; c < x.choices; c++) {
      out.writeBytes(x.prefix);
      Bytes.putLong(out, c);
      out.writeBytes(Bytes.ascii(",\"delta\":{},\"logprobs\":null,\"finish_reason\":\"" + x.finishReason + "\",\"stop_reason\":null}]}\n\n"));
    }
    if (x.includeUsage) {
      out.writeBytes(Bytes.ascii(head(x) + ",\"choices\":[],\"usage\":" + usage(x) + "}\n\n"));
    }
    out.writeBytes(DONE);
  }

  static String usage(Exchange x) {
    int completion = x.written * x.choices;
    String s = "{\"prompt_tokens\":" + x.promptTokens + ",\"total_tokens\":" + (x.promptTokens + completion)
        + ",\"completion_tokens\":" + completion;
    if (x.reasoningWritten() > 0) {
      s += ",\"completion_tokens_details\":{\"reasoning_tokens\":" + x.reasoningWritten() * x.choices + "}";
    }
    return s + "}";
  }

  @Override
  void error(Exchange x, String message, ByteBuf out) {
    // vLLM's form: an error object as a data event, then the usual terminator.
    out.writeBytes(Bytes.ascii("data: " + errorBody(500, message, "server_error") + "\n\n"));
    out.writeBytes(DONE);
  }

  @Override
  ObjectNode body(Exchange x) {
    ObjectNode root = JSON.createObjectNode();
    root.put("id", x.responseId);
    root.put("object", "chat.completion");
    root.put("created", x.created);
    root.put("model", x.model);
    root.put("system_fingerprint", Exchange.FINGERPRINT);
    ArrayNode choices = root.putArray("choices");
    int r = x.reasoningWritten();
    for (int c = 0; c < x.choices; c++) {
      ObjectNode ch = choices.addObject();
      ch.put("index", c);
      ObjectNode msg = ch.putObject("message");
      msg.put("role", "assistant");
      msg.put("content", x.texts[c].text(r, x.written));
      if (r > 0) {
        msg.put("reasoning_content", x.texts[c].text(0, r));
      }
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
