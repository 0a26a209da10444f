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
  void extraBodyIsMergedLastAndWins() throws Exception {
    RequestSpec s =
        new RequestSpec("m1", "p", null, 64, null, false,
            Map.of("max_tokens", 8, "stream_options", Map.of("include_usage", true, "continuous_usage_stats", true)));
    JsonNode b = body(Protocol.OPENAI_CHAT, s);
    assertEquals(8, b.get("max_tokens").asInt());
    assertTrue(b.at("/stream_options/continuous_usage_stats").asBoolean());
    String text = new String(StreamCodec.of(Protocol.OPENAI_CHAT).body(s), java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(text.indexOf("\"messages\"") < text.indexOf("\"stream_options\""), text);
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
  void everyProtocolHasACodec() {
    for (Protocol p : Protocol.values()) {
      assertEquals(p, StreamCodec.of(p).protocol());
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StreamCodec.of(null));
    assertTrue(e.getMessage().startsWith("protocol: "), e.getMessage());
  }
}
