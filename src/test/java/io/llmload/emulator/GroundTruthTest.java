package io.llmload.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ground truth agrees with what a client sees, and the scheduler queues and refuses as configured. */
class GroundTruthTest {
  private static final ObjectMapper M = new ObjectMapper();
  private static final long MS = 1_000_000L;

  private static String chat(int maxTokens) {
    return "{\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}],\"max_tokens\":" + maxTokens + ",\"stream\":true}";
  }

  /** Arrival of the first chunk that carries content (the role chunk does not). */
  private static long firstTokenArrival(RawHttp.Response r) {
    for (RawHttp.Chunk c : r.chunks()) {
      if (c.text().contains("\"delta\":{\"content\":\"")) {
        return c.nanos();
      }
    }
    throw new AssertionError("no token in " + r.body());
  }

  @Test
  void prefillOverrideDelaysFirstTokenButNotTheRoleChunk(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("truth.jsonl");
    try (Emulator e = Emulator.start(EmulatorConfig.defaults().groundTruthFile(file)
        .with(Param.STEP_BASE_MS, 5).with(Param.STEP_PER_SEQ_MS, 0))) {
      RawHttp.Response r = RawHttp.post(e.port(), "/v1/chat/completions", chat(3),
          "x-request-id", "gt-300", "x-emulator-prefill-ms", "300");
      assertEquals(200, r.status());
      GroundTruth g = awaitEnded(e, "gt-300");
      assertNotNull(g);
      assertEquals("openai-chat", g.protocol());
      assertEquals(300 * MS, g.prefillNanos());
      assertTrue(g.queueNanos() >= 0 && g.queueNanos() < 20 * MS, "queue " + g.queueNanos());
      long firstToken = g.firstTokenWrittenNanos() - g.receivedNanos();
      long firstChunk = g.firstChunkWrittenNanos() - g.receivedNanos();
      // prefill 300 ms plus one 5 ms step
      assertTrue(firstToken >= 305 * MS, "first token " + firstToken);
      assertTrue(firstToken < 400 * MS, "first token " + firstToken);
      assertTrue(firstChunk < 50 * MS, "role chunk " + firstChunk);
      // two more 5 ms steps after the first token; the timeline never runs early (a late wake-up
      // shortens the next gap instead, so gaps themselves are not checked)
      assertTrue(g.lastTokenWrittenNanos() - g.receivedNanos() >= 315 * MS, "last token");
      assertTrue(g.lastTokenWrittenNanos() > g.firstTokenWrittenNanos());
      assertTrue(g.endNanos() >= g.lastTokenWrittenNanos());
      assertEquals(3, g.outputTokens());
      assertEquals("length", g.finishReason());

      // the client's view on the same clock: role chunk at once, first token after 300 ms
      long clientRole = r.chunks().get(0).nanos() - r.sentNanos();
      long clientToken = firstTokenArrival(r) - r.sentNanos();
      assertTrue(clientRole < 100 * MS, "client saw role chunk after " + clientRole);
      assertTrue(clientToken >= 300 * MS, "client TTFT " + clientToken);
      // a write completes before (or within a hair of) the client reading it
      assertTrue(firstTokenArrival(r) >= g.firstTokenWrittenNanos() - 5 * MS);
    }
    List<String> lines = Files.readAllLines(file);
    assertEquals(1, lines.size());
    JsonNode line = M.readTree(lines.get(0));
    assertEquals("gt-300", line.get("id").asText());
    assertTrue(line.get("synthetic").asBoolean());
    assertEquals(300 * MS, line.get("prefill_nanos").asLong());
    long epochUs = line.get("received_epoch_us").asLong();
    assertTrue(Math.abs(epochUs / 1000 - System.currentTimeMillis()) < 60_000, "epoch µs " + epochUs);
    assertTrue(line.get("first_token_written_nanos").asLong() > line.get("received_nanos").asLong());
  }

  @Test
  void firstTokenComesAfterReceiptPlusModelPrefill() throws Exception {
    // prefill 50 ms + 0.5 ms/token; "hello" is 2 tokens: 51 ms, then a 10 ms step
    try (Emulator e = Emulator.start(EmulatorConfig.defaults()
        .with(Param.STEP_BASE_MS, 10).with(Param.STEP_PER_SEQ_MS, 0)
        .with(Param.PREFILL_BASE_MS, 50).with(Param.PREFILL_PER_TOKEN_MS, 0.5))) {
      RawHttp.post(e.port(), "/api/chat", "{\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}],\"options\":{\"num_predict\":2}}",
          "x-request-id", "ollama-1");
      GroundTruth g = awaitEnded(e, "ollama-1");
      assertEquals(51 * MS, g.prefillNanos());
      assertTrue(g.firstTokenWrittenNanos() - g.admittedNanos() >= 61 * MS);
      assertEquals(2, g.promptTokens());
      // no role chunk in Ollama: the first chunk is the first token
      assertEquals(g.firstChunkWrittenNanos(), g.firstTokenWrittenNanos());
    }
  }

