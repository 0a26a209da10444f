package io.llmload.wire;

import static io.llmload.wire.StreamState.Outcome.DONE;
import static io.llmload.wire.StreamState.Outcome.RUNNING;
import static io.llmload.wire.StreamState.Outcome.STREAM_ERROR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The real captures of the OpenAI Responses API and the Anthropic Messages API. Expected counts
 * were taken from the files by a separate Python reading (see SOURCES.md) and, where a test says
 * so, again from a Jackson tree reading of every data line, which shares no code with the codecs.
 */
class ResponsesAndMessagesFixturesTest {

  private static final ObjectMapper M = new ObjectMapper();

  static Stream<Arguments> captures() {
    return Stream.of(
        Arguments.of(Protocol.OPENAI_RESPONSES, "openai-responses/llm-gpt55-minimal-text.sse"),
        Arguments.of(Protocol.OPENAI_RESPONSES, "openai-responses/pydantic-ai-gpt5-reasoning-function-call.sse"),
        Arguments.of(Protocol.OPENAI_RESPONSES, "openai-responses/pydantic-ai-o3mini-reasoning-summary-text.sse"),
        Arguments.of(Protocol.OPENAI_RESPONSES, "openai-responses/vllm-agentic-api-gpt-oss-20b-reasoning-text.sse"),
        Arguments.of(Protocol.ANTHROPIC_MESSAGES, "anthropic-messages/langchaingo-claude3-opus-text-ping.sse"),
        Arguments.of(Protocol.ANTHROPIC_MESSAGES, "anthropic-messages/llm-anthropic-claude37-tool-use-input-json.sse"),
        Arguments.of(Protocol.ANTHROPIC_MESSAGES, "anthropic-messages/llm-anthropic-haiku45-thinking-then-tool-use.sse"),
        Arguments.of(Protocol.ANTHROPIC_MESSAGES, "anthropic-messages/pydantic-ai-claude-sonnet4-thinking.sse"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("captures")
  void sameResultInAnyPieces(Protocol protocol, String file) {
    byte[] body = Fixtures.body(file);
    Fixtures.Snapshot whole = Fixtures.snapshot(Fixtures.whole(protocol, body));
    assertEquals(DONE, whole.outcome(), file + ": " + whole.error());
    for (long seed = 1; seed <= 5; seed++) {
      assertEquals(whole, Fixtures.snapshot(Fixtures.pieces(protocol, body, seed, 61)), "seed " + seed);
    }
    assertEquals(whole, Fixtures.snapshot(Fixtures.byteByByte(protocol, body)), "byte by byte");
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("captures")
  void contentIsWhatTheTextDeltasSay(Protocol protocol, String file) throws Exception {
    byte[] body = Fixtures.body(file);
    StringBuilder text = new StringBuilder();
    for (String line : new String(body, StandardCharsets.UTF_8).split("\n")) {
      if (!line.startsWith("data:")) continue;
      JsonNode e = M.readTree(line.substring(5));
      if (e.path("type").asText().equals("response.output_text.delta")) text.append(e.path("delta").asText());
      if (e.path("delta").path("type").asText().equals("text_delta")) text.append(e.path("delta").path("text").asText());
    }
    assertEquals(text.toString(), Fixtures.whole(protocol, body).content());
  }

  @Test
  void responsesMinimalText() {
    StreamState st = Fixtures.whole(Protocol.OPENAI_RESPONSES, Fixtures.body("openai-responses/llm-gpt55-minimal-text.sse"));
    assertEquals(DONE, st.outcome());
    assertEquals(9, st.events());
    assertEquals(1, st.tokenChunks());
    assertEquals("pong", st.content());
    assertEquals(Set.of(OutputKind.CONTENT), st.kinds());
    assertEquals(11L, st.usagePromptTokens());
    assertEquals(5L, st.usageCompletionTokens());
    assertEquals(0L, st.cachedPromptTokens());
    assertEquals(0L, st.reasoningTokens());
    assertEquals("completed", st.finishReason());
    assertEquals("resp_00592e63e61b66660169fab1b9f8e481a2b321356198d7ac1b", st.server().get("id"));
    assertEquals("gpt-5.5-2026-04-23", st.server().get("model"));
  }

  @Test
  void responsesFunctionCallWithoutTextStillHasOutput() {
    StreamState st = Fixtures.whole(Protocol.OPENAI_RESPONSES,
        Fixtures.body("openai-responses/pydantic-ai-gpt5-reasoning-function-call.sse"));
    assertEquals(DONE, st.outcome());
    assertEquals(14, st.events());
    // the item's name (final_result) and 6 argument deltas
    assertEquals(7, st.tokenChunks());
    assertEquals(Set.of(OutputKind.TOOL_CALL), st.kinds());
    assertTrue(st.firstOutputNanos() > 0, "a tool call is output for TTFO");
    assertEquals(53L, st.usagePromptTokens());
    assertEquals(469L, st.usageCompletionTokens());
    assertEquals(448L, st.reasoningTokens());
    assertEquals("", st.content());
  }

  @Test
  void responsesReasoningSummaryThenText() {
    byte[] body = Fixtures.body("openai-responses/pydantic-ai-o3mini-reasoning-summary-text.sse");
    StreamState st = Fixtures.whole(Protocol.OPENAI_RESPONSES, body);
    assertEquals(676, st.events());
    assertEquals(383, st.reasoningChunks());
    assertEquals(Fixtures.count(body, "\"type\":\"response.reasoning_summary_text.delta\""), st.reasoningChunks());
    assertEquals(383 + 271, st.tokenChunks());
    assertEquals(Set.of(OutputKind.REASONING, OutputKind.CONTENT), st.kinds());
    assertEquals(13L, st.usagePromptTokens());
    assertEquals(1680L, st.usageCompletionTokens());
    assertEquals(1408L, st.reasoningTokens());
  }

  @Test
  void responsesFromVllmWithTypeLast() {
    StreamState st = Fixtures.whole(Protocol.OPENAI_RESPONSES,
        Fixtures.body("openai-responses/vllm-agentic-api-gpt-oss-20b-reasoning-text.sse"));
    assertEquals(DONE, st.outcome());
    assertEquals(141, st.events());
    assertEquals(126, st.reasoningChunks());
    assertEquals(128, st.tokenChunks());
    assertEquals(75L, st.usagePromptTokens());
    assertEquals(138L, st.usageCompletionTokens());
    assertEquals(64L, st.cachedPromptTokens());
    assertEquals(127L, st.reasoningTokens());
    assertEquals("openai/gpt-oss-20b", st.server().get("model"));
  }

  @Test
  void messagesTextWithPing() {
    StreamState st = Fixtures.whole(Protocol.ANTHROPIC_MESSAGES,
        Fixtures.body("anthropic-messages/langchaingo-claude3-opus-text-ping.sse"));
    assertEquals(DONE, st.outcome());
    assertEquals(9, st.events());
    assertEquals(3, st.tokenChunks());
    assertEquals(15L, st.usagePromptTokens());
    assertEquals(13L, st.usageCompletionTokens(), "from message_delta, not message_start's 3");
    assertEquals(0L, st.cachedPromptTokens());
    assertEquals("end_turn", st.finishReason());
    assertEquals("msg_01Ju7oPaDmjgrhWq8gNP4AUj", st.server().get("id"));
    assertEquals("claude-3-opus-20240229", st.server().get("model"));
  }

  @Test
  void messagesToolUseOlderUsageShape() {
    StreamState st = Fixtures.whole(Protocol.ANTHROPIC_MESSAGES,
        Fixtures.body("anthropic-messages/llm-anthropic-claude37-tool-use-input-json.sse"));
    assertEquals(DONE, st.outcome());
    // the block's name, then 18 non-empty fragments (the first is "")
    assertEquals(19, st.tokenChunks());
    assertEquals(Set.of(OutputKind.TOOL_CALL), st.kinds());
    assertEquals(429L, st.usagePromptTokens(), "message_delta has no input_tokens: message_start's stays");
    assertEquals(140L, st.usageCompletionTokens());
    assertEquals("tool_use", st.finishReason());
  }

  @Test
  void messagesThinkingThenToolUse() {
    StreamState st = Fixtures.whole(Protocol.ANTHROPIC_MESSAGES,
        Fixtures.body("anthropic-messages/llm-anthropic-haiku45-thinking-then-tool-use.sse"));
    assertEquals(DONE, st.outcome());
    assertEquals(2, st.reasoningChunks());
    assertEquals(3, st.tokenChunks());
    assertEquals(Set.of(OutputKind.REASONING, OutputKind.TOOL_CALL), st.kinds());
    assertTrue(st.firstOutputNanos() > 0);
    assertEquals(598L, st.usagePromptTokens());
    assertEquals(92L, st.usageCompletionTokens());
    assertEquals(53L, st.reasoningTokens());
  }

  @Test
  void messagesThinkingThenText() {
    byte[] body = Fixtures.body("anthropic-messages/pydantic-ai-claude-sonnet4-thinking.sse");
    StreamState st = Fixtures.whole(Protocol.ANTHROPIC_MESSAGES, body);
    assertEquals(118, st.events());
    // 14 thinking deltas, the last one empty
    assertEquals(13, st.reasoningChunks());
    assertEquals(13 + 95, st.tokenChunks());
    assertEquals(Fixtures.count(body, "\"type\":\"text_delta\""), st.tokenChunks() - st.reasoningChunks());
    assertEquals(43L, st.usagePromptTokens());
    assertEquals(282L, st.usageCompletionTokens());
    assertNull(st.reasoningTokens(), "this capture does not report thinking tokens apart");
  }

  @Test
  void messagesMidStreamErrorEvent() {
    byte[] body = ("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"m\",\"usage\":{\"input_tokens\":5,\"output_tokens\":1}}}\n\n"
        + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}\n\n"
        + "event: error\ndata: {\"type\":\"error\",\"error\":{\"details\":null,\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n")
        .getBytes(StandardCharsets.UTF_8);
    StreamState st = Fixtures.whole(Protocol.ANTHROPIC_MESSAGES, body);
    assertEquals(STREAM_ERROR, st.outcome());
    assertEquals("Overloaded", st.error());
    assertEquals(1, st.tokenChunks());
  }

  @Test
  void responsesErrorsAndCutStreams() {
    String created = "event: response.created\ndata: {\"type\":\"response.created\",\"response\":{\"id\":\"r\",\"status\":\"in_progress\",\"usage\":null}}\n\n";
    String delta = "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"delta\":\"Hi\"}\n\n";
    StreamState failed = Fixtures.whole(Protocol.OPENAI_RESPONSES, (created + delta
        + "event: response.failed\ndata: {\"type\":\"response.failed\",\"response\":{\"id\":\"r\",\"status\":\"failed\",\"error\":{\"code\":\"server_error\",\"message\":\"The model crashed\"},\"usage\":null}}\n\n")
        .getBytes(StandardCharsets.UTF_8));
    assertEquals(STREAM_ERROR, failed.outcome());
    assertEquals("The model crashed", failed.error());
    StreamState error = Fixtures.whole(Protocol.OPENAI_RESPONSES, (created
        + "event: error\ndata: {\"type\":\"error\",\"code\":\"rate_limit_exceeded\",\"message\":\"Slow down\",\"param\":null,\"sequence_number\":1}\n\n")
        .getBytes(StandardCharsets.UTF_8));
    assertEquals(STREAM_ERROR, error.outcome());
    assertEquals("Slow down", error.error());
    // data-only (OpenRouter): the type alone says it is an error
    StreamState dataOnly = Fixtures.whole(Protocol.OPENAI_RESPONSES,
        "data: {\"type\":\"error\",\"code\":\"server_error\",\"sequence_number\":1}\n\n".getBytes(StandardCharsets.UTF_8));
    assertEquals("server_error", dataOnly.error());
    StreamState cut = Fixtures.whole(Protocol.OPENAI_RESPONSES, (created + delta).getBytes(StandardCharsets.UTF_8));
    assertEquals(RUNNING, cut.outcome(), "no response.completed: truncated");
    StreamState incomplete = Fixtures.whole(Protocol.OPENAI_RESPONSES, (created + delta
        + "event: response.incomplete\ndata: {\"type\":\"response.incomplete\",\"response\":{\"status\":\"incomplete\",\"incomplete_details\":{\"reason\":\"max_output_tokens\"},\"usage\":{\"input_tokens\":4,\"output_tokens\":1}}}\n\n")
        .getBytes(StandardCharsets.UTF_8));
    assertEquals(DONE, incomplete.outcome());
    assertEquals("max_output_tokens", incomplete.finishReason());
    assertEquals(1L, incomplete.usageCompletionTokens());
  }
}
