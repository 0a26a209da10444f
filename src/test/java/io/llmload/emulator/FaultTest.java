package io.llmload.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every fault switch produces the wire behaviour it advertises. */
class FaultTest {
  private static final ObjectMapper M = new ObjectMapper();
  private static Emulator emu;
  private static int port;

  @BeforeAll
  static void start() {
    emu = Emulator.start(EmulatorConfig.defaults()
        .with(Param.STEP_BASE_MS, 2).with(Param.STEP_PER_SEQ_MS, 0)
        .with(Param.PREFILL_BASE_MS, 2).with(Param.PREFILL_PER_TOKEN_MS, 0));
    port = emu.port();
  }

  @AfterAll
  static void stop() {
    emu.close();
  }

  private static final String CHAT = "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":6,\"stream\":true}";

  private static RawHttp.Response chat(String id, String... headers) throws IOException {
    String[] h = new String[headers.length + 2];
    h[0] = "x-request-id";
    h[1] = id;
    System.arraycopy(headers, 0, h, 2, headers.length);
    return RawHttp.post(port, "/v1/chat/completions", CHAT, h);
  }

  private static int contentEvents(RawHttp.Response r) {
    int n = 0;
    for (String d : r.sseData()) {
      if (d.contains("\"delta\":{\"content\":\" ")) {
        n++;
      }
    }
    return n;
  }

  @Test
  void resetBeforeHeaders() throws Exception {
    RawHttp.Response r = chat("f-rbh", "x-emulator-fault", "reset-before-headers");
    assertEquals(-1, r.status());
    assertNotNull(r.error());
    GroundTruth g = GroundTruthTest.awaitEnded(emu, "f-rbh");
    assertNull(g.status());
    assertEquals("reset-before-headers", g.fault());
  }

  @Test
  void resetMidStreamAfterThreeTokens() throws Exception {
    RawHttp.Response r = chat("f-rms", "x-emulator-fault", "reset-mid-stream", "x-emulator-fault-after", "3");
    assertEquals(200, r.status());
    assertFalse(r.complete());
    assertNotNull(r.error(), "a reset is an error, not a clean end");
    assertTrue(r.error().toLowerCase(Locale.ROOT).contains("reset"), r.error());
    assertEquals(3, contentEvents(r));
    assertEquals(3, GroundTruthTest.awaitEnded(emu, "f-rms").outputTokens());
  }

  @Test
  void stallSendsHeadersThenNothing() throws Exception {
    try (RawHttp h = new RawHttp(port)) {
      h.timeoutMillis(400);
      RawHttp.Response r = h.send("POST", "/v1/chat/completions", CHAT, "x-request-id", "f-stall", "x-emulator-fault", "stall");
      assertEquals(200, r.status());
      assertEquals("timeout", r.error());
      assertTrue(r.chunks().isEmpty());
    }
    GroundTruth g = GroundTruthTest.awaitEnded(emu, "f-stall");
    assertNull(g.firstChunkWrittenNanos());
    assertEquals(0, g.outputTokens());
  }

  @Test
  void malformedChunkIsOneUnparseableEventInAnOtherwiseNormalStream() throws Exception {
    RawHttp.Response r = chat("f-mal", "x-emulator-fault", "malformed-chunk", "x-emulator-fault-after", "2");
    assertTrue(r.complete());
    List<String> data = r.sseData();
    assertEquals("[DONE]", data.get(data.size() - 1));
    int bad = 0;
    for (String d : data.subList(0, data.size() - 1)) {
      try {
        M.readTree(d);
      } catch (IOException e) {
        bad++;
      }
    }
    assertEquals(1, bad);
    assertEquals(6, contentEvents(r));
  }

  @Test
  void httpErrorsHaveJsonBodiesAndRetryAfter() throws Exception {
    RawHttp.Response r429 = chat("f-429", "x-emulator-fault", "http-429");
    assertEquals(429, r429.status());
    assertEquals("1", r429.header("retry-after"));
    assertEquals(429, M.readTree(r429.body()).get("error").get("code").asInt());
    RawHttp.Response r500 = chat("f-500", "x-emulator-fault", "http-500");
    assertEquals(500, r500.status());
    assertNull(r500.header("retry-after"));
    assertTrue(M.readTree(r500.body()).get("error").has("message"));
    RawHttp.Response r503 = chat("f-503", "x-emulator-fault", "http-503");
    assertEquals(503, r503.status());
    assertEquals("1", r503.header("retry-after"));
    // each protocol's own error body: TGI is flat with error_type
    RawHttp.Response tgi = RawHttp.post(port, "/generate_stream", "{\"inputs\":\"x\"}", "x-emulator-fault", "http-429");
    JsonNode t = M.readTree(tgi.body());
    assertEquals("overloaded", t.get("error_type").asText());
    assertEquals(429, GroundTruthTest.awaitEnded(emu, "f-429").status());
  }

