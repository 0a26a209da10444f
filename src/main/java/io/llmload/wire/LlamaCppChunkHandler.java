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

  private int tokensInEvent = -1; // size of the event's "tokens" array, -1 when absent
  // a prompt array streams one sequence per index; the body is done when all have stopped, and
  // its counts are the sums over the indices (each index's latest count)
  private final BitSet seen = new BitSet();
  private final BitSet stopped = new BitSet();
  private long[] predictedSoFar = new long[1];
  private long[] predictedFinal = new long[1];
  private long[] evaluated = new long[1];

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
    tokensInEvent = -1;
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
      case "tokens":
        tokensInEvent = Json.countArray(p);
        break;
      default:
        Json.skip(p); // generation_settings, prompt, ...
    }
  }

  /** Tokens this event carried: the growth of {@code tokens_predicted}, else the {@code tokens} array. */
  private long tokensInEvent() {
    if (tokensPredicted != null && !stop) {
      long delta = tokensPredicted - predictedSoFar[index];
      predictedSoFar[index] = tokensPredicted;
      if (delta > 0) return delta;
    }
    return Math.max(0, tokensInEvent);
  }

  private void grow(int i) {
    if (i >= predictedSoFar.length) {
      int n = Math.max(i + 1, predictedSoFar.length * 2);
      predictedSoFar = java.util.Arrays.copyOf(predictedSoFar, n);
      predictedFinal = java.util.Arrays.copyOf(predictedFinal, n);
      evaluated = java.util.Arrays.copyOf(evaluated, n);
    }
  }

  private static long sum(long[] v) {
    long s = 0;
    for (long x : v) s += x;
    return s;
  }

  static @Nullable Map<String, Object> readTimings(JsonParser p) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      Json.skip(p);
      return null;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    for (String f; (f = Json.field(p)) != null; ) {
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
    grow(index);
    st.output(OutputKind.CONTENT, index, content, nanos, tokensInEvent());
    if (error != null) {
      st.serverError(error);
      return;
    }
    if (timings != null) {
      st.server("timings", timings);
      if (timings.get("predicted_n") instanceof Long n) {
        predictedFinal[index] = n;
        st.serverOutputTokens(sum(predictedFinal), "timings");
      }
    }
    if (!stop) {
      return;
    }
    st.server("stop_type", stopType);
    if (tokensPredicted != null) {
      predictedSoFar[index] = tokensPredicted;
      st.server("tokens_predicted", sum(predictedSoFar));
    }
    if (tokensEvaluated != null) {
      evaluated[index] = tokensEvaluated;
      st.server("tokens_evaluated", sum(evaluated));
      st.serverPromptTokens(sum(evaluated));
    }
    st.finishReason(stopType);
    stopped.set(index);
    if (stopped.equals(seen)) {
      st.done();
    }
  }
}
