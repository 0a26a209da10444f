package io.llmload.wire;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * The Anthropic Messages API, {@code POST /v1/messages}, streamed as SSE. The key goes in {@code
 * x-api-key} ({@code -DapiKeyHeader=x-api-key}); {@code anthropic-version} is sent on every request.
 */
final class AnthropicMessagesCodec implements StreamCodec {

  static final AnthropicMessagesCodec INSTANCE = new AnthropicMessagesCodec();

  /** The API version the suite's reading of the stream follows. */
  static final String VERSION = "2023-06-01";
  /** Anthropic requires {@code max_tokens}; this is sent when the request sets none. */
  static final int DEFAULT_MAX_TOKENS = 1024;

  private static final List<ReservedField> RESERVED =
      List.of(
          OpenAiCompletionsCodec.MODEL,
          OpenAiCompletionsCodec.MESSAGES,
          ReservedField.setBy("max_tokens", "maxTokens(...), which the record reports"),
          OpenAiCompletionsCodec.STREAM);

  @Override
  public Protocol protocol() {
    return Protocol.ANTHROPIC_MESSAGES;
  }

  @Override
  public String path() {
    return "/v1/messages";
  }

  @Override
  public List<Map.Entry<String, String>> headers() {
    return List.of(Map.entry("anthropic-version", VERSION));
  }

  /**
   * System messages go to the top-level {@code system} (the API has no system role); image parts
   * given as chat {@code image_url} become Anthropic image blocks (base64 for a {@code data:} URL).
   */
  @Override
  public byte[] body(RequestSpec spec) {
    ObjectNode b = Json.MAPPER.createObjectNode();
    if (spec.model() != null) {
      b.put("model", spec.model());
    }
    ArrayNode messages = b.putArray("messages");
    StringBuilder system = new StringBuilder();
    for (Map<String, Object> m : OpenAiChatCodec.messages(spec)) {
      Object role = m.get("role");
      if ("system".equals(role) || "developer".equals(role)) {
        if (system.length() > 0) system.append('\n');
        system.append(OpenAiCompletionsCodec.prompt(new RequestSpec(null, "", List.of(m), null, null, false, Map.of())));
        continue;
      }
      ObjectNode msg = messages.addObject();
      msg.put("role", role == null ? "user" : role.toString());
      msg.set("content", Json.MAPPER.valueToTree(content(m.get("content"))));
    }
    if (system.length() > 0) {
      b.put("system", system.toString());
    }
    b.put("max_tokens", spec.maxTokens() != null ? spec.maxTokens() : DEFAULT_MAX_TOKENS);
    b.put("stream", true);
    return Json.finish(b, spec.extraBody(), RESERVED);
  }

  private static Object content(Object content) {
    if (!(content instanceof List<?> parts)) {
      return content == null ? "" : content;
    }
    List<Object> out = new java.util.ArrayList<>();
    for (Object part : parts) {
      if (part instanceof Map<?, ?> p && "image_url".equals(p.get("type"))
          && p.get("image_url") instanceof Map<?, ?> img && img.get("url") != null) {
        out.add(Map.of("type", "image", "source", imageSource(img.get("url").toString())));
      } else {
        out.add(part);
      }
    }
    return out;
  }

  /** {@code data:image/png;base64,AAAA} as a base64 source, any other URL as a url source. */
  static Map<String, Object> imageSource(String url) {
    int comma = url.indexOf(',');
    if (url.startsWith("data:") && comma > 0 && url.substring(0, comma).endsWith(";base64")) {
      String mediaType = url.substring(5, comma - ";base64".length());
      return Map.of("type", "base64", "media_type", mediaType, "data", url.substring(comma + 1));
    }
    return Map.of("type", "url", "url", url);
  }

  @Override
  public List<ReservedField> reservedFields() {
    return RESERVED;
  }

  @Override
  public StreamParser newParser() {
    return new SseFramer(new AnthropicEventHandler());
  }

  @Override
  public StreamParser newWholeBodyParser() {
    return new WholeBodyParser(new AnthropicEventHandler());
  }

  @Override
  public List<String> identityPaths() {
    return List.of("/v1/models");
  }
}
