package io.llmload.workload;

import static io.llmload.workload.WorkloadFixtures.*;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.llmload.wire.Protocol;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * /tokenize against fake loopback servers answering in the llama.cpp, vLLM and TGI shapes. The
 * fakes count 2 tokens per space-separated word (plus 5 per chat message for vLLM's template), so
 * a server count is told apart from the 4-characters estimate.
 */
class TokenizeTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path tmp;
  private HttpServer server;
  private final List<JsonNode> bodies = new CopyOnWriteArrayList<>();
  private final List<String> auth = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    if (server != null) server.stop(0);
  }

  private String serve(Function<JsonNode, Object> answer) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/tokenize", ex -> {
      JsonNode body = JSON.readTree(ex.getRequestBody().readAllBytes());
      bodies.add(body);
      auth.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
      Object a = answer.apply(body);
      byte[] out = a == null ? "{\"error\":\"no\"}".getBytes(StandardCharsets.UTF_8) : JSON.writeValueAsBytes(a);
      ex.sendResponseHeaders(a == null ? 400 : 200, out.length);
      ex.getResponseBody().write(out);
      ex.close();
    });
    server.start();
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private static int words(String s) {
    return s.isBlank() ? 0 : s.trim().split("\\s+").length;
  }

  private static Object llamaCpp(JsonNode b) {
    return Map.of("tokens", new int[2 * words(b.path("content").asText(""))]);
  }

  private static Object vllm(JsonNode b) {
    if (b.has("messages")) {
      int n = 0;
      for (JsonNode m : b.get("messages")) n += 5 + 2 * words(m.path("content").asText());
      return Map.of("count", n, "max_model_len", 4096);
    }
    if (!b.has("prompt")) return null;
    return Map.of("count", 2 * words(b.get("prompt").asText()), "max_model_len", 4096);
  }

  private static WorkloadContext real(String url, Protocol p) {
    return new WorkloadContext(url, p, "m1", "one two three", 50, io.llmload.client.ApiKey.of("Authorization", "sk-test"), false);
  }

  @Test
  void llamaCppCountsEachDistinctPromptOnce() throws Exception {
    String url = serve(TokenizeTest::llamaCpp);
    Path f = tmp.resolve("dup.jsonl");
    Files.writeString(f, "{\"prompt\": \"a b c\"}\n{\"prompt\": \"a b c\"}\n{\"prompt\": \"d e\"}\n");
    Workload w = Workloads.fromParams(params("workload", "file", "prompts", f.toString()), real(url, Protocol.LLAMACPP));
    List<Map<String, Object>> recs = take(w, 3);
    assertEquals(List.of(6, 6, 4), field(recs, "inputTokens"));
    assertEquals(List.of("server", "server", "server"), field(recs, "inputTokensSource"));
    assertEquals(2, bodies.size(), "one call per distinct prompt");
    assertEquals("a b c", bodies.get(0).get("content").asText());
    assertEquals("Bearer sk-test", auth.get(0));
    @SuppressWarnings("unchecked")
    Map<String, Object> d = (Map<String, Object>) w.describe().get("input_tokens");
    assertEquals("llama.cpp", d.get("server_shape"));
    assertEquals(3.5, (Double) d.get("server_to_estimate_ratio_mean"), 1e-9); // 6/2 and 4/1
    assertEquals(2, d.get("calls"));
    assertFalse(w.describe().toString().contains("sk-test"), "no secret in run.json");
  }

  @Test
  void vllmCountsChatWithItsTemplateAndSendsTheModel() throws Exception {
    String url = serve(TokenizeTest::vllm);
    List<Map<String, Object>> recs = take(Workloads.fromParams(params(), real(url + "/v1", Protocol.OPENAI_CHAT)), 2);
    // one user message "one two three": 5 + 6
    assertEquals(11, recs.get(0).get("inputTokens"));
    assertEquals("server", recs.get(0).get("inputTokensSource"));
    assertEquals("m1", bodies.get(0).get("model").asText());
    assertEquals("one two three", bodies.get(0).get("messages").get(0).get("content").asText());
    List<Map<String, Object>> comp = take(Workloads.fromParams(params(), real(url, Protocol.OPENAI_COMPLETIONS)), 1);
    assertEquals(6, comp.get(0).get("inputTokens"));
    assertEquals("one two three", bodies.get(1).get("prompt").asText());
  }

  @Test
  void promptProtocolsCountTheJoinedHistory() throws Exception {
    String url = serve(TokenizeTest::vllm);
    List<Map<String, Object>> recs = take(Workloads.fromParams(
        params("workload", "multiturn", "turns", "2", "conversations", "1", "input", "fixed:3", "output", "fixed:2"),
        real(url, Protocol.OPENAI_COMPLETIONS)), 2);
    // turn 2 is sent as one text: user, answer and user joined by newlines -> 3 + 2 + 3 words
    JsonNode second = bodies.get(1);
    assertFalse(second.has("messages"));
    assertEquals(2, second.get("prompt").asText().split("\n").length - 1);
    assertEquals(2 * 8, recs.get(1).get("inputTokens"));
  }

  @Test
  void openAiOnLlamaServerFallsBackToTheLlamaCppShape() throws Exception {
    String url = serve(b -> b.has("content") ? llamaCpp(b) : Map.of("tokens", List.of()));
    List<Map<String, Object>> recs = take(Workloads.fromParams(params(), real(url, Protocol.OPENAI_COMPLETIONS)), 1);
    assertEquals(6, recs.get(0).get("inputTokens"));
    assertEquals("server", recs.get(0).get("inputTokensSource"));
  }

  @Test
  void tgiAnswersWithAList() throws Exception {
    String url = serve(b -> new Object[2 * words(b.get("inputs").asText())]);
    List<Map<String, Object>> recs = take(Workloads.fromParams(params("workload", "synthetic", "input", "fixed:10", "tokenize.max", "1"), real(url, Protocol.TGI)), 1);
    assertEquals(20, recs.get(0).get("inputTokens"));
  }

  @Test
  void syntheticMeasuresTheFirstRecordsUpToTheBudget() throws Exception {
    String url = serve(TokenizeTest::llamaCpp);
    Workload w = Workloads.fromParams(params("workload", "synthetic", "input", "uniform:5,50", "tokenize.max", "3"), real(url, Protocol.LLAMACPP));
    assertEquals(3, bodies.size(), "measured before the load, within the budget");
    List<Map<String, Object>> recs = take(w, 5);
    assertEquals(List.of("server", "server", "server", "estimated", "estimated"), field(recs, "inputTokensSource"));
    for (int i = 0; i < 3; i++) {
      assertEquals(2 * words((String) recs.get(i).get("prompt")), recs.get(i).get("inputTokens"));
      assertEquals(bodies.get(i).get("content").asText(), recs.get(i).get("prompt"), "the feeder regenerates the measured prompts");
    }
    assertEquals(words((String) recs.get(4).get("prompt")), recs.get(4).get("inputTokens"));
    assertEquals(3, bodies.size(), "no calls while feeding");
  }

  @Test
  void autoFallsBackToTheEstimateAndServerFails() throws Exception {
    String url = serve(b -> null);
    Workload w = Workloads.fromParams(params(), real(url, Protocol.LLAMACPP));
    Map<String, Object> r = take(w, 1).get(0);
    assertEquals("estimated", r.get("inputTokensSource"));
    assertEquals(4, r.get("inputTokens")); // ceil(13 / 4)
    @SuppressWarnings("unchecked")
    Map<String, Object> d = (Map<String, Object>) w.describe().get("input_tokens");
    assertEquals(url + "/tokenize: HTTP 400", d.get("estimated_because"));

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Workloads.fromParams(params("tokenize", "server"), real(url, Protocol.LLAMACPP)));
    assertEquals("tokenize: the server could not count a prompt (" + url + "/tokenize: HTTP 400)", e.getMessage());
  }

  @Test
  void serverModeNeedsATokenizer() {
    assertEquals("tokenize: server counting is not possible (the embedded emulator has no /tokenize); use auto or estimate",
        error("tokenize", "server"));
    assertEquals("tokenize: server counting is not possible (Ollama has no /tokenize); use auto or estimate",
        assertThrows(IllegalArgumentException.class,
            () -> Workloads.fromParams(params("tokenize", "server"), real("http://127.0.0.1:9", Protocol.OLLAMA_CHAT))).getMessage());
  }

  @Test
  void estimateModeMakesNoCalls() throws Exception {
    String url = serve(TokenizeTest::llamaCpp);
    Map<String, Object> r = take(Workloads.fromParams(params("tokenize", "estimate"), real(url, Protocol.LLAMACPP)), 1).get(0);
    assertEquals("estimated", r.get("inputTokensSource"));
    assertEquals(0, bodies.size());
  }
}
