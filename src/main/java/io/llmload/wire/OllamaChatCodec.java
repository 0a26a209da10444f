package io.llmload.wire;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** Ollama's native {@code POST /api/chat}, streamed as NDJSON. */
final class OllamaChatCodec implements StreamCodec {

  static final OllamaChatCodec INSTANCE = new OllamaChatCodec();

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
    return Json.finish(b, spec.extraBody());
  }

  @Override
  public StreamParser newParser() {
    return new NdjsonFramer(new OllamaChunkHandler());
  }

  @Override
  public List<String> identityPaths() {
    return List.of("/api/version");
  }
}
