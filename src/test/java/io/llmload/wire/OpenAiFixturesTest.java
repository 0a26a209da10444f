package io.llmload.wire;

import static io.llmload.wire.OutputKind.CONTENT;
import static io.llmload.wire.OutputKind.REASONING;
import static io.llmload.wire.OutputKind.REFUSAL;
import static io.llmload.wire.OutputKind.TOOL_CALL;
import static io.llmload.wire.StreamState.Outcome.DONE;
import static io.llmload.wire.StreamState.Outcome.RUNNING;
import static io.llmload.wire.StreamState.Outcome.STREAM_ERROR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The OpenAI-style captures (chat and legacy completions, from OpenAI, vLLM, SGLang, TGI's Messages
 * API, llama.cpp, OpenRouter, Groq, DeepSeek) read with the openai codecs. Expected figures were
 * counted from the files with a separate Python reading of the same rules, and where the file
 * allows, are checked again here by a plain regular-expression count over the raw bytes.
 */
class OpenAiFixturesTest {

  record Expect(
      String file,
      Protocol protocol,
      StreamState.Outcome outcome,
      @Nullable String error,
      int events,
      int tokens,
      Set<OutputKind> kinds,
      int choices,
      @Nullable Long prompt,
      @Nullable Long completion,
      @Nullable Long cached,
      @Nullable Long reasoningTokens,
      @Nullable String finish,
      // a regex whose match count over the raw file equals the token count, or null
      @Nullable String tokenRegex) {
    @Override
    public String toString() {
      return file;
    }
  }

  private static final Protocol CHAT = Protocol.OPENAI_CHAT;
  private static final Protocol COMPL = Protocol.OPENAI_COMPLETIONS;
  private static final String NON_EMPTY_CONTENT = "\"content\":\"[^\"]";

