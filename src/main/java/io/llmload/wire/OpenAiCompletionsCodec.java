package io.llmload.wire;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/** OpenAI legacy Completions, {@code POST /v1/completions}, streamed as SSE. */
final class OpenAiCompletionsCodec implements StreamCodec {

  static final OpenAiCompletionsCodec INSTANCE = new OpenAiCompletionsCodec();

  static final ReservedField STREAM = ReservedField.needs("stream", true, "the suite times streamed responses");
  static final ReservedField MODEL = ReservedField.setBy("model", "model(...)");
  static final ReservedField PROMPT = ReservedField.setBy("prompt", "prompt(...) or messages(...)");
  static final ReservedField MESSAGES = ReservedField.setBy("messages", "prompt(...) or messages(...)");
  /** The openai fields both endpoints reserve. */
  static final List<ReservedField> COMMON =
      List.of(
          MODEL,
          ReservedField.setBy("max_tokens", "maxTokens(...), which the record reports"),
          STREAM,
          ReservedField.needs("stream_options.include_usage", true, "the server's token counts come only with it"));

  private static final List<ReservedField> RESERVED = with(COMMON, PROMPT);

  /** {@code list} and {@code more}, as one list. */
  static List<ReservedField> with(List<ReservedField> list, ReservedField... more) {
    List<ReservedField> all = new java.util.ArrayList<>(list);
    all.addAll(List.of(more));
    return List.copyOf(all);
  }

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
    common(b, spec, MAX_TOKENS);
    return Json.finish(b, spec.extraBody(), RESERVED);
  }

  @Override
  public List<ReservedField> reservedFields() {
    return RESERVED;
  }

  /**
   * The text a protocol that takes one text sends: the whole conversation when the spec has
   * messages (every message's content, in order, joined by newlines; a content list gives its
   * parts' {@code text}), else the prompt. Roles are not rendered.
   */
  static String prompt(RequestSpec spec) {
    if (spec.messages() == null) {
      return spec.prompt() == null ? "" : spec.prompt();
    }
    StringBuilder sb = new StringBuilder();
    for (Map<String, Object> m : spec.messages()) {
      String c = text(m.get("content"));
      if (c != null) {
        if (sb.length() > 0) {
          sb.append('\n');
        }
        sb.append(c);
      }
    }
    return sb.toString();
  }

  /** A message content as text: a string, or the {@code text} of each part of a content list. */
  private static String text(Object content) {
    if (!(content instanceof List<?> parts)) {
      return content == null ? null : content.toString();
    }
    StringBuilder sb = new StringBuilder();
    for (Object part : parts) {
      Object t = part instanceof Map<?, ?> m ? m.get("text") : null;
      if (t != null) {
        sb.append(t);
      }
    }
    return sb.toString();
  }

  /** Fields the two OpenAI endpoints share. */
  static void common(ObjectNode b, RequestSpec spec, String maxTokensField) {
    if (spec.maxTokens() != null) {
      b.put(maxTokensField, spec.maxTokens());
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
  public StreamParser newWholeBodyParser() {
    return new WholeBodyParser(new OpenAiChunkHandler());
  }

  @Override
  public List<String> identityPaths() {
    return List.of("/v1/models");
  }
}