  @Test
  void notAStreamAnswersAStreamingRequestWithPlainJson() throws Exception {
    RawHttp.Response r = chat("f-nas", "x-emulator-fault", "not-a-stream");
    assertEquals(200, r.status());
    assertTrue(r.header("content-type").startsWith("application/json"));
    assertNull(r.header("transfer-encoding"));
    JsonNode o = M.readTree(r.body());
    assertEquals("chat.completion", o.get("object").asText());
    assertEquals(6, o.get("usage").get("completion_tokens").asInt());
  }

  @Test
  void hugeChunkCarriesFourMebibytesInOneEvent() throws Exception {
    RawHttp.Response r = chat("f-huge", "x-emulator-fault", "huge-chunk", "x-emulator-fault-after", "1");
    assertTrue(r.complete());
    String biggest = r.sseData().stream().max((a, b) -> Integer.compare(a.length(), b.length())).orElseThrow();
    JsonNode e = M.readTree(biggest);
    assertEquals(4 << 20, e.get("choices").get(0).get("delta").get("content").asText().length());
    assertEquals(6, contentEvents(r));
  }

  @Test
  void trickleSendsOneByteAtATime() throws Exception {
    RawHttp.Response r = RawHttp.post(port, "/api/generate", "{\"prompt\":\"x\",\"options\":{\"num_predict\":2}}",
        "x-emulator-fault", "trickle", "x-emulator-trickle-us", "300");
    assertTrue(r.complete());
    assertTrue(r.chunks().size() > 200, "chunks " + r.chunks().size());
    assertTrue(r.chunks().stream().allMatch(c -> c.data().length == 1));
    List<String> lines = r.lines();
    assertEquals(3, lines.size());
    assertTrue(M.readTree(lines.get(2)).get("done").asBoolean());
    long spanMs = (r.chunks().get(r.chunks().size() - 1).nanos() - r.chunks().get(0).nanos()) / 1_000_000;
    assertTrue(spanMs >= r.chunks().size() * 300L / 1000 / 2, "took " + spanMs + " ms for " + r.chunks().size() + " bytes");
  }

  @Test
  void closeAfterClosesTheKeepAliveConnection() throws Exception {
    try (RawHttp h = new RawHttp(port)) {
      h.timeoutMillis(2000);
      RawHttp.Response first = h.send("POST", "/v1/chat/completions", CHAT);
      assertTrue(first.complete());
      // without the fault the connection is kept alive and serves a second request
      RawHttp.Response second = h.send("POST", "/v1/chat/completions", CHAT, "x-emulator-fault", "close-after");
      assertTrue(second.complete());
      assertEquals("close", second.header("connection"));
      assertTrue(h.serverClosed());
    }
  }

  @Test
  void midStreamErrorUsesEachProtocolsForm() throws Exception {
    RawHttp.Response chat = chat("f-err", "x-emulator-error-after", "2");
    List<String> data = chat.sseData();
    assertEquals("[DONE]", data.get(data.size() - 1));
    JsonNode err = M.readTree(data.get(data.size() - 2));
    assertTrue(err.get("error").has("message"));
    assertEquals(2, contentEvents(chat));
    assertFalse(chat.body().contains("finish_reason\":\"length"));
    assertNull(GroundTruthTest.awaitEnded(emu, "f-err").finishReason());

    List<String> ollama = RawHttp.post(port, "/api/generate", "{\"prompt\":\"x\",\"options\":{\"num_predict\":6}}",
        "x-emulator-error-after", "2").lines();
    assertEquals(3, ollama.size());
    assertTrue(M.readTree(ollama.get(2)).get("error").isTextual());

    List<String> tgi = RawHttp.post(port, "/generate_stream", "{\"inputs\":\"x\",\"parameters\":{\"max_new_tokens\":6}}",
        "x-emulator-error-after", "2").sseData();
    assertEquals(3, tgi.size());
    JsonNode te = M.readTree(tgi.get(2));
    assertTrue(te.get("error").isTextual());
    assertTrue(te.has("error_type"));

    List<String> llama = RawHttp.post(port, "/completion", "{\"prompt\":\"x\",\"n_predict\":6,\"stream\":true}",
        "x-emulator-error-after", "2").sseData();
    assertEquals(3, llama.size());
    assertEquals(500, M.readTree(llama.get(2)).get("error").get("code").asInt());
  }

  @Test
  void truncatedStreamEndsWithoutFinalEventOrTerminator() throws Exception {
    RawHttp.Response r = chat("f-trunc", "x-emulator-truncate-after", "2");
    assertEquals(200, r.status());
    assertFalse(r.complete());
    assertNull(r.error(), "a clean close, not a reset: " + r.error());
    assertEquals(2, contentEvents(r));
    assertFalse(r.body().contains("[DONE]"));
    assertFalse(r.body().contains("finish_reason\":\"length"));
  }
}