  static Stream<Expect> fixtures() {
    return Stream.of(
        // TGI 1.4.3: no [DONE]; done because the only choice got finish_reason "length"
        new Expect("openai-chat/hfhub-tgi-1.4.3-messages-api-zephyr.sse", CHAT, DONE, null,
            21, 20, Set.of(CONTENT), 1, null, null, null, null, "length", NON_EMPTY_CONTENT),
        new Expect("openai-chat/hfhub-tgi-3.2.1-messages-api-llama31.sse", CHAT, DONE, null,
            21, 20, Set.of(CONTENT), 1, null, null, null, null, "length", NON_EMPTY_CONTENT),
        // 16 data events + [DONE]; the role chunk has content "" and is not a token
        new Expect("openai-chat/langchaingo-openai-gpt35-obfuscation.sse", CHAT, DONE, null,
            17, 13, Set.of(CONTENT), 1, 14L, 13L, 0L, 0L, "stop", NON_EMPTY_CONTENT),
        // three role-only chunks with content "" after an OpenRouter comment; one real token
        new Expect("openai-chat/langchaingo-openrouter-processing-comment.sse", CHAT, DONE, null,
            6, 1, Set.of(CONTENT), 1, 586L, 3L, 0L, 0L, "stop", NON_EMPTY_CONTENT),
        // n=3: tokens summed over choices equal usage.completion_tokens
        new Expect("openai-chat/openai-gpt4o-n3-multichoice.sse", CHAT, DONE, null,
            50, 42, Set.of(CONTENT), 3, 79L, 42L, null, 0L, "stop", NON_EMPTY_CONTENT),
        // the first tool-call chunk carries a name and empty arguments: it counts
        new Expect("openai-chat/openai-gpt4o-parallel-tool-calls.sse", CHAT, DONE, null,
            26, 22, Set.of(TOOL_CALL), 1, 149L, 60L, null, 0L, "tool_calls",
            "\"(arguments|name)\":\"[^\"]"),
        new Expect("openai-chat/openai-gpt4o-refusal.sse", CHAT, DONE, null,
            14, 10, Set.of(REFUSAL), 1, 79L, 11L, null, 0L, "stop", "\"refusal\":\"[^\"]"),
        new Expect("openai-chat/openai-gpt4o-simple.sse", CHAT, DONE, null,
            34, 30, Set.of(CONTENT), 1, 14L, 30L, null, 0L, "stop", NON_EMPTY_CONTENT),
        // DeepSeek: reasoning_content first (content null), then content
        new Expect("openai-chat/pydantic-ai-deepseek-reasoner-reasoning-content.sse", CHAT, DONE,
            null, 212, 209, Set.of(CONTENT, REASONING), 1, 6L, 212L, 0L, 198L, "stop",
            "\"(content|reasoning_content)\":\"[^\"]"),
        new Expect("openai-chat/pydantic-ai-vllm-crusoe-llama33.sse", CHAT, DONE, null,
            17, 13, Set.of(CONTENT), 1, 46L, 14L, 0L, null, "stop", NON_EMPTY_CONTENT),
        // 100 events, no [DONE], the last carries content and finish_reason
        new Expect("openai-chat/semantic-kernel-tgi-1.4.4-messages-api-logprobs.sse", CHAT, DONE,
            null, 100, 100, Set.of(CONTENT), 1, null, null, null, null, "length",
            NON_EMPTY_CONTENT),
        // trimmed captures: no finish, so the stream stays RUNNING (the action says truncated)
        new Expect("openai-chat/sglang-gateway-pr19895-trimmed.sse", CHAT, RUNNING, null,
            3, 3, Set.of(CONTENT), 1, null, null, null, null, null, NON_EMPTY_CONTENT),
        new Expect("openai-chat/vllm-0.7.2-reasoning-parser-issue13375-trimmed.sse", CHAT, RUNNING,
            null, 3, 2, Set.of(REASONING), 1, null, null, null, null, null,
            "\"reasoning_content\":\"[^\"]"),
        // two chunks carry finish_reason "length", the second with empty text
        new Expect("openai-completions/langstream-gpt35-instruct-logprobs.sse", COMPL, DONE, null,
            18, 16, Set.of(CONTENT), 1, null, null, null, null, "length", "\"text\":\"[^\"]"),
        // spaces after ':' (Python json.dumps); the first three chunks have empty text
        new Expect("openai-completions/vllm-issue2686-codellama-completions-trimmed.sse", COMPL,
            RUNNING, null, 6, 3, Set.of(CONTENT), 1, null, null, null, null, null,
            "\"text\": \"[^\"]"),
        new Expect("llamacpp-server/chat-stream-usage.sse", CHAT, DONE, null,
            16, 12, Set.of(CONTENT), 1, 72L, 12L, 0L, null, "length", NON_EMPTY_CONTENT),
        new Expect("llamacpp-server/chat-stream.sse", CHAT, DONE, null,
            11, 8, Set.of(CONTENT), 1, null, null, null, null, "length", NON_EMPTY_CONTENT),
        new Expect("llamacpp-server/chat-stream-with-headers.http", CHAT, DONE, null,
            7, 4, Set.of(CONTENT), 1, null, null, null, null, "length", NON_EMPTY_CONTENT),
        new Expect("llamacpp-server/completions-stream.sse", COMPL, DONE, null,
            10, 8, Set.of(CONTENT), 1, 9L, 8L, 1L, null, "length", "\"text\":\"[^\"]"),
        // Groq: reasoning deltas, then "event: error" with an error object; no [DONE]
        new Expect("errors/pydantic-ai-groq-midstream-event-error.sse", CHAT, STREAM_ERROR,
            "Tool call validation failed: tool call validation failed: parameters for tool"
                + " get_something_by_name did not match schema",
            95, 93, Set.of(REASONING), 1, null, null, null, null, null, "\"reasoning\":\"[^\"]"),
        // OpenRouter: finish_reason "length", then a chunk with an error object, then [DONE]
        new Expect("errors/pydantic-ai-openrouter-midstream-error.sse", CHAT, STREAM_ERROR,
            "Token limit reached", 5, 2, Set.of(REASONING), 1, 43L, 10L, 0L, 11L, "length",
            "\"reasoning\":\"[^\"]"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void readsCapture(Expect e) {
    byte[] body = Fixtures.body(e.file());
    StreamState st = Fixtures.whole(e.protocol(), body);
    assertEquals(e.outcome(), st.outcome(), "outcome, error " + st.error());
    if (e.error() == null) {
      assertNull(st.error());
    } else {
      assertTrue(st.error() != null && st.error().startsWith(e.error()), "error " + st.error());
    }
    assertEquals(e.events(), st.events(), "events");
    assertEquals(e.tokens(), st.tokenChunks(), "tokens");
    if (e.tokenRegex() != null) {
      assertEquals(Fixtures.countRegex(body, e.tokenRegex()), st.tokenChunks(), "independent count");
    }
    assertEquals(e.kinds(), st.kinds(), "kinds");
    assertEquals(e.choices(), st.choices(), "choices");
    assertEquals(e.prompt(), st.usagePromptTokens(), "prompt_tokens");
    assertEquals(e.completion(), st.usageCompletionTokens(), "completion_tokens");
    assertEquals(e.cached(), st.cachedPromptTokens(), "cached_tokens");
    assertEquals(e.reasoningTokens(), st.reasoningTokens(), "reasoning_tokens");
    assertEquals(e.finish(), st.finishReason(), "finish_reason");
    assertEquals(e.prompt() == null && e.completion() == null ? 0 : 1, st.usageUpdates());
    assertNull(st.serverOutputTokens(), "openai codecs report counts through usage only");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void sameResultInAnyPieces(Expect e) {
    byte[] body = Fixtures.body(e.file());
    Fixtures.Snapshot whole = Fixtures.snapshot(Fixtures.whole(e.protocol(), body));
    for (long seed = 1; seed <= 5; seed++) {
      assertEquals(whole, Fixtures.snapshot(Fixtures.pieces(e.protocol(), body, seed, 97)), "seed " + seed);
    }
    assertEquals(whole, Fixtures.snapshot(Fixtures.pieces(e.protocol(), body, 42, 3)), "tiny pieces");
    assertEquals(whole, Fixtures.snapshot(Fixtures.byteByByte(e.protocol(), body)), "byte by byte");
  }

  @Test
  void keepsIdentityOfTheServer() {
    StreamState st = Fixtures.whole(CHAT, Fixtures.body("openai-chat/openai-gpt4o-simple.sse"));
    assertEquals("chatcmpl-ABfw031mOJeYCSHe4yI2ZjOA6kMJL", st.server().get("id"));
    assertEquals("gpt-4o-2024-08-06", st.server().get("model"));
    assertEquals("fp_5050236cbd", st.server().get("system_fingerprint"));
    assertEquals(
        "I'm unable to provide real-time information, including the current weather. To find out"
            .substring(0, 10),
        st.content().substring(0, 10));
  }

  @Test
  void llamaCppTimingsOnTheUsageChunkAreKept() {
    StreamState st = Fixtures.whole(CHAT, Fixtures.body("llamacpp-server/chat-stream-usage.sse"));
    @SuppressWarnings("unchecked")
    java.util.Map<String, Object> t = (java.util.Map<String, Object>) st.server().get("timings");
    assertEquals(72L, t.get("prompt_n"));
    assertEquals(12.678, t.get("prompt_ms"));
    assertEquals(12L, t.get("predicted_n"));
    assertNull(Fixtures.whole(CHAT, Fixtures.body("openai-chat/openai-gpt4o-simple.sse")).server().get("timings"));
  }

  @Test
  void tgiEmptyIdIsNotKept() {
    StreamState st =
        Fixtures.whole(CHAT, Fixtures.body("openai-chat/hfhub-tgi-1.4.3-messages-api-zephyr.sse"));
    assertNull(st.server().get("id"), "TGI sends \"id\":\"\"");
    assertEquals("1.4.3-sha-e6bb3ff", st.server().get("system_fingerprint"));
  }

  @Test
  void capturedContentIsTheJoinedDeltas() {
    StreamState st =
        Fixtures.whole(CHAT, Fixtures.body("llamacpp-server/chat-stream.sse"));
    // joined from the 8 content deltas of the capture, read by hand
    assertTrue(st.content().startsWith(" "), st.content());
    assertEquals(8, st.content().split(" ", -1).length - 1, "8 space-led words: " + st.content());
  }
}
