package io.llmload.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The request each codec sends: path, body fields, extraBody merged last, identity paths. */
class RequestBodiesTest {

  private static final ObjectMapper M = new ObjectMapper();

  private static final RequestSpec SPEC =
      new RequestSpec("m1", "Say hi", null, 64, 16, true, Map.of("temperature", 0, "n", 2));

  private static JsonNode body(Protocol p, RequestSpec s) throws Exception {
    return M.readTree(StreamCodec.of(p).body(s));
  }

  @Test
  void openAiChat() throws Exception {
    JsonNode b = body(Protocol.OPENAI_CHAT, SPEC);
    assertEquals("/v1/chat/completions", StreamCodec.of(Protocol.OPENAI_CHAT).path());
    assertEquals("m1", b.get("model").asText());
    assertEquals("user", b.at("/messages/0/role").asText());
    assertEquals("Say hi", b.at("/messages/0/content").asText());
    assertEquals(64, b.get("max_tokens").asInt());
    assertTrue(b.get("stream").asBoolean());
    assertTrue(b.at("/stream_options/include_usage").asBoolean());
    assertTrue(b.get("ignore_eos").asBoolean());
    assertEquals(16, b.get("min_tokens").asInt());
    assertEquals(2, b.get("n").asInt());
    assertEquals(0, b.get("temperature").asInt());
    assertEquals(List.of("/v1/models"), StreamCodec.of(Protocol.OPENAI_CHAT).identityPaths());
  }

  @Test
  void openAiChatKeepsGivenMessagesAndLeavesOutUnsetFields() throws Exception {
    RequestSpec s =
        new RequestSpec(null, null,
            List.of(Map.of("role", "system", "content", "Be brief"), Map.of("role", "user", "content", "Hi")),
            null, null, false, Map.of());
    JsonNode b = body(Protocol.OPENAI_CHAT, s);
    assertEquals(2, b.get("messages").size());
    assertEquals("system", b.at("/messages/0/role").asText());
    assertFalse(b.has("model"));
    assertFalse(b.has("max_tokens"));
    assertFalse(b.has("ignore_eos"));
    assertFalse(b.has("min_tokens"));
  }

