package io.llmload.wire;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/** OpenAI Chat Completions, {@code POST /v1/chat/completions}, streamed as SSE. */
final class OpenAiChatCodec implements StreamCodec {

  static final OpenAiChatCodec INSTANCE = new OpenAiChatCodec(MAX_TOKENS);
  /** For OpenAI's reasoning models, which refuse {@code max_tokens}. */
  static final OpenAiChatCodec COMPLETION_TOKENS = new OpenAiChatCodec(MAX_COMPLETION_TOKENS);

  private final String maxTokensField;
  private final List<ReservedField> reserved;

  private OpenAiChatCodec(String maxTokensField) {
    this.maxTokensField = maxTokensField;
    List<ReservedField> r = new java.util.ArrayList<>();
    for (ReservedField f : OpenAiCompletionsCodec.COMMON) {
      r.add(f.path().equals(MAX_TOKENS) ? ReservedField.setBy(maxTokensField, "maxTokens(...), which the record reports") : f);
    }
    r.add(OpenAiCompletionsCodec.MESSAGES);
    this.reserved = List.copyOf(r);
  }

  @Override
  public Protocol protocol() {
    return Protocol.OPENAI_CHAT;
  }

  @Override
  public String path() {
    return "/v1/chat/completions";
  }

  @Override
  public byte[] body(RequestSpec spec) {
    ObjectNode b = Json.MAPPER.createObjectNode();
    if (spec.model() != null) {
      b.put("model", spec.model());
    }
    b.set("messages", Json.MAPPER.valueToTree(messages(spec)));
    OpenAiCompletionsCodec.common(b, spec, maxTokensField);
    return Json.finish(b, spec.extraBody(), reserved);
  }

  @Override
  public List<ReservedField> reservedFields() {
    return reserved;
  }

  /** The spec's messages, or one user message holding the prompt. */
  static List<Map<String, Object>> messages(RequestSpec spec) {
    if (spec.messages() != null) {
      return spec.messages();
    }
    return List.of(Map.of("role", "user", "content", spec.prompt() == null ? "" : spec.prompt()));
  }

  @Override
  public StreamParser newParser() {
    return new SseFramer(new OpenAiChunkHandler());
  }

  @Override
  public StreamParser newWholeBodyParser() {
    return new WholeBodyParser(new OpenAiChunkHandler());
  }

  @Override
  public List<String> identityPaths() {
    return List.of("/v1/models");
  }
}
