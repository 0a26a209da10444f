package io.llmload.wire;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/** The OpenAI Responses API, {@code POST /v1/responses}, streamed as SSE. */
final class OpenAiResponsesCodec implements StreamCodec {

  static final OpenAiResponsesCodec INSTANCE = new OpenAiResponsesCodec();

  private static final List<ReservedField> RESERVED =
      List.of(
          OpenAiCompletionsCodec.MODEL,
          ReservedField.setBy("input", "prompt(...) or messages(...)"),
          ReservedField.setBy("max_output_tokens", "maxTokens(...), which the record reports"),
          OpenAiCompletionsCodec.STREAM);

  @Override
  public Protocol protocol() {
    return Protocol.OPENAI_RESPONSES;
  }

  @Override
  public String path() {
    return "/v1/responses";
  }

  /**
   * The prompt as {@code input} text, or the messages as input messages (content parts renamed to
   * the Responses API's {@code input_text} / {@code input_image}). The API takes no {@code n},
   * {@code ignore_eos} or {@code stream_options}: usage always comes with the last event.
   */
  @Override
  public byte[] body(RequestSpec spec) {
    ObjectNode b = Json.MAPPER.createObjectNode();
    if (spec.model() != null) {
      b.put("model", spec.model());
    }
    if (spec.messages() == null) {
      b.put("input", spec.prompt() == null ? "" : spec.prompt());
    } else {
      ArrayNode input = b.putArray("input");
      for (Map<String, Object> m : spec.messages()) {
        ObjectNode msg = input.addObject();
        Object role = m.get("role");
        msg.put("role", role == null ? "user" : role.toString());
        msg.set("content", Json.MAPPER.valueToTree(content(m.get("content"), "assistant".equals(role))));
      }
    }
    if (spec.maxTokens() != null) {
      b.put("max_output_tokens", spec.maxTokens());
    }
    b.put("stream", true);
    return Json.finish(b, spec.extraBody(), RESERVED);
  }

  /** A chat content (a string, or chat-style parts) as Responses content. */
  private static Object content(Object content, boolean assistant) {
    if (!(content instanceof List<?> parts)) {
      return content == null ? "" : content;
    }
    List<Object> out = new java.util.ArrayList<>();
    for (Object part : parts) {
      if (!(part instanceof Map<?, ?> p)) {
        out.add(part);
        continue;
      }
      Object type = p.get("type");
      if ("text".equals(type)) {
        out.add(Map.of("type", assistant ? "output_text" : "input_text", "text", String.valueOf(p.get("text"))));
      } else if ("image_url".equals(type) && p.get("image_url") instanceof Map<?, ?> img && img.get("url") != null) {
        out.add(Map.of("type", "input_image", "image_url", img.get("url").toString()));
      } else {
        out.add(p);
      }
    }
    return out;
  }

  @Override
  public List<ReservedField> reservedFields() {
    return RESERVED;
  }

  @Override
  public StreamParser newParser() {
    return new SseFramer(new ResponsesEventHandler());
  }

  @Override
  public StreamParser newWholeBodyParser() {
    return new WholeBodyParser(new ResponsesEventHandler());
  }

  @Override
  public List<String> identityPaths() {
    return List.of("/v1/models");
  }
}
