package io.llmload.wire;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads llama.cpp's native {@code /completion} events: {@code content} per event, and a last
 * event with {@code "stop":true}, {@code stop_type} and {@code timings}. {@code timings} may also
 * come on earlier events (when a stop word matched); the latest wins.
 */
final class LlamaCppChunkHandler extends JsonEventHandler {

  private final StringBuilder content = new StringBuilder();
  private int index;
  private boolean stop;
  private @Nullable String stopType;
  private @Nullable Long tokensPredicted;
  private @Nullable Long tokensEvaluated;
  private @Nullable Map<String, Object> timings;
  private @Nullable String error;

  // a prompt array streams one sequence per index; the body is done when all have stopped
  private final BitSet seen = new BitSet();
  private final BitSet stopped = new BitSet();

  @Override
  void begin() {
    content.setLength(0);
    index = 0;
    stop = false;
    stopType = null;
    tokensPredicted = null;
    tokensEvaluated = null;
    timings = null;
    error = null;
  }

  @Override
  void field(String name, JsonParser p, StreamState st) throws IOException {
    switch (name) {
      case "content":
        Json.appendString(p, content);
        break;
      case "index":
        Long i = Json.longValue(p);
        if (i == null || i < 0 || i >= OpenAiChunkHandler.MAX_CHOICES) {
          throw new IllegalArgumentException("index " + i + " is not a choice index");
        }
        index = i.intValue();
        break;
      case "stop":
        stop = p.currentToken() == JsonToken.VALUE_TRUE;
        break;
      case "stop_type":
        stopType = Json.shortText(p);
        break;
      case "tokens_predicted":
        tokensPredicted = Json.longValue(p);
        break;
      case "tokens_evaluated":
        tokensEvaluated = Json.longValue(p);
        break;
      case "timings":
        timings = readTimings(p);
        break;
      case "error":
        error = errorMessage(p);
        break;
      default:
        Json.skip(p); // tokens, generation_settings, prompt, ...
    }
  }

  static @Nullable Map<String, Object> readTimings(JsonParser p) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      Json.skip(p);
      return null;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    while (Json.next(p) == JsonToken.FIELD_NAME) {
      String f = p.currentName();
      Json.next(p);
      Object v = Json.scalar(p);
      if (v != null && m.size() < 32) {
        m.put(Json.oneLine(f), v);
      }
    }
    return m;
  }

  @Override
  void complete(long nanos, StreamState st) {
    seen.set(index);
    st.output(OutputKind.CONTENT, index, content, nanos);
    if (error != null) {
      st.serverError(error);
      return;
    }
    if (timings != null) {
      st.server("timings", timings);
      if (timings.get("predicted_n") instanceof Long) {
        st.serverOutputTokens((Long) timings.get("predicted_n"), "timings");
      }
    }
    if (!stop) {
      return;
    }
    st.server("stop_type", stopType);
    st.server("tokens_predicted", tokensPredicted);
    st.server("tokens_evaluated", tokensEvaluated);
    if (tokensEvaluated != null) {
      st.serverPromptTokens(tokensEvaluated);
    }
    st.finishReason(stopType);
    stopped.set(index);
    if (stopped.equals(seen)) {
      st.done();
    }
  }
}
