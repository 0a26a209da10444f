package io.llmload.wire;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** llama.cpp server's native {@code POST /completion}, streamed as SSE. */
final class LlamaCppCodec implements StreamCodec {

  static final LlamaCppCodec INSTANCE = new LlamaCppCodec();

  private static final List<ReservedField> RESERVED =
      List.of(
          OpenAiCompletionsCodec.PROMPT,
          ReservedField.setBy("n_predict", "maxTokens(...), which the record reports"),
          OpenAiCompletionsCodec.STREAM);

  @Override
  public Protocol protocol() {
    return Protocol.LLAMACPP;
  }

  @Override
  public String path() {
    return "/completion";
  }

  /** The model is not sent: llama-server serves the model it was started with. */
  @Override
  public byte[] body(RequestSpec spec) {
    ObjectNode b = Json.MAPPER.createObjectNode();
    b.put("prompt", OpenAiCompletionsCodec.prompt(spec));
    if (spec.maxTokens() != null) {
      b.put("n_predict", spec.maxTokens());
    }
    b.put("stream", true);
    if (spec.ignoreEos()) {
      b.put("ignore_eos", true);
    }
    return Json.finish(b, spec.extraBody(), RESERVED);
  }

  @Override
  public List<ReservedField> reservedFields() {
    return RESERVED;
  }

  @Override
  public StreamParser newParser() {
    return new SseFramer(new LlamaCppChunkHandler());
  }

  @Override
  public StreamParser newWholeBodyParser() {
    return new WholeBodyParser(new LlamaCppChunkHandler());
  }

  @Override
  public List<String> identityPaths() {
    return List.of("/props", "/v1/models");
  }
}
