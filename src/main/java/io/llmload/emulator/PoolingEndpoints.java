package io.llmload.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.jspecify.annotations.Nullable;

/**
 * Embeddings ({@code POST /v1/embeddings}, OpenAI's shape) and rerank ({@code POST /rerank} and
 * {@code /v1/rerank}, vLLM's shape; TEI's {@code texts} accepted for {@code documents}). Inputs
 * count ceil(characters / 4) tokens each. Vectors are seeded from the text, so the same input
 * always gets the same vector; scores likewise.
 */
final class PoolingEndpoints {
  static final int DIMENSIONS = 32;

  private PoolingEndpoints() {}

  /** The parsed request: its texts (for rerank the query first) and the answer to send. */
  record Answer(int tokens, int inputs, String body) {}

  static boolean handles(String path) {
    return path.equals("/v1/embeddings") || path.equals("/rerank") || path.equals("/v1/rerank");
  }

  /** @throws IllegalArgumentException one line naming the field, for a 400 */
  static Answer answer(String path, JsonNode body, String model, String id) {
    return path.equals("/v1/embeddings") ? embeddings(body, model) : rerank(body, model, id);
  }

  private static int tokens(String s) {
    return Math.max(1, (s.length() + 3) / 4);
  }

  private static Answer embeddings(JsonNode body, String model) {
    JsonNode in = body.get("input");
    List<String> texts = new ArrayList<>();
    if (in != null && in.isTextual()) texts.add(in.asText());
    else if (in != null && in.isArray()) for (JsonNode t : in) texts.add(t.asText());
    if (texts.isEmpty() || texts.stream().anyMatch(String::isEmpty)) {
      throw new IllegalArgumentException("input: required, a non-empty string or array of non-empty strings");
    }
    String enc = body.path("encoding_format").asText("float");
    if (!enc.equals("float") && !enc.equals("base64")) {
      throw new IllegalArgumentException("encoding_format: '" + enc + "' is not one of float, base64");
    }
    ObjectNode root = WireFormat.JSON.createObjectNode().put("object", "list");
    ArrayNode data = root.putArray("data");
    int tokens = 0;
    for (int i = 0; i < texts.size(); i++) {
      tokens += tokens(texts.get(i));
      float[] v = vector(texts.get(i));
      ObjectNode e = data.addObject().put("object", "embedding").put("index", i);
      if (enc.equals("base64")) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) b.putFloat(f);
        e.put("embedding", Base64.getEncoder().encodeToString(b.array()));
      } else {
        ArrayNode a = e.putArray("embedding");
        for (float f : v) a.add(f);
      }
    }
    root.put("model", model);
    root.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
    return new Answer(tokens, texts.size(), root.toString());
  }

  private static float[] vector(String text) {
    Random r = new Random(text.hashCode() * 0x9E3779B97F4A7C15L);
    float[] v = new float[DIMENSIONS];
    double norm = 0;
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) r.nextGaussian();
      norm += v[i] * v[i];
    }
    for (int i = 0; i < v.length; i++) v[i] /= (float) Math.sqrt(norm);
    return v;
  }

  private static Answer rerank(JsonNode body, String model, String id) {
    String query = body.path("query").asText("");
    if (query.isEmpty()) throw new IllegalArgumentException("query: required, a non-empty string");
    JsonNode docs = body.has("documents") ? body.get("documents") : body.get("texts");
    if (docs == null || !docs.isArray() || docs.isEmpty()) {
      throw new IllegalArgumentException("documents: required, a non-empty array of strings");
    }
    int tokens = 0;
    List<double[]> scored = new ArrayList<>();
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < docs.size(); i++) {
      JsonNode d = docs.get(i);
      String t = d.isTextual() ? d.asText() : d.path("text").asText("");
      texts.add(t);
      tokens += tokens(query) + tokens(t); // a cross-encoder reads query and document together
      scored.add(new double[] {i, new Random((query + "\u0000" + t).hashCode()).nextDouble()});
    }
    scored.sort((a, b) -> Double.compare(b[1], a[1]));
    ObjectNode root = WireFormat.JSON.createObjectNode().put("id", id).put("model", model);
    root.putObject("usage").put("total_tokens", tokens);
    ArrayNode results = root.putArray("results");
    for (double[] s : scored) {
      ObjectNode r = results.addObject().put("index", (int) s[0]);
      r.putObject("document").put("text", texts.get((int) s[0]));
      r.put("relevance_score", s[1]);
    }
    return new Answer(tokens, docs.size(), root.toString());
  }

  static @Nullable String model(JsonNode body, String dflt) {
    String m = body.path("model").asText("");
    return m.isEmpty() ? dflt : m;
  }
}
