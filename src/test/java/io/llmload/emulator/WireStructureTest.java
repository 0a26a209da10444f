package io.llmload.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each endpoint's bytes have the structure of the real server they imitate, parsed with Jackson. */
class WireStructureTest {
  private static final ObjectMapper M = new ObjectMapper();
  private static Emulator emu;
  private static int port;

  @BeforeAll
  static void start() {
    // a fast model so the streams take milliseconds: 2 ms steps, 5 ms prefill
    emu = Emulator.start(EmulatorConfig.defaults()
        .with(Param.STEP_BASE_MS, 2).with(Param.STEP_PER_SEQ_MS, 0.1)
        .with(Param.PREFILL_BASE_MS, 5).with(Param.PREFILL_PER_TOKEN_MS, 0));
    port = emu.port();
  }

  @AfterAll
  static void stop() {
    emu.close();
  }

  private static JsonNode json(String s) throws Exception {
    return M.readTree(s);
  }

  private static String chat(int maxTokens, String extra) {
    return "{\"model\":\"test-model\",\"messages\":[{\"role\":\"user\",\"content\":\"Write the Fibonacci numbers\"}],"
        + "\"max_tokens\":" + maxTokens + ",\"stream\":true" + extra + "}";
  }

  @Test
  void openAiChatStreamHasRoleChunkContentFinishUsageAndDone() throws Exception {
    RawHttp.Response r = RawHttp.post(port, "/v1/chat/completions",
        chat(5, ",\"n\":2,\"stream_options\":{\"include_usage\":true}"), "x-request-id", "req-chat-1");
    assertEquals(200, r.status());
    assertTrue(r.complete());
    assertTrue(r.header("content-type").startsWith("text/event-stream"));
    assertEquals("req-chat-1", r.header("x-request-id"));
    List<String> data = r.sseData();
    assertEquals("[DONE]", data.get(data.size() - 1));
    List<JsonNode> events = new ArrayList<>();
    for (String d : data.subList(0, data.size() - 1)) {
      events.add(json(d));
    }
    for (JsonNode e : events) {
      assertTrue(e.get("id").asText().startsWith("chatcmpl-"));
      assertEquals("chat.completion.chunk", e.get("object").asText());
      assertTrue(e.get("created").asLong() > 1_700_000_000L);
      assertEquals("test-model", e.get("model").asText());
      assertTrue(e.has("system_fingerprint"));
    }
    // one role-only chunk per choice first, with empty content: not a token
    for (int c = 0; c < 2; c++) {
      JsonNode ch = events.get(c).get("choices").get(0);
      assertEquals(c, ch.get("index").asInt());
      assertEquals("assistant", ch.get("delta").get("role").asText());
      assertEquals("", ch.get("delta").get("content").asText());
      assertTrue(ch.get("finish_reason").isNull());
    }
    int content = 0;
    int finishes = 0;
    for (JsonNode e : events.subList(2, events.size() - 1)) {
      JsonNode ch = e.get("choices").get(0);
      if (ch.get("finish_reason").isNull()) {
        assertFalse(ch.get("delta").get("content").asText().isEmpty());
        assertFalse(ch.get("delta").has("role"));
        content++;
      } else {
        assertEquals("length", ch.get("finish_reason").asText());
        assertEquals(0, ch.get("delta").size());
        finishes++;
      }
    }
    assertEquals(10, content);
    assertEquals(2, finishes);
    JsonNode usage = events.get(events.size() - 1);
    assertEquals(0, usage.get("choices").size());
    assertEquals(10, usage.get("usage").get("completion_tokens").asInt());
    // "Write the Fibonacci numbers" is 27 characters: ceil(27 / 4) = 7 tokens
    assertEquals(7, usage.get("usage").get("prompt_tokens").asInt());
    assertEquals(17, usage.get("usage").get("total_tokens").asInt());
    // the role chunks went out in their own write, before any token
    assertTrue(r.chunks().get(0).text().contains("\"role\":\"assistant\""));
    assertFalse(r.chunks().get(0).text().contains("\"content\":\" "));
  }