  @Test
  void extraBodyIsMergedLastAtEveryDepth() throws Exception {
    RequestSpec s =
        new RequestSpec("m1", "p", null, 64, null, false,
            Map.of("temperature", 0.5, "stream_options", Map.of("continuous_usage_stats", true)));
    JsonNode b = body(Protocol.OPENAI_CHAT, s);
    assertEquals(0.5, b.get("temperature").asDouble());
    assertTrue(b.at("/stream_options/continuous_usage_stats").asBoolean());
    assertTrue(b.at("/stream_options/include_usage").asBoolean(), "the suite's own field survives: " + b);
    assertEquals(64, b.get("max_tokens").asInt());
    String text = new String(StreamCodec.of(Protocol.OPENAI_CHAT).body(s), java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(text.indexOf("\"messages\"") < text.indexOf("\"temperature\""), text);
  }

  @Test
  void nestedUserFieldsKeepTheFieldsTheSuiteMeasuresWith() throws Exception {
    RequestSpec tgi = new RequestSpec(null, "p", null, 64, null, false, Map.of("parameters", Map.of("temperature", 0.5)));
    JsonNode t = body(Protocol.TGI, tgi);
    assertEquals(0.5, t.at("/parameters/temperature").asDouble());
    assertEquals(64, t.at("/parameters/max_new_tokens").asInt(), t.toString());
    assertTrue(t.at("/parameters/details").asBoolean(), t.toString());
    for (Protocol p : List.of(Protocol.OLLAMA_GENERATE, Protocol.OLLAMA_CHAT)) {
      RequestSpec o = new RequestSpec("m", "p", null, 64, null, false, Map.of("options", Map.of("temperature", 0)));
      JsonNode b = body(p, o);
      assertEquals(0, b.at("/options/temperature").asInt());
      assertEquals(64, b.at("/options/num_predict").asInt(), b.toString());
    }
  }

  @Test
  void aUserBodyThatChangesAReservedFieldIsRefusedInOneLine() {
    Map<Protocol, Map<String, Object>> cases = new java.util.LinkedHashMap<>();
    cases.put(Protocol.OPENAI_CHAT, Map.of("stream", false));
    cases.put(Protocol.OPENAI_COMPLETIONS, Map.of("stream_options", Map.of("include_usage", false)));
    cases.put(Protocol.TGI, Map.of("parameters", Map.of("details", false)));
    cases.put(Protocol.OLLAMA_CHAT, Map.of("options", Map.of("num_predict", 8)));
    cases.put(Protocol.LLAMACPP, Map.of("n_predict", 8));
    cases.put(Protocol.OLLAMA_GENERATE, Map.of("model", "other"));
    for (var c : cases.entrySet()) {
      RequestSpec s = new RequestSpec("m", "p", null, 64, null, false, c.getValue());
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> StreamCodec.of(c.getKey()).body(s), c.getKey().id());
      assertTrue(e.getMessage().startsWith("body: '"), e.getMessage());
      assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }
    java.util.HashMap<String, Object> nullOptions = new java.util.HashMap<>();
    nullOptions.put("stream_options", null);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class,
            () -> StreamCodec.of(Protocol.OPENAI_CHAT).body(new RequestSpec("m", "p", null, 64, null, false, nullOptions)));
    assertEquals("body: 'stream_options' must stay an object, since 'stream_options.include_usage' must stay true: "
        + "the server's token counts come only with it", e.getMessage());
    // repeating the suite's value is allowed
    StreamCodec.of(Protocol.OPENAI_CHAT).body(new RequestSpec("m", "p", null, 64, null, false,
        Map.of("stream", true, "stream_options", Map.of("include_usage", true))));
  }

  @Test
  void openAiCompletions() throws Exception {
    JsonNode b = body(Protocol.OPENAI_COMPLETIONS, SPEC);
    assertEquals("/v1/completions", StreamCodec.of(Protocol.OPENAI_COMPLETIONS).path());
    assertEquals("Say hi", b.get("prompt").asText());
    assertFalse(b.has("messages"));
    assertEquals(64, b.get("max_tokens").asInt());
    assertTrue(b.at("/stream_options/include_usage").asBoolean());
    assertTrue(b.get("ignore_eos").asBoolean());
  }

  @Test
  void ollama() throws Exception {
    JsonNode g = body(Protocol.OLLAMA_GENERATE, SPEC);
    assertEquals("/api/generate", StreamCodec.of(Protocol.OLLAMA_GENERATE).path());
    assertEquals("m1", g.get("model").asText());
    assertEquals("Say hi", g.get("prompt").asText());
    assertEquals(64, g.at("/options/num_predict").asInt());
    assertTrue(g.get("stream").asBoolean());
    JsonNode c = body(Protocol.OLLAMA_CHAT, SPEC);
    assertEquals("/api/chat", StreamCodec.of(Protocol.OLLAMA_CHAT).path());
    assertEquals("Say hi", c.at("/messages/0/content").asText());
    assertEquals(64, c.at("/options/num_predict").asInt());
    assertEquals(List.of("/api/version"), StreamCodec.of(Protocol.OLLAMA_CHAT).identityPaths());
  }

  @Test
  void tgi() throws Exception {
    JsonNode b = body(Protocol.TGI, SPEC);
    assertEquals("/generate_stream", StreamCodec.of(Protocol.TGI).path());
    assertEquals("Say hi", b.get("inputs").asText());
    assertEquals(64, b.at("/parameters/max_new_tokens").asInt());
    assertTrue(b.at("/parameters/details").asBoolean());
    assertEquals(List.of("/info"), StreamCodec.of(Protocol.TGI).identityPaths());
  }

  @Test
  void llamaCpp() throws Exception {
    JsonNode b = body(Protocol.LLAMACPP, SPEC);
    assertEquals("/completion", StreamCodec.of(Protocol.LLAMACPP).path());
    assertEquals("Say hi", b.get("prompt").asText());
    assertEquals(64, b.get("n_predict").asInt());
    assertTrue(b.get("ignore_eos").asBoolean());
    assertTrue(b.get("stream").asBoolean());
    assertEquals(List.of("/props", "/v1/models"), StreamCodec.of(Protocol.LLAMACPP).identityPaths());
  }

  @Test
  void promptFromMessagesForPromptProtocols() throws Exception {
    RequestSpec s =
        new RequestSpec(null, null,
            List.of(Map.of("role", "system", "content", "A"), Map.of("role", "user", "content", "B")),
            null, null, false, Map.of());
    assertEquals("A\nB", body(Protocol.TGI, s).get("inputs").asText());
  }

  @Test
  void textProtocolsSendTheWholeConversationEvenWithAPrompt() throws Exception {
    List<Map<String, Object>> turns =
        List.of(Map.of("role", "system", "content", "Be brief."),
            Map.of("role", "user", "content", "Name a prime."),
            Map.of("role", "assistant", "content", "Seven."),
            Map.of("role", "user", "content", List.of(Map.of("type", "text", "text", "Another?"))));
    // the prompt is the last user turn, as the workloads set it beside the messages
    RequestSpec s = new RequestSpec("m", "Another?", turns, 8, null, false, Map.of());
    String whole = "Be brief.\nName a prime.\nSeven.\nAnother?";
    assertEquals(whole, body(Protocol.OPENAI_COMPLETIONS, s).get("prompt").asText());
    assertEquals(whole, body(Protocol.OLLAMA_GENERATE, s).get("prompt").asText());
    assertEquals(whole, body(Protocol.LLAMACPP, s).get("prompt").asText());
    assertEquals(whole, body(Protocol.TGI, s).get("inputs").asText());
    assertEquals(4, body(Protocol.OPENAI_CHAT, s).get("messages").size());
    assertEquals(4, body(Protocol.OLLAMA_CHAT, s).get("messages").size());
  }

  @Test
  void everyProtocolHasACodec() {
    for (Protocol p : Protocol.values()) {
      assertEquals(p, StreamCodec.of(p).protocol());
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StreamCodec.of(null));
    assertTrue(e.getMessage().startsWith("protocol: "), e.getMessage());
  }

  @Test
  void reasoningModelsTakeMaxCompletionTokensOnChatOnly() throws Exception {
    var spec = RequestSpec.of("o3", "hi", 64);
    var body = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
        StreamCodec.of(Protocol.OPENAI_CHAT, StreamCodec.MAX_COMPLETION_TOKENS).body(spec));
    assertEquals(64, body.get("max_completion_tokens").asInt());
    assertFalse(body.has("max_tokens"));
    var e = assertThrows(IllegalArgumentException.class, () -> StreamCodec.of(Protocol.TGI, StreamCodec.MAX_COMPLETION_TOKENS));
    assertTrue(e.getMessage().startsWith("maxTokensField: max_completion_tokens is an OpenAI chat field"), e.getMessage());
    var bad = assertThrows(IllegalArgumentException.class, () -> StreamCodec.of(Protocol.OPENAI_CHAT, "max_len"));
    assertEquals("maxTokensField: 'max_len' is not allowed; allowed: max_tokens, max_completion_tokens", bad.getMessage());
  }
}
