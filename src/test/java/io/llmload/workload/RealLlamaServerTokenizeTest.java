package io.llmload.workload;

import static io.llmload.workload.WorkloadFixtures.*;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmload.realserver.LlamaServer;
import io.llmload.realserver.TinyGguf;
import io.llmload.wire.Protocol;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * /tokenize against a real llama.cpp llama-server (serving the random {@link TinyGguf} model, whose
 * vocabulary of made-up syllables splits our words into several pieces): the measured count must be
 * the count the server itself reports for the same prompt. Skipped without the binary on a developer
 * machine, failed under CI=true, as the realserver tests are.
 */
@Timeout(120)
class RealLlamaServerTokenizeTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static LlamaServer server;

  @BeforeAll
  static void start() throws Exception {
    server = LlamaServer.start(TinyGguf.defaults(), 1, 512);
  }

  @AfterAll
  static void stop() {
    if (server != null) server.close();
  }

  private static int promptTokensOfACompletion(String prompt) throws Exception {
    String body = JSON.writeValueAsString(Map.of("prompt", prompt, "n_predict", 1, "stream", false, "cache_prompt", false));
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(server.baseUrl().resolve("/completion")).timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    JsonNode n = JSON.readTree(r.body());
    // the whole prompt as the server tokenized it (prompt_n would leave out a reused cached prefix)
    return n.path("tokens_evaluated").asInt(-1);
  }

  @Test
  void countsMatchTheServersOwnPromptCount() throws Exception {
    String base = server.baseUrl().toString().replaceAll("/$", "");
    WorkloadContext ctx = new WorkloadContext(base, Protocol.LLAMACPP, null, "unused", 4, null, false);
    Workload w = Workloads.fromParams(params("workload", "synthetic", "input", "uniform:5,40", "seed", "8", "tokenize", "server"), ctx);
    List<Map<String, Object>> recs = take(w, 3);
    for (Map<String, Object> r : recs) {
      assertEquals("server", r.get("inputTokensSource"));
      String prompt = (String) r.get("prompt");
      int words = prompt.split(" ").length;
      int measured = (Integer) r.get("inputTokens");
      int served = promptTokensOfACompletion(prompt);
      System.out.printf(java.util.Locale.ROOT, "llama-server: %d words, /tokenize %d, completion tokens_evaluated %d%n", words, measured, served);
      assertNotEquals(words, measured, "the tiny vocabulary splits our words: a server count, not the estimate");
      assertEquals(served, measured, "/tokenize with add_special counts the BOS a completion evaluates");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> d = (Map<String, Object>) w.describe().get("input_tokens");
    assertEquals("llama.cpp", d.get("server_shape"));
  }

  @Test
  void openAiCompletionsOnLlamaServerFindsItsTokenizeShape() throws Exception {
    String base = server.baseUrl().toString().replaceAll("/$", "");
    WorkloadContext ctx = new WorkloadContext(base + "/v1", Protocol.OPENAI_COMPLETIONS, "tiny", "unused", 4, null, false);
    Workload w = Workloads.fromParams(params("workload", "synthetic", "input", "fixed:25", "tokenize", "server"), ctx);
    Map<String, Object> r = take(w, 1).get(0);
    assertEquals("server", r.get("inputTokensSource"));
    assertEquals(promptTokensOfACompletion((String) r.get("prompt")), r.get("inputTokens"));
    @SuppressWarnings("unchecked")
    Map<String, Object> d = (Map<String, Object>) w.describe().get("input_tokens");
    assertEquals("llama.cpp", d.get("server_shape"), "the vLLM shape was tried first and not understood");
  }
}
