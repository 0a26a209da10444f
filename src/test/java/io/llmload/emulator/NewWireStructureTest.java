package io.llmload.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The emulator's Responses and Messages streams have the event sequence of the real recordings
 * (runs of the same event collapsed to one), read with Jackson from the raw bytes.
 */
class NewWireStructureTest {
  private static final ObjectMapper M = new ObjectMapper();
  private static final Path FIXTURES = Path.of("src", "test", "resources", "fixtures", "streams");
  private static Emulator emu;

  @BeforeAll
  static void start() {
    emu = Emulator.start(EmulatorConfig.defaults()
        .with(Param.STEP_BASE_MS, 1).with(Param.STEP_PER_SEQ_MS, 0)
        .with(Param.PREFILL_BASE_MS, 2).with(Param.PREFILL_PER_TOKEN_MS, 0));
  }

  @AfterAll
  static void stop() {
    emu.close();
  }

  /** Event names in order, runs collapsed. */
  private static List<String> shape(String body) {
    List<String> out = new ArrayList<>();
    for (String line : body.split("\n")) {
      if (line.startsWith("event: ") && (out.isEmpty() || !out.get(out.size() - 1).equals(line.substring(7)))) {
        out.add(line.substring(7));
      }
    }
    return out;
  }

  private static String fixture(String name) throws Exception {
    return Files.readString(FIXTURES.resolve(name), StandardCharsets.UTF_8);
  }

  private static RawHttp.Response post(String path, String body, String... headers) throws Exception {
    String[] all = java.util.Arrays.copyOf(headers, headers.length + 2);
    all[headers.length] = "anthropic-version";
    all[headers.length + 1] = "2023-06-01";
    RawHttp.Response r = RawHttp.post(emu.port(), path, body, all);
    assertEquals(200, r.status(), r.body());
    assertTrue(r.complete());
    assertTrue(r.header("content-type").startsWith("text/event-stream"));
    return r;
  }

  private static final String RESPONSES = "{\"model\":\"m\",\"input\":\"Say hello\",\"max_output_tokens\":20,\"stream\":true}";

  @Test
  void responsesWithReasoningFollowVllm() throws Exception {
    RawHttp.Response r = post("/v1/responses", RESPONSES, "x-emulator-reasoning", "3", "x-emulator-output-tokens", "7");
    assertEquals(shape(fixture("openai-responses/vllm-agentic-api-gpt-oss-20b-reasoning-text.sse")), shape(r.body()));
    List<String> data = r.sseData();
    for (int i = 0; i < data.size(); i++) {
      JsonNode e = M.readTree(data.get(i));
      assertEquals(i, e.get("sequence_number").asInt(), "sequence numbers count from 0");
      Iterator<String> names = e.fieldNames();
      String lastKey = null;
      while (names.hasNext()) lastKey = names.next();
      assertEquals("type", lastKey, "vLLM writes type last");
    }
    JsonNode done = M.readTree(data.get(data.size() - 1)).get("response");
    assertEquals("completed", done.get("status").asText());
    assertEquals(7, done.at("/usage/output_tokens").asInt());
    assertEquals(3, done.at("/usage/output_tokens_details/reasoning_tokens").asInt());
  }

  @Test
  void responsesWithoutReasoningFollowOpenAi() throws Exception {
    RawHttp.Response r = post("/v1/responses", RESPONSES, "x-emulator-output-tokens", "4");
    assertEquals(shape(fixture("openai-responses/llm-gpt55-minimal-text.sse")), shape(r.body()));
  }

  @Test
  void responsesCutByTheBoundAreIncomplete() throws Exception {
    RawHttp.Response r = post("/v1/responses", RESPONSES.replace("20", "3"));
    List<String> s = shape(r.body());
    assertEquals("response.incomplete", s.get(s.size() - 1));
    List<String> data = r.sseData();
    JsonNode last = M.readTree(data.get(data.size() - 1)).get("response");
    assertEquals("max_output_tokens", last.at("/incomplete_details/reason").asText());
  }

  @Test
  void messagesWithoutAnthropicVersionAreRefused() throws Exception {
    RawHttp.Response r = RawHttp.post(emu.port(), "/v1/messages", MESSAGES);
    assertEquals(400, r.status());
    assertTrue(r.body().contains("anthropic-version"), r.body());
  }

  private static final String MESSAGES = "{\"model\":\"m\",\"max_tokens\":20,\"stream\":true,\"system\":\"Be brief.\","
      + "\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}";

  @Test
  void messagesWithThinkingFollowAnthropic() throws Exception {
    RawHttp.Response r = post("/v1/messages", MESSAGES, "x-emulator-reasoning", "2", "x-emulator-output-tokens", "6");
    assertEquals(shape(fixture("anthropic-messages/pydantic-ai-claude-sonnet4-thinking.sse")), shape(r.body()));
    List<String> data = r.sseData();
    JsonNode delta = M.readTree(data.get(data.size() - 2));
    assertEquals("end_turn", delta.at("/delta/stop_reason").asText());
    assertEquals(6, delta.at("/usage/output_tokens").asInt());
    // "Be brief." + "Say hello": 18 characters, 5 tokens by the emulator's rule
    assertEquals(5, M.readTree(data.get(0)).at("/message/usage/input_tokens").asInt());
  }

  @Test
  void messagesWithoutThinkingFollowAnthropic() throws Exception {
    RawHttp.Response r = post("/v1/messages", MESSAGES, "x-emulator-output-tokens", "3");
    assertEquals(shape(fixture("anthropic-messages/llm-anthropic-claude37-tool-use-input-json.sse")), shape(r.body()));
  }

  @Test
  void messagesWithoutMaxTokensAreRefusedAsAnthropicDoes() throws Exception {
    RawHttp.Response r = RawHttp.post(emu.port(), "/v1/messages",
        "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
        "anthropic-version", "2023-06-01");
    assertEquals(400, r.status());
    assertTrue(r.body().contains("\"type\":\"invalid_request_error\""), r.body());
    assertTrue(r.body().contains("max_tokens"), r.body());
  }
}
