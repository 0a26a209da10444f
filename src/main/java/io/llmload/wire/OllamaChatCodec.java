package io.llmload.wire;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** Ollama's native {@code POST /api/chat}, streamed as NDJSON. */
final class OllamaChatCodec implements StreamCodec {

  static final OllamaChatCodec INSTANCE = new OllamaChatCodec();

  private static final List<ReservedField> RESERVED =
      OpenAiCompletionsCodec.with(OllamaGenerateCodec.COMMON, OpenAiCompletionsCodec.MESSAGES);

  @Override
  public Protocol protocol() {
    return Protocol.OLLAMA_CHAT;
  }

  @Override
  public String path() {
    return "/api/chat";
  }

  @Override
  public byte[] body(RequestSpec spec) {
    ObjectNode b = Json.MAPPER.createObjectNode();
    if (spec.model() != null) {
      b.put("model", spec.model());
    }
    b.set("messages", Json.MAPPER.valueToTree(OpenAiChatCodec.messages(spec)));
    OllamaGenerateCodec.options(b, spec);
    return Json.finish(b, spec.extraBody(), RESERVED);
  }

  @Override
  public List<ReservedField> reservedFields() {
    return RESERVED;
  }

  @Override
  public StreamParser newParser() {
    return new NdjsonFramer(new OllamaChunkHandler());
  }

  @Override
  public StreamParser newWholeBodyParser() {
    return new WholeBodyParser(new OllamaChunkHandler());
  }

  @Override
  public List<String> identityPaths() {
    return List.of("/api/version");
  }
}
