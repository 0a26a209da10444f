package io.llmload.realserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmload.wire.Protocol;
import io.llmload.wire.RequestSpec;
import io.llmload.wire.StreamCodec;
import io.llmload.wire.StreamParser;
import io.llmload.wire.StreamState;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The new codecs against the real llama-server (which serves {@code /v1/responses}, {@code
 * /v1/messages} and, started with {@code --embeddings}, {@code /v1/embeddings}), so that they are
 * not tested only against an emulator written by the same hands. Rerank too, with the same random
 * weights as a Qwen3-architecture reranker ({@link TinyGguf#withReranker}): llama-server ({@code
 * --rerank}) pools it on each pair's last token and soft-maxes its random two-label head, so each
 * document gets its own score (a llama-architecture model is pooled on its first token: one score
 * for all).
 */
@Timeout(180)
class NewEndpointsRealServerTest {
  private static final int MAX_TOKENS = 8;

  private static StreamState send(LlamaServer server, Protocol p, boolean stream, RequestSpec spec) throws Exception {
    StreamCodec codec = StreamCodec.of(p, StreamCodec.MAX_TOKENS, stream);
    HttpRequest.Builder r = HttpRequest.newBuilder(server.baseUrl().resolve(codec.path()))
        .timeout(Duration.ofSeconds(60)).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(codec.body(spec)));
    for (var h : codec.headers()) r.header(h.getKey(), h.getValue());
    // a client per request: a pooled connection to an earlier test's server on the same port is dead
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpResponse<InputStream> resp = client.send(r.build(), HttpResponse.BodyHandlers.ofInputStream());
    StreamState st = new StreamState(true);
    StreamParser parser = codec.newParser();
    byte[] buf = new byte[4096];
    try (InputStream in = resp.body()) {
      for (int n; (n = in.read(buf)) > 0; ) parser.feed(buf, 0, n, System.nanoTime(), st);
    }
    parser.end(System.nanoTime(), st);
    assertEquals(200, resp.statusCode(), p + ": " + st.content() + " " + server.logTail(10));
    assertEquals(StreamState.Outcome.DONE, st.outcome(), p + ": " + st.error());
    return st;
  }

  @Test
  void responsesAndMessagesStreamedAndWhole() throws Exception {
    LlamaServer.requireBinary();
    try (LlamaServer server = LlamaServer.start(TinyGguf.defaults(), 1, 512)) {
      RequestSpec spec = new RequestSpec("tiny", "Say something, anything.", null, MAX_TOKENS, null, false, Map.of());
      for (Protocol p : List.of(Protocol.OPENAI_RESPONSES, Protocol.ANTHROPIC_MESSAGES)) {
        StreamState st = send(server, p, true, spec);
        // the random model never samples its end token: the bound is reached, one delta per token
        assertEquals(MAX_TOKENS, st.usageCompletionTokens(), p.id());
        assertEquals(MAX_TOKENS, st.tokenChunks(), p + ": the client's count agrees with the server's");
        assertTrue(st.usagePromptTokens() != null && st.usagePromptTokens() > 5, p + ": chat template applied");
        assertTrue(st.lastTokenNanos() > st.firstTokenNanos(), p + ": tokens arrive over time");
        StreamState whole = send(server, p, false, spec);
        assertEquals(MAX_TOKENS, whole.usageCompletionTokens(), p + " whole");
        assertEquals(0, whole.firstTokenNanos(), p + " whole: no TTFT");
      }
    }
  }

  @Test
  void embeddingsWithABatchOfInputs() throws Exception {
    LlamaServer.requireBinary();
    try (LlamaServer server = LlamaServer.start(TinyGguf.defaults(), 1, 512, "--embeddings", "--pooling", "mean")) {
      List<Map<String, Object>> inputs = List.of(Map.of("role", "user", "content", "the first text"),
          Map.of("role", "user", "content", "a second, longer text to embed"), Map.of("role", "user", "content", "third"));
      StreamState st = send(server, Protocol.OPENAI_EMBEDDINGS, true, new RequestSpec("tiny", "", inputs, null, null, false, Map.of()));
      assertEquals(3, st.items());
      assertEquals(384L, st.server().get("dimensions"), "the model's embedding length");
      assertTrue(st.usagePromptTokens() != null && st.usagePromptTokens() >= 3, "prompt tokens: " + st.usagePromptTokens());
      StreamState b64 = send(server, Protocol.OPENAI_EMBEDDINGS, true,
          new RequestSpec("tiny", "", inputs, null, null, false, Map.of("encoding_format", "base64")));
      assertEquals(3, b64.items());
      assertEquals(384L, b64.server().get("dimensions"));
    }
  }

  @Test
  void rerankAQueryAndItsDocuments() throws Exception {
    LlamaServer.requireBinary();
    try (LlamaServer server = LlamaServer.start(TinyGguf.defaults().withReranker(), 1, 512, "--rerank")) {
      List<Map<String, Object>> texts = List.of(Map.of("role", "user", "content", "what is a cat"),
          Map.of("role", "user", "content", "a cat is a small animal"), Map.of("role", "user", "content", "the sky is blue"),
          Map.of("role", "user", "content", "dogs bark at night, cats do not"), Map.of("role", "user", "content", "tea"));
      RequestSpec spec = new RequestSpec("tiny", "", texts, null, null, false, Map.of());
      StreamState st = send(server, Protocol.RERANK, false, spec);
      assertEquals(4, st.items(), "every document ranked");
      // the reference: the same body sent apart and its answer read as a plain JSON tree
      StreamCodec codec = StreamCodec.of(Protocol.RERANK, StreamCodec.MAX_TOKENS, false);
      HttpResponse<String> raw = HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.baseUrl().resolve(codec.path()))
          .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(codec.body(spec))).build(),
          HttpResponse.BodyHandlers.ofString());
      var tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(raw.body());
      assertEquals(tree.path("results").size(), st.items());
      assertEquals(tree.path("usage").path("prompt_tokens").asLong(), st.usagePromptTokens(), raw.body());
      assertTrue(st.usagePromptTokens() > 4 * 3, "query and document tokens of four pairs: " + st.usagePromptTokens());
      java.util.Set<Integer> indexes = new java.util.TreeSet<>();
      tree.path("results").forEach(r -> indexes.add(r.path("index").asInt()));
      assertEquals(java.util.Set.of(0, 1, 2, 3), indexes, raw.body());
      // a ranking head: scores in (0, 1), not all equal, and the same for the same request
      java.util.Map<Integer, Double> scores = new java.util.TreeMap<>();
      tree.path("results").forEach(r -> scores.put(r.path("index").asInt(), r.path("relevance_score").asDouble()));
      assertTrue(scores.values().stream().allMatch(v -> v > 0 && v < 1), raw.body());
      assertTrue(new java.util.HashSet<>(scores.values()).size() > 1, "documents ranked apart: " + raw.body());
      String again = HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.baseUrl().resolve(codec.path()))
          .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(codec.body(spec))).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      java.util.Map<Integer, Double> scores2 = new java.util.TreeMap<>();
      new com.fasterxml.jackson.databind.ObjectMapper().readTree(again).path("results")
          .forEach(r -> scores2.put(r.path("index").asInt(), r.path("relevance_score").asDouble()));
      assertEquals(scores.keySet(), scores2.keySet());
      scores.forEach((i, v) -> assertEquals(v, scores2.get(i), 1e-4, "document " + i + " scored again"));
      // a request without documents is refused before it is sent
      RequestSpec alone = new RequestSpec("tiny", "", texts.subList(0, 1), null, null, false, Map.of());
      IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
          () -> codec.body(alone));
      assertTrue(e.getMessage().contains("no documents"), e.getMessage());
    }
  }
}
