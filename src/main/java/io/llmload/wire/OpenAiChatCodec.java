package io.llmload.wire;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/** OpenAI Chat Completions, {@code POST /v1/chat/completions}, streamed as SSE. */
final class OpenAiChatCodec implements StreamCodec {

  static final OpenAiChatCodec INSTANCE = new OpenAiChatCodec();

  private static final List<ReservedField> RESERVED =
      OpenAiCompletionsCodec.with(OpenAiCompletionsCodec.COMMON, OpenAiCompletionsCodec.MESSAGES);

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
    OpenAiCompletionsCodec.common(b, spec);
    return Json.finish(b, spec.extraBody(), RESERVED);
  }

  @Override
  public List<ReservedField> reservedFields() {
    return RESERVED;
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
  public List<String> identityPaths() {
    return List.of("/v1/models");
  }
}
