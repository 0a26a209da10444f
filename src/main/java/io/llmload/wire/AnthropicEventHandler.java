package io.llmload.wire;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * Reads the Anthropic Messages API's stream ({@code POST /v1/messages}): {@code message_start}
 * (id, model, input tokens), content blocks of deltas, {@code message_delta} (stop reason, output
 * tokens so far), {@code message_stop} (the end); {@code ping} carries nothing. Only the JSON's
 * {@code type} is read, in any key order, with any whitespace (Anthropic pads objects with spaces).
 *
 * <p>A token is one delta with non-empty text: {@code text_delta} (content), {@code
 * thinking_delta} (reasoning), {@code input_json_delta} (tool call); {@code signature_delta} and
 * {@code citations_delta} are not output; a {@code tool_use} block's start counts as a tool-call
 * token for its name (arguments may come only there: {@code input:{}}). Prompt tokens are {@code input_tokens} plus the cache's
 * {@code cache_read_input_tokens} and {@code cache_creation_input_tokens} (Anthropic counts them
 * apart; OpenAI's {@code prompt_tokens} includes them), cached tokens are the cache reads.
 */
final class AnthropicEventHandler extends JsonEventHandler {

  private @Nullable String type;
  private @Nullable String deltaType;
  private final StringBuilder text = new StringBuilder();
  private final StringBuilder wholeText = new StringBuilder();
  private @Nullable String stopReason;
  private @Nullable String error;
  private @Nullable String id;
  private @Nullable String model;
  private boolean hasUsage;
  private @Nullable Long input;
  private @Nullable Long cacheRead;
  private @Nullable Long cacheWrite;
  private @Nullable Long output;
  private @Nullable Long thinking;

  @Override
  void begin() {
    type = null;
    deltaType = null;
    text.setLength(0);
    wholeText.setLength(0);
    stopReason = null;
    error = null;
    id = null;
    model = null;
    hasUsage = false;
    input = cacheRead = cacheWrite = output = thinking = null;
  }

  @Override
  void field(String name, JsonParser p, StreamState st) throws IOException {
    switch (name) {
      case "type" -> type = Json.shortText(p);
      case "delta" -> readDelta(p);
      case "usage" -> readUsage(p); // message_delta's cumulative usage
      case "message" -> readMessage(p); // message_start's message
      case "content_block" -> readBlock(p);
      case "error" -> error = errorMessage(p);
      // a whole (non-streamed) answer is the message itself
      case "id" -> id = Json.shortText(p);
      case "model" -> model = Json.shortText(p);
      case "stop_reason" -> stopReason = Json.shortText(p);
      case "content" -> readContent(p);
      default -> Json.skip(p);
    }
  }

  private void readDelta(JsonParser p) throws IOException {
    if (!Json.object(p)) return;
    for (String f; (f = Json.field(p)) != null; ) {
      switch (f) {
        case "type" -> deltaType = Json.shortText(p);
        case "text", "thinking", "partial_json" -> Json.appendString(p, text);
        case "stop_reason" -> stopReason = Json.shortText(p);
        default -> Json.skip(p);
      }
    }
  }

  /** A block's start: a tool_use block's name counts as tool-call output, as in OpenAI chat. */
  private void readBlock(JsonParser p) throws IOException {
    if (!Json.object(p)) return;
    String blockType = null;
    for (String f; (f = Json.field(p)) != null; ) {
      switch (f) {
        case "type" -> blockType = Json.shortText(p);
        case "name" -> Json.appendString(p, text);
        default -> Json.skip(p);
      }
    }
    deltaType = "tool_use".equals(blockType) ? "input_json_delta" : null;
  }

  /** A whole answer's content blocks: the text blocks' text, for content capture and checks. */
  private void readContent(JsonParser p) throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      Json.skip(p);
      return;
    }
    while (Json.next(p) != JsonToken.END_ARRAY) {
      if (!Json.object(p)) continue;
      for (String f; (f = Json.field(p)) != null; ) {
        if ("text".equals(f)) Json.appendString(p, wholeText);
        else Json.skip(p);
      }
    }
  }

  private void readMessage(JsonParser p) throws IOException {
    if (!Json.object(p)) return;
    for (String f; (f = Json.field(p)) != null; ) {
      switch (f) {
        case "id" -> id = Json.shortText(p);
        case "model" -> model = Json.shortText(p);
        // message_start's output_tokens is a placeholder (1 to 8); the real count comes later
        case "usage" -> readUsage(p);
        case "stop_reason" -> stopReason = Json.shortText(p);
        default -> Json.skip(p);
      }
    }
  }

  private void readUsage(JsonParser p) throws IOException {
    if (!Json.object(p)) return;
    hasUsage = true;
    for (String f; (f = Json.field(p)) != null; ) {
      switch (f) {
        case "input_tokens" -> input = Json.longValue(p);
        case "cache_read_input_tokens" -> cacheRead = Json.longValue(p);
        case "cache_creation_input_tokens" -> cacheWrite = Json.longValue(p);
        case "output_tokens" -> output = Json.longValue(p);
        case "output_tokens_details" -> thinking = UsageDetail.read(p, "thinking_tokens");
        default -> Json.skip(p);
      }
    }
  }

  @Override
  void complete(long nanos, StreamState st) {
    if (error != null) {
      st.serverError(error);
      return;
    }
    if (type == null) {
      return;
    }
    switch (type) {
      case "message_start" -> {
        st.server("id", id);
        st.server("model", model);
        if (hasUsage) st.usage(prompt(), null, cacheRead, null);
      }
      case "content_block_delta", "content_block_start" -> {
        OutputKind kind = kindOf(deltaType);
        if (kind != null) st.output(kind, 0, text, nanos);
      }
      case "message_delta" -> {
        st.finishReason(stopReason);
        if (hasUsage) st.usage(input == null ? null : prompt(), output, cacheRead, thinking);
      }
      case "message_stop" -> st.done();
      case "message" -> { // a whole answer
        st.server("id", id);
        st.server("model", model);
        st.output(OutputKind.CONTENT, 0, wholeText, nanos);
        if (hasUsage) st.usage(prompt(), output, cacheRead, thinking);
        st.finishReason(stopReason);
        st.done();
      }
      case "error" -> st.serverError("error event without a message");
      default -> {
        // ping, content_block_start, content_block_stop: nothing to count
      }
    }
  }

  private @Nullable Long prompt() {
    if (input == null) return null;
    return input + (cacheRead == null ? 0 : cacheRead) + (cacheWrite == null ? 0 : cacheWrite);
  }

  private static @Nullable OutputKind kindOf(@Nullable String deltaType) {
    if (deltaType == null) return null;
    return switch (deltaType) {
      case "text_delta" -> OutputKind.CONTENT;
      case "thinking_delta" -> OutputKind.REASONING;
      case "input_json_delta" -> OutputKind.TOOL_CALL;
      default -> null;
    };
  }
}