  @Test
  void openAiChatNonStreamIsOneJsonObject() throws Exception {
    RawHttp.Response r = RawHttp.post(port, "/v1/chat/completions",
        "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":4}");
    assertEquals(200, r.status());
    assertTrue(r.header("content-type").startsWith("application/json"));
    JsonNode o = json(r.body());
    assertEquals("chat.completion", o.get("object").asText());
    assertEquals("emulated-llm", o.get("model").asText());
    assertEquals(4, o.get("usage").get("completion_tokens").asInt());
    assertEquals("length", o.get("choices").get(0).get("finish_reason").asText());
    assertEquals(4, o.get("choices").get(0).get("message").get("content").asText().trim().split(" +").length);
  }

  @Test
  void reasoningDeltasComeFirstAndAreCounted() throws Exception {
    RawHttp.Response r = RawHttp.post(port, "/v1/chat/completions",
        chat(6, ",\"stream_options\":{\"include_usage\":true}"), "x-emulator-reasoning", "2");
    List<String> data = r.sseData();
    JsonNode t1 = json(data.get(1)).get("choices").get(0).get("delta");
    JsonNode t2 = json(data.get(2)).get("choices").get(0).get("delta");
    JsonNode t3 = json(data.get(3)).get("choices").get(0).get("delta");
    assertTrue(t1.has("reasoning_content") && !t1.has("content"));
    assertTrue(t2.has("reasoning_content"));
    assertTrue(t3.has("content") && !t3.has("reasoning_content"));
    JsonNode usage = json(data.get(data.size() - 2)).get("usage");
    assertEquals(6, usage.get("completion_tokens").asInt());
    assertEquals(2, usage.get("completion_tokens_details").get("reasoning_tokens").asInt());
  }

  @Test
  void outputTokensHeaderStopsEarlyAndContentHeaderIsEmittedExactly() throws Exception {
    RawHttp.Response r = RawHttp.post(port, "/v1/chat/completions", chat(50, ""), "x-emulator-output-tokens", "3");
    List<String> data = r.sseData();
    // role, 3 tokens, finish, [DONE]
    assertEquals(6, data.size());
    assertEquals("stop", json(data.get(4)).get("choices").get(0).get("finish_reason").asText());

    String payload = "<script>alert(\"x\")</script> and more";
    RawHttp.Response c = RawHttp.post(port, "/v1/chat/completions", chat(50, ""), "x-emulator-content", payload);
    StringBuilder text = new StringBuilder();
    int tokens = 0;
    for (String d : c.sseData()) {
      if (d.equals("[DONE]")) {
        continue;
      }
      JsonNode delta = json(d).get("choices").get(0).get("delta");
      if (delta.has("content") && !delta.has("role")) {
        text.append(delta.get("content").asText());
        tokens++;
      }
    }
    assertEquals(payload, text.toString());
    assertTrue(tokens > 3, "split into several tokens");
  }

  @Test
  void tokensPerChunkPutsSeveralEventsInOneWrite() throws Exception {
    RawHttp.Response r = RawHttp.post(port, "/v1/chat/completions", chat(6, ""), "x-emulator-tokens-per-chunk", "3");
    // chunk 0: role; chunks 1 and 2: three token events each (the last also carries finish and [DONE])
    assertEquals(3, count(r.chunks().get(1).text(), "\"content\":"));
    assertTrue(count(r.chunks().get(2).text(), "\"content\":") >= 3);
  }

