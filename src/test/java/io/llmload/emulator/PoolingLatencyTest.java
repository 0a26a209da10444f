package io.llmload.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The emulator's embeddings and rerank latency model (50 ms per batch, 1 ms per input token):
 * latency grows with the batch and the inputs' length, and concurrent requests share batches.
 */
class PoolingLatencyTest {
  private static final ObjectMapper M = new ObjectMapper();
  private static Emulator emu;
  private static HttpClient http;

  @BeforeAll
  static void start() {
    emu = Emulator.start(EmulatorConfig.defaults().with(Param.PREFILL_BASE_MS, 50).with(Param.PREFILL_PER_TOKEN_MS, 1));
    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  @AfterAll
  static void stop() {
    emu.close();
  }

  private static HttpRequest embed(int inputs, int tokensEach) {
    StringBuilder body = new StringBuilder("{\"model\":\"e\",\"input\":[");
    for (int i = 0; i < inputs; i++) body.append(i == 0 ? "" : ",").append('"').append(("w" + i + "xx").repeat(tokensEach)).append('"');
    body.append("]}");
    return HttpRequest.newBuilder(URI.create(emu.baseUrl() + "/v1/embeddings"))
        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
  }

  private static double ms(HttpRequest r, int expectTokens) throws Exception {
    long t0 = System.nanoTime();
    HttpResponse<String> resp = http.send(r, HttpResponse.BodyHandlers.ofString());
    double ms = (System.nanoTime() - t0) / 1e6;
    assertEquals(200, resp.statusCode(), resp.body());
    assertEquals(expectTokens, M.readTree(resp.body()).at("/usage/prompt_tokens").asInt());
    return ms;
  }

  @Test
  void latencyGrowsWithBatchSizeAndInputLength() throws Exception {
    ms(embed(1, 10), 10); // warm the connection
    double short1 = ms(embed(1, 10), 10); // 50 + 10 ms
    double long1 = ms(embed(1, 100), 100); // 50 + 100 ms
    double batch4 = ms(embed(4, 100), 400); // 50 + 400 ms
    assertTrue(short1 >= 60 && short1 < long1, short1 + " " + long1);
    assertTrue(long1 >= 150 && long1 < batch4, long1 + " " + batch4);
    assertTrue(batch4 >= 450, "the model's own floor: " + batch4);
  }

  @Test
  void concurrentRequestsShareBatches() throws Exception {
    long s0 = System.nanoTime();
    for (int i = 0; i < 8; i++) assertEquals(200, http.send(embed(1, 10), HttpResponse.BodyHandlers.ofString()).statusCode());
    double sequential = (System.nanoTime() - s0) / 1e6;
    List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
    long t0 = System.nanoTime();
    for (int i = 0; i < 8; i++) all.add(http.sendAsync(embed(1, 10), HttpResponse.BodyHandlers.ofString()));
    for (var f : all) assertEquals(200, f.get().statusCode());
    double ms = (System.nanoTime() - t0) / 1e6;
    // one at a time: 8 × 60 = 480 ms; in shared batches about 60 + 120 (judged against the
    // sequential run of the same machine, so that a busy machine slows both)
    assertTrue(ms < 0.75 * sequential, "8 concurrent requests took " + ms + " ms, one after another " + sequential + " ms");
  }

  @Test
  void rerankAnswersEveryDocumentSortedByScore() throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(emu.baseUrl() + "/rerank"))
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"r\",\"query\":\"what is deep learning\",\"documents\":[\"a b\",\"c d\",\"e f\"]}"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    JsonNode results = M.readTree(r.body()).get("results");
    assertEquals(3, results.size());
    assertTrue(results.get(0).get("relevance_score").asDouble() >= results.get(2).get("relevance_score").asDouble());
    HttpResponse<String> none = http.send(HttpRequest.newBuilder(URI.create(emu.baseUrl() + "/rerank"))
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"r\",\"query\":\"q\",\"documents\":[]}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(400, none.statusCode());
  }
}
