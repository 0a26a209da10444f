package io.llmload.wire;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/** OpenAI legacy Completions, {@code POST /v1/completions}, streamed as SSE. */
final class OpenAiCompletionsCodec implements StreamCodec {

  static final OpenAiCompletionsCodec INSTANCE = new OpenAiCompletionsCodec();

  @Override
  public Protocol protocol() {
    return Protocol.OPENAI_COMPLETIONS;
  }

  @Override
  public String path() {
    return "/v1/completions";
  }

  @Override
  public byte[] body(RequestSpec spec) {
    ObjectNode b = Json.MAPPER.createObjectNode();
    if (spec.model() != null) {
      b.put("model", spec.model());
    }
    b.put("prompt", prompt(spec));
    common(b, spec);
    return Json.finish(b, spec.extraBody());
  }

  /** The prompt, or the chat messages' contents joined by newlines when only messages are given. */
  static String prompt(RequestSpec spec) {
    if (spec.prompt() != null || spec.messages() == null) {
      return spec.prompt() == null ? "" : spec.prompt();
    }
    StringBuilder sb = new StringBuilder();
    for (Map<String, Object> m : spec.messages()) {
      Object c = m.get("content");
      if (c != null) {
        if (sb.length() > 0) {
          sb.append('\n');
        }
        sb.append(c);
      }
    }
    return sb.toString();
  }

  /** Fields the two OpenAI endpoints share. */
  static void common(ObjectNode b, RequestSpec spec) {
    if (spec.maxTokens() != null) {
      b.put("max_tokens", spec.maxTokens());
    }
    b.put("stream", true);
    // without include_usage the server's token count never arrives
    b.putObject("stream_options").put("include_usage", true);
    // vLLM and SGLang extensions that force the output length; other servers ignore them
    if (spec.ignoreEos()) {
      b.put("ignore_eos", true);
    }
    if (spec.minTokens() != null) {
      b.put("min_tokens", spec.minTokens());
    }
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
