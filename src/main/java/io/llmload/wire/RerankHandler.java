package io.llmload.wire;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * Reads a rerank answer: vLLM's, Jina's and Cohere's {@code {results: [{index, relevance_score}]}}
 * (usage as {@code usage.prompt_tokens} or {@code usage.total_tokens} where sent) or Hugging Face
 * TEI's bare array {@code [{index, score}]}. The number of results is the documents ranked.
 * Answers are small, so the whole body is read as a tree.
 */
final class RerankHandler implements EventHandler {

  @Override
  public void onEvent(@Nullable String event, byte[] data, int off, int len, long nanos, StreamState st) {
    st.event();
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(Json.FACTORY.createParser(data, off, len));
    } catch (IOException | RuntimeException e) {
      st.malformed(Json.malformedReason(e));
      return;
    }
    if (root == null) {
      st.malformed("malformed answer: empty body");
      return;
    }
    JsonNode error = root.get("error");
    if (error != null && !error.isNull()) {
      st.serverError(Json.oneLine(error.isTextual() ? error.asText() : error.path("message").asText(error.toString())));
      return;
    }
    JsonNode results = root.isArray() ? root : root.get("results");
    if (results == null || !results.isArray()) {
      st.malformed("malformed answer: no results[] (nor a TEI array of {index, score})");
      return;
    }
    for (JsonNode r : results) {
      JsonNode score = r.has("relevance_score") ? r.get("relevance_score") : r.get("score");
      if (!r.path("index").canConvertToInt() || score == null || !score.isNumber()) {
        st.malformed("malformed answer: a result without an integer index and a numeric score");
        return;
      }
    }
    if (root.hasNonNull("model")) st.server("model", Json.oneLine(root.get("model").asText()));
    if (root.hasNonNull("id")) st.server("id", Json.oneLine(root.get("id").asText()));
    JsonNode usage = root.path("usage");
    JsonNode tokens = usage.has("prompt_tokens") ? usage.get("prompt_tokens") : usage.get("total_tokens");
    if (tokens != null && tokens.canConvertToLong() && tokens.asLong() >= 0) st.usage(tokens.asLong(), null, null, null);
    st.items(results.size());
    st.done();
  }
}
