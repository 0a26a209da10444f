package io.llmload.wire;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * Reads the OpenAI Responses API's stream ({@code POST /v1/responses}), as OpenAI, vLLM and
 * OpenRouter send it: one JSON object per event whose {@code type} names it (the SSE event name
 * repeats it, and is absent on some gateways, so only {@code type} is read). Fields come in any
 * order (vLLM writes {@code type} last), so an event is read whole before it is judged.
 *
 * <p>A token is one delta event with non-empty text: {@code output_text} (content), {@code
 * refusal}, {@code reasoning_summary_text} and {@code reasoning_text} (reasoning), {@code
 * function_call_arguments} (tool call), and a {@code function_call} item's {@code
 * output_item.added} for its name (as OpenAI chat counts a tool call's name). There is one sequence (the API has no {@code n}). Usage
 * and the end come from {@code response.completed} or {@code response.incomplete}; {@code
 * response.failed} and {@code error} events are server errors.
 */
final class ResponsesEventHandler extends JsonEventHandler {

  private @Nullable String type;
  private boolean whole;
  private final StringBuilder wholeText = new StringBuilder();
  private final StringBuilder delta = new StringBuilder();
  private final StringBuilder itemName = new StringBuilder();
  private @Nullable String message; // a bare error event's message
  private @Nullable String code;
  private boolean hasResponse;
  private @Nullable String status;
  private @Nullable String incompleteReason;
  private @Nullable String responseError;
  private @Nullable String id;
  private @Nullable String model;
  private boolean hasUsage;
  private @Nullable Long input;
  private @Nullable Long output;
  private @Nullable Long cached;
  private @Nullable Long reasoning;

  @Override
  void begin() {
    type = null;
    whole = false;
    wholeText.setLength(0);
    delta.setLength(0);
    itemName.setLength(0);
    message = null;
    code = null;
    hasResponse = false;
    status = null;
    incompleteReason = null;
    responseError = null;
    id = null;
    model = null;
    hasUsage = false;
    input = output = cached = reasoning = null;
  }

  @Override
  void field(String name, JsonParser p, StreamState st) throws IOException {
    switch (name) {
      case "type" -> type = Json.shortText(p);
      case "delta" -> Json.appendString(p, delta);
      case "message" -> message = Json.shortText(p);
      case "code" -> {
        Object v = Json.scalar(p);
        code = v == null ? null : v.toString();
      }
      case "response" -> readResponse(p);
      case "item" -> readItem(p);
      // a whole (non-streamed) answer is the response object itself
      case "object" -> whole = "response".equals(Json.shortText(p));
      case "id" -> id = Json.shortText(p);
      case "model" -> model = Json.shortText(p);
      case "status" -> status = Json.shortText(p);
      case "usage" -> readUsage(p);
      case "incomplete_details" -> incompleteReason = reason(p);
      case "output" -> readOutput(p);
      case "error" -> responseError = errorMessage(p); // a top-level error object (gateways)
      default -> Json.skip(p);
    }
  }

  /** An output item: a function call's name counts as tool-call output, as in OpenAI chat. */
  private void readItem(JsonParser p) throws IOException {
    if (!Json.object(p)) return;
    boolean call = false;
    for (String f; (f = Json.field(p)) != null; ) {
      switch (f) {
        case "type" -> call = "function_call".equals(Json.shortText(p));
        case "name" -> Json.appendString(p, itemName);
        default -> Json.skip(p);
      }
    }
    if (!call) itemName.setLength(0);
  }

  private void readResponse(JsonParser p) throws IOException {
    if (!Json.object(p)) return;
    hasResponse = true;
    while (Json.next(p) == JsonToken.FIELD_NAME) {
      String f = p.currentName();
      JsonToken t = Json.next(p);
      switch (f) {
        case "id" -> id = Json.shortText(p);
        case "model" -> model = Json.shortText(p);
        case "status" -> status = Json.shortText(p);
        case "usage" -> readUsage(p);
        case "error" -> {
          String e = errorMessage(p);
          if (t != JsonToken.VALUE_NULL) responseError = e;
        }
        case "incomplete_details" -> incompleteReason = reason(p);
        default -> Json.skip(p); // output, instructions, tools ...: the whole answer again
      }
    }
  }

  private static @Nullable String reason(JsonParser p) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      Json.skip(p);
      return null;
    }
    String r = null;
    for (String f; (f = Json.field(p)) != null; ) {
      if ("reason".equals(f)) r = Json.shortText(p);
      else Json.skip(p);
    }
    return r;
  }

  private void readUsage(JsonParser p) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      Json.skip(p); // "usage": null until the response completes
      return;
    }
    hasUsage = true;
    for (String f; (f = Json.field(p)) != null; ) {
      switch (f) {
        case "input_tokens" -> input = Json.longValue(p);
        case "output_tokens" -> output = Json.longValue(p);
        case "input_tokens_details" -> cached = UsageDetail.read(p, "cached_tokens");
        case "output_tokens_details" -> reasoning = UsageDetail.read(p, "reasoning_tokens");
        default -> Json.skip(p);
      }
    }
  }

  @Override
  void errorEventMessage(@Nullable String m) {
    message = m;
  }

  /** A whole answer's output items: the message text, for content capture and checks. */
  private void readOutput(JsonParser p) throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      Json.skip(p);
      return;
    }
    while (Json.next(p) != JsonToken.END_ARRAY) {
      if (!Json.object(p)) continue;
      for (String f; (f = Json.field(p)) != null; ) {
        if ("content".equals(f) && p.currentToken() == JsonToken.START_ARRAY) {
          while (Json.next(p) != JsonToken.END_ARRAY) {
            if (!Json.object(p)) continue;
            String partType = null;
            int mark = wholeText.length();
            while (Json.next(p) == JsonToken.FIELD_NAME) {
              String g = p.currentName();
              Json.next(p);
              if ("type".equals(g)) partType = Json.shortText(p);
              else if ("text".equals(g)) Json.appendString(p, wholeText);
              else Json.skip(p);
            }
            if (!"output_text".equals(partType)) wholeText.setLength(mark); // reasoning text is not content
          }
        } else {
          Json.skip(p);
        }
      }
    }
  }

  @Override
  void complete(long nanos, StreamState st) {
    if (type == null && whole) {
      st.output(OutputKind.CONTENT, 0, wholeText, nanos);
      st.server("id", id);
      st.server("model", model);
      if (hasUsage) st.usage(input, output, cached, reasoning);
      if (responseError != null) {
        st.serverError(responseError);
        return;
      }
      st.finishReason("incomplete".equals(status) && incompleteReason != null ? incompleteReason : status);
      st.done();
      return;
    }
    if (type == null) {
      if (responseError != null) st.serverError(responseError);
      return;
    }
    OutputKind kind = kindOf(type);
    if (kind != null) {
      st.output(kind, 0, delta, nanos);
    } else if ("response.output_item.added".equals(type)) {
      st.output(OutputKind.TOOL_CALL, 0, itemName, nanos);
    }
    if (hasResponse) {
      st.server("id", id);
      st.server("model", model);
    }
    if (hasUsage) {
      st.usage(input, output, cached, reasoning);
    }
    switch (type) {
      case "response.completed" -> {
        st.finishReason(status);
        st.done();
      }
      case "response.incomplete" -> {
        st.finishReason(incompleteReason != null ? incompleteReason : status);
        st.done();
      }
      case "response.failed" -> st.serverError(responseError != null ? responseError : "response.failed without an error");
      case "error" -> st.serverError(message != null ? message : code != null ? code : "error event without a message");
      default -> {
        if (responseError != null) st.serverError(responseError);
      }
    }
  }

  private static @Nullable OutputKind kindOf(String type) {
    return switch (type) {
      case "response.output_text.delta" -> OutputKind.CONTENT;
      case "response.refusal.delta" -> OutputKind.REFUSAL;
      case "response.reasoning_summary_text.delta", "response.reasoning_text.delta" -> OutputKind.REASONING;
      case "response.function_call_arguments.delta" -> OutputKind.TOOL_CALL;
      default -> null;
    };
  }
}
