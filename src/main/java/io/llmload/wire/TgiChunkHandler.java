package io.llmload.wire;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * Reads TGI's native {@code /generate_stream} events: one {@code token} per event, and a last
 * event that also carries {@code generated_text} and {@code details}. TGI's top-level {@code
 * index} numbers tokens, not choices. Special tokens (end of sequence) are not output.
 */
final class TgiChunkHandler extends JsonEventHandler {

  private final StringBuilder text = new StringBuilder();
  private boolean special;
  private boolean last;
  private @Nullable String finishReason;
  private @Nullable Long generatedTokens;
  private @Nullable Long inputLength;
  private @Nullable Object seed;
  private @Nullable String error;
  private @Nullable String errorType;

  @Override
  void begin() {
    text.setLength(0);
    special = false;
    last = false;
    finishReason = null;
    generatedTokens = null;
    inputLength = null;
    seed = null;
    error = null;
    errorType = null;
  }

  @Override
  void field(String name, JsonParser p, StreamState st) throws IOException {
    switch (name) {
      case "token":
        readToken(p);
        break;
      case "generated_text":
        // a string (possibly empty) only on the last event; null on the others
        if (p.currentToken() == JsonToken.VALUE_STRING) {
          last = true;
        } else {
          Json.skip(p);
        }
        break;
      case "details":
        readDetails(p);
        break;
      case "error":
        error = errorMessage(p);
        break;
      case "error_type":
        errorType = Json.shortText(p);
        break;
      default:
        Json.skip(p);
    }
  }

  private void readToken(JsonParser p) throws IOException {
    if (!Json.object(p)) return;
    for (String f; (f = Json.field(p)) != null; ) {
      if ("text".equals(f)) {
        Json.appendString(p, text);
      } else if ("special".equals(f)) {
        special = p.currentToken() == JsonToken.VALUE_TRUE;
      } else {
        Json.skip(p);
      }
    }
  }

  private void readDetails(JsonParser p) throws IOException {
    if (!Json.object(p)) return;
    last = true;
    for (String f; (f = Json.field(p)) != null; ) {
      switch (f) {
        case "finish_reason":
          finishReason = Json.shortText(p);
          break;
        case "generated_tokens":
          generatedTokens = Json.longValue(p);
          break;
        case "input_length":
          inputLength = Json.longValue(p);
          break;
        case "seed":
          seed = Json.scalar(p);
          break;
        default:
          Json.skip(p); // prefill / tokens arrays, best_of sequences
      }
    }
  }

  @Override
  void complete(long nanos, StreamState st) {
    if (!special) {
      st.output(OutputKind.CONTENT, 0, text, nanos);
    }
    if (error != null) {
      st.server("error_type", errorType);
      st.serverError(error);
      return;
    }
    if (!last) {
      return;
    }
    st.server("finish_reason", finishReason);
    st.server("generated_tokens", generatedTokens);
    st.server("input_length", inputLength);
    st.server("seed", seed);
    if (generatedTokens != null) {
      st.serverOutputTokens(generatedTokens, "generated_tokens");
    }
    if (inputLength != null) {
      st.serverPromptTokens(inputLength);
    }
    st.finishReason(finishReason);
    st.done();
  }
}
