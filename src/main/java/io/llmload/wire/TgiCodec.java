package io.llmload.wire;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** Hugging Face TGI's native {@code POST /generate_stream}, streamed as SSE. */
final class TgiCodec implements StreamCodec {

  static final TgiCodec INSTANCE = new TgiCodec();

  private static final List<ReservedField> RESERVED =
      List.of(
          ReservedField.setBy("inputs", "prompt(...) or messages(...)"),
          ReservedField.setBy("parameters.max_new_tokens", "maxTokens(...), which the record reports"),
          ReservedField.needs("parameters.details", true, "TGI sends its token count only with details"),
          OpenAiCompletionsCodec.STREAM);

  @Override
  public Protocol protocol() {
    return Protocol.TGI;
  }

  @Override
  public String path() {
    return "/generate_stream";
  }

  /**
   * The model is not sent: a TGI instance serves one model. TGI has no ignore_eos or min_tokens;
   * {@code details:true} makes the last event carry the server's token count.
   */
  @Override
  public byte[] body(RequestSpec spec) {
    ObjectNode b = Json.MAPPER.createObjectNode();
    b.put("inputs", OpenAiCompletionsCodec.prompt(spec));
    ObjectNode params = b.putObject("parameters");
    if (spec.maxTokens() != null) {
      params.put("max_new_tokens", spec.maxTokens());
    }
    params.put("details", true);
    b.put("stream", true);
    return Json.finish(b, spec.extraBody(), RESERVED);
  }

  @Override
  public List<ReservedField> reservedFields() {
    return RESERVED;
  }

  @Override
  public StreamParser newParser() {
    return new SseFramer(new TgiChunkHandler());
  }

  @Override
  public StreamParser newWholeBodyParser() {
    return new WholeBodyParser(new TgiChunkHandler());
  }

  @Override
  public List<String> identityPaths() {
    return List.of("/info");
  }
}
