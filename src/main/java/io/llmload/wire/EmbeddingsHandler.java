package io.llmload.wire;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Base64;
import org.jspecify.annotations.Nullable;

/**
 * Reads an embeddings answer ({@code POST /v1/embeddings}, OpenAI, vLLM, TEI, llama.cpp): {@code
 * data[]} of vectors, as float arrays or base64 strings of little-endian float32 ({@code
 * encoding_format: base64}), and {@code usage.prompt_tokens}. The number of vectors is the
 * request's inputs as the server counts them; their length is kept as {@code dimensions}.
 */
final class EmbeddingsHandler extends JsonEventHandler {
  private int vectors;
  private int dimensions = -1;
  private boolean ragged; // vectors of different lengths: a broken answer
  private boolean hasData;
  private @Nullable String error;
  private @Nullable String model;
  private boolean hasUsage;
  private @Nullable Long prompt;

  @Override
  void begin() {
    vectors = 0;
    dimensions = -1;
    ragged = false;
    hasData = false;
    error = null;
    model = null;
    hasUsage = false;
    prompt = null;
  }

  @Override
  void field(String name, JsonParser p, StreamState st) throws IOException {
    switch (name) {
      case "data" -> readData(p);
      case "model" -> model = Json.shortText(p);
      case "error" -> error = errorMessage(p);
      case "usage" -> {
        if (!Json.object(p)) return;
        hasUsage = true;
        for (String f; (f = Json.field(p)) != null; ) {
          if ("prompt_tokens".equals(f)) prompt = Json.longValue(p);
          else Json.skip(p);
        }
      }
      default -> Json.skip(p);
    }
  }

  private void readData(JsonParser p) throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      Json.skip(p);
      return;
    }
    hasData = true;
    while (Json.next(p) != JsonToken.END_ARRAY) {
      if (!Json.object(p)) continue;
      for (String f; (f = Json.field(p)) != null; ) {
        if ("embedding".equals(f)) vector(length(p));
        else Json.skip(p);
      }
    }
  }

  /** A vector's length: array elements, or base64 bytes / 4; -1 for anything else. */
  private static int length(JsonParser p) throws IOException {
    if (p.currentToken() == JsonToken.VALUE_STRING) {
      try {
        int bytes = Base64.getDecoder().decode(p.getText()).length;
        return bytes % 4 == 0 ? bytes / 4 : -1;
      } catch (IllegalArgumentException notBase64) {
        return -1;
      }
    }
    return Json.countArray(p);
  }

  private void vector(int n) {
    if (n <= 0) {
      ragged = true;
      return;
    }
    vectors++;
    if (dimensions >= 0 && dimensions != n) ragged = true;
    dimensions = n;
  }

  @Override
  void complete(long nanos, StreamState st) {
    if (error != null) {
      st.serverError(error);
      return;
    }
    st.server("model", model);
    if (hasUsage) st.usage(prompt, null, null, null);
    if (!hasData) {
      st.malformed("malformed answer: no data[] of embeddings");
      return;
    }
    if (ragged) {
      st.malformed("malformed answer: an embedding is empty, not numbers or base64 float32, or of another length");
      return;
    }
    st.items(vectors);
    st.server("dimensions", dimensions >= 0 ? (long) dimensions : null);
    st.done();
  }
}
