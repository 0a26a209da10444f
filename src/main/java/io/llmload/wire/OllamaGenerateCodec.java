package io.llmload.wire;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** Ollama's native {@code POST /api/generate}, streamed as NDJSON. */
final class OllamaGenerateCodec implements StreamCodec {

  static final OllamaGenerateCodec INSTANCE = new OllamaGenerateCodec();

  /** What both Ollama endpoints reserve. */
  static final List<ReservedField> COMMON =
      List.of(
          OpenAiCompletionsCodec.MODEL,
          ReservedField.setBy("options.num_predict", "maxTokens(...), which the record reports"),
          OpenAiCompletionsCodec.STREAM);

  private static final List<ReservedField> RESERVED = OpenAiCompletionsCodec.with(COMMON, OpenAiCompletionsCodec.PROMPT);

  @Override
  public Protocol protocol() {
    return Protocol.OLLAMA_GENERATE;
  }

  @Override
  public String path() {
    return "/api/generate";
  }

  @Override
  public byte[] body(RequestSpec spec) {
    ObjectNode b = Json.MAPPER.createObjectNode();
    if (spec.model() != null) {
      b.put("model", spec.model());
    }
    b.put("prompt", OpenAiCompletionsCodec.prompt(spec));
    options(b, spec);
    return Json.finish(b, spec.extraBody(), RESERVED);
  }

  @Override
  public List<ReservedField> reservedFields() {
    return RESERVED;
  }

  /**
   * Streaming and the output bound, shared with {@code /api/chat}. Ollama has no ignore_eos or
   * min_tokens: a forced output length cannot be asked for.
   */
  static void options(ObjectNode b, RequestSpec spec) {
    b.put("stream", true);
    if (spec.maxTokens() != null) {
      b.putObject("options").put("num_predict", spec.maxTokens());
    }
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