  @Test
  void requestIdIsGeneratedWhenAbsentAndEchoed() throws Exception {
    try (Emulator e = Emulator.start(EmulatorConfig.defaults().profile("fixed-rate").with(Param.TOKENS_PER_SECOND, 1000))) {
      RawHttp.Response r = RawHttp.post(e.port(), "/v1/completions", "{\"prompt\":\"x\",\"max_tokens\":2,\"stream\":true}");
      String id = r.header("x-request-id");
      assertNotNull(id);
      assertNotNull(e.groundTruth(id));
      assertEquals(1, e.groundTruths().size());
      assertNull(e.groundTruth("unknown"));
    }
  }

  @Test
  void fullQueueIsRefusedWith429AndRetryAfter() throws Exception {
    // one slot, one waiting place: the third concurrent request is refused
    EmulatorConfig cfg = EmulatorConfig.defaults().with(Param.MAX_BATCH, 1).with(Param.QUEUE_LIMIT, 1)
        .with(Param.STEP_BASE_MS, 20).with(Param.STEP_PER_SEQ_MS, 0).with(Param.PREFILL_BASE_MS, 0).with(Param.PREFILL_PER_TOKEN_MS, 0);
    try (Emulator e = Emulator.start(cfg)) {
      List<RawHttp.Response> rs = concurrent(e.port(), 3, 20, 30);
      long refused = rs.stream().filter(r -> r.status() == 429).count();
      assertEquals(1, refused);
      RawHttp.Response r429 = rs.stream().filter(r -> r.status() == 429).findFirst().orElseThrow();
      assertEquals("1", r429.header("retry-after"));
      assertTrue(r429.header("content-type").startsWith("application/json"));
      assertEquals(429, M.readTree(r429.body()).get("error").get("code").asInt());
      assertEquals(2, rs.stream().filter(r -> r.status() == 200 && r.complete()).count());
    }
    try (Emulator e = Emulator.start(cfg.with(Param.QUEUE_FULL_STATUS, 503))) {
      List<RawHttp.Response> rs = concurrent(e.port(), 3, 20, 30);
      assertEquals(1, rs.stream().filter(r -> r.status() == 503).count());
    }
  }

  @Test
  void withBatchOfTwoTwoOfFourRequestsWait() throws Exception {
    EmulatorConfig cfg = EmulatorConfig.defaults().with(Param.MAX_BATCH, 2)
        .with(Param.STEP_BASE_MS, 10).with(Param.STEP_PER_SEQ_MS, 0).with(Param.PREFILL_BASE_MS, 0).with(Param.PREFILL_PER_TOKEN_MS, 0);
    try (Emulator e = Emulator.start(cfg)) {
      List<RawHttp.Response> rs = concurrent(e.port(), 4, 10, 0);
      assertTrue(rs.stream().allMatch(r -> r.status() == 200 && r.complete()));
      List<Long> queues = new ArrayList<>();
      for (GroundTruth g : e.groundTruths()) {
        queues.add(g.queueNanos());
      }
      queues.sort(null);
      assertEquals(4, queues.size());
      // the first pair may wait for the step boundary after their arrival; the second pair
      // waits for the first pair's 10 tokens (100 ms from the first pair's admission, less the
      // few milliseconds by which the clients' requests straggled)
      assertTrue(queues.get(1) < 30 * MS, "admitted at once: " + queues);
      assertTrue(queues.get(2) > 60 * MS, "waited for a slot: " + queues);
    }
  }

  /**
   * The client can read the last bytes before the server's write listeners ran: wait for the
   * server to record the end.
   */
  static GroundTruth awaitEnded(Emulator e, String id) throws InterruptedException {
    long deadline = System.nanoTime() + 2_000 * MS;
    GroundTruth g = e.groundTruth(id);
    while ((g == null || !g.ended()) && System.nanoTime() < deadline) {
      Thread.sleep(2);
      g = e.groundTruth(id);
    }
    assertNotNull(g, id);
    assertTrue(g.ended(), "not ended: " + g);
    return g;
  }

  /** Sends n streaming chats at once, each with {@code maxTokens}, staggered by {@code gapMs}. */
  static List<RawHttp.Response> concurrent(int port, int n, int maxTokens, int gapMs) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      List<Future<RawHttp.Response>> fs = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        fs.add(pool.submit(() -> RawHttp.post(port, "/v1/chat/completions", chat(maxTokens))));
        if (gapMs > 0) {
          Thread.sleep(gapMs);
        }
      }
      List<RawHttp.Response> out = new ArrayList<>();
      for (Future<RawHttp.Response> f : fs) {
        out.add(f.get());
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }
}