  private static int count(String s, String sub) {
    int n = 0;
    for (int i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + 1)) {
      n++;
    }
    return n;
  }

  @Test
  void completionsStreamHasTextFinishUsageAndDone() throws Exception {
    RawHttp.Response r = RawHttp.post(port, "/v1/completions",
        "{\"prompt\":\"Once upon\",\"max_tokens\":4,\"stream\":true,\"stream_options\":{\"include_usage\":true}}");
    List<String> data = r.sseData();
    assertEquals("[DONE]", data.get(data.size() - 1));
    assertEquals(4 + 1 + 1 + 1, data.size());
    for (int i = 0; i < 4; i++) {
      JsonNode e = json(data.get(i));
      assertEquals("text_completion", e.get("object").asText());
      assertFalse(e.get("choices").get(0).get("text").asText().isEmpty());
    }
    assertEquals("length", json(data.get(4)).get("choices").get(0).get("finish_reason").asText());
    JsonNode usage = json(data.get(5));
    assertEquals(0, usage.get("choices").size());
    assertEquals(4, usage.get("usage").get("completion_tokens").asInt());
  }

  @Test
  void ollamaGenerateIsNdjsonWithDurationsConsistentWithTiming() throws Exception {
    RawHttp.Response r = RawHttp.post(port, "/api/generate",
        "{\"model\":\"llama3\",\"prompt\":\"Why is the sky blue?\",\"options\":{\"num_predict\":5}}", "x-emulator-prefill-ms", "40");
    assertEquals("application/x-ndjson", r.header("content-type"));
    List<String> lines = r.lines();
    assertEquals(6, lines.size());
    for (int i = 0; i < 5; i++) {
      JsonNode o = json(lines.get(i));
      assertFalse(o.get("done").asBoolean());
      assertFalse(o.get("response").asText().isEmpty());
      assertEquals("llama3", o.get("model").asText());
      assertTrue(o.get("created_at").asText().endsWith("Z"));
    }
    JsonNode fin = json(lines.get(5));
    assertTrue(fin.get("done").asBoolean());
    assertEquals("length", fin.get("done_reason").asText());
    assertEquals(5, fin.get("eval_count").asInt());
    assertEquals(5, fin.get("prompt_eval_count").asInt());
    long total = fin.get("total_duration").asLong();
    long load = fin.get("load_duration").asLong();
    long prompt = fin.get("prompt_eval_duration").asLong();
    long eval = fin.get("eval_duration").asLong();
    // the 40 ms prefill is part of the prompt evaluation step
    assertTrue(prompt >= 40_000_000L, "prompt_eval_duration " + prompt);
    assertTrue(prompt < 80_000_000L, "prompt_eval_duration " + prompt);
    // four decode steps of ~2.1 ms after the first token
    assertTrue(eval >= 4 * 2_000_000L && eval < 60_000_000L, "eval_duration " + eval);
    assertTrue(total >= load + prompt + eval, "total " + total);
    long e2e = r.chunks().get(r.chunks().size() - 1).nanos() - r.sentNanos();
    assertTrue(total <= e2e, "server total " + total + " within client e2e " + e2e);
  }

  @Test
  void ollamaChatHasMessagesThinkingAndFinalObject() throws Exception {
    RawHttp.Response r = RawHttp.post(port, "/api/chat",
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}],\"options\":{\"num_predict\":4}}",
        "x-emulator-reasoning", "1");
    List<String> lines = r.lines();
    assertEquals(5, lines.size());
    JsonNode first = json(lines.get(0)).get("message");
    assertEquals("", first.get("content").asText());
    assertFalse(first.get("thinking").asText().isEmpty());
    JsonNode second = json(lines.get(1)).get("message");
    assertFalse(second.get("content").asText().isEmpty());
    assertFalse(second.has("thinking"));
    JsonNode fin = json(lines.get(4));
    assertTrue(fin.get("done").asBoolean());
    assertEquals("", fin.get("message").get("content").asText());
    assertEquals(4, fin.get("eval_count").asInt());
    // Ollama writes done_reason before done on /api/chat
    assertTrue(lines.get(4).indexOf("done_reason") < lines.get(4).indexOf("\"done\":"));
  }

  @Test
  void tgiStreamPutsDetailsOnTheLastTokenEvent() throws Exception {
    RawHttp.Response r = RawHttp.post(port, "/generate_stream",
        "{\"inputs\":\"What is deep learning?\",\"parameters\":{\"max_new_tokens\":4}}");
    assertTrue(r.body().startsWith("data:{"), "TGI writes data: without a space");
    List<String> data = r.sseData();
    assertEquals(4, data.size());
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 4; i++) {
      JsonNode e = json(data.get(i));
      assertEquals(i + 1, e.get("index").asInt());
      JsonNode tok = e.get("token");
      assertTrue(tok.get("id").isInt());
      assertTrue(tok.get("logprob").isNumber());
      assertFalse(tok.get("special").asBoolean());
      text.append(tok.get("text").asText());
      if (i < 3) {
        assertTrue(e.get("generated_text").isNull());
        assertTrue(e.get("details").isNull());
      } else {
        assertEquals(text.toString(), e.get("generated_text").asText());
        assertEquals("length", e.get("details").get("finish_reason").asText());
        assertEquals(4, e.get("details").get("generated_tokens").asInt());
      }
    }
  }

  @Test
  void llamaCppStreamEndsWithTimings() throws Exception {
    RawHttp.Response r = RawHttp.post(port, "/completion", "{\"prompt\":\"def fib(n):\",\"n_predict\":4,\"stream\":true}",
        "x-emulator-prefill-ms", "20");
    List<String> data = r.sseData();
    assertEquals(5, data.size());
    for (int i = 0; i < 4; i++) {
      JsonNode e = json(data.get(i));
      assertFalse(e.get("stop").asBoolean());
      assertFalse(e.get("content").asText().isEmpty());
      assertEquals(i + 1, e.get("tokens_predicted").asInt());
    }
    JsonNode fin = json(data.get(4));
    assertTrue(fin.get("stop").asBoolean());
    assertEquals("limit", fin.get("stop_type").asText());
    assertEquals(4, fin.get("tokens_predicted").asInt());
    JsonNode t = fin.get("timings");
    assertEquals(4, t.get("predicted_n").asInt());
    assertEquals(3, t.get("prompt_n").asInt());
    assertTrue(t.get("prompt_ms").asDouble() >= 20.0, "prompt_ms " + t.get("prompt_ms"));
    assertTrue(t.get("predicted_ms").asDouble() > 5.0);
    assertEquals(t.get("predicted_n").asDouble() * 1000 / t.get("predicted_ms").asDouble(),
        t.get("predicted_per_second").asDouble(), 1e-6);
    for (String f : List.of("cache_n", "prompt_per_token_ms", "prompt_per_second", "predicted_per_token_ms")) {
      assertNotNull(t.get(f), f);
    }
  }

  @Test
  void infoEndpointsMarkTheServerSynthetic() throws Exception {
    JsonNode models = json(RawHttp.get(port, "/v1/models").body());
    assertEquals("llm-load-suite-emulator", models.get("data").get(0).get("owned_by").asText());
    assertTrue(models.get("data").get(0).get("synthetic").asBoolean());
    for (String p : List.of("/health", "/props", "/info", "/api/version")) {
      RawHttp.Response r = RawHttp.get(port, p);
      assertEquals(200, r.status(), p);
      assertTrue(json(r.body()).get("synthetic").asBoolean(), p);
    }
    assertEquals(404, RawHttp.get(port, "/nope").status());
  }

  @Test
  void metricsCountTokensInVllmNames() throws Exception {
    RawHttp.post(port, "/v1/completions", "{\"prompt\":\"abcdefgh\",\"max_tokens\":3}");
    String m = RawHttp.get(port, "/metrics").body();
    for (String name : List.of("vllm:num_requests_running", "vllm:num_requests_waiting", "vllm:kv_cache_usage_perc",
        "vllm:prompt_tokens_total", "vllm:generation_tokens_total", "vllm:request_success_total")) {
      assertTrue(m.contains("\n" + name + "{"), name);
    }
    long gen = metric(m, "vllm:generation_tokens_total{");
    assertTrue(gen >= 3, "generation tokens " + gen);
  }

  private static long metric(String text, String prefix) {
    for (String l : text.split("\n")) {
      if (l.startsWith(prefix)) {
        return Long.parseLong(l.substring(l.lastIndexOf(' ') + 1));
      }
    }
    throw new AssertionError("no " + prefix);
  }

  @Test
  void badInputGetsA400NamingTheField() throws Exception {
    RawHttp.Response r = RawHttp.post(port, "/v1/chat/completions", chat(0, ""));
    assertEquals(400, r.status());
    assertTrue(json(r.body()).get("error").get("message").asText().startsWith("max_tokens:"));
    RawHttp.Response h = RawHttp.post(port, "/v1/chat/completions", chat(3, ""), "x-emulator-fault", "explode");
    assertEquals(400, h.status());
    assertTrue(json(h.body()).get("error").get("message").asText().startsWith("x-emulator-fault:"));
    RawHttp.Response j = RawHttp.post(port, "/v1/chat/completions", "{\"messages\":");
    assertEquals(400, j.status());
    assertNull(emu.groundTruth("never-sent"));
  }
}
