package io.llmload.wire;

import static io.llmload.wire.StreamCases.chunk;
import static io.llmload.wire.StreamCases.delta;
import static io.llmload.wire.StreamCases.run;
import static io.llmload.wire.StreamState.Outcome.DONE;
import static io.llmload.wire.StreamState.Outcome.MALFORMED;
import static io.llmload.wire.StreamState.Outcome.RUNNING;
import static io.llmload.wire.StreamState.Outcome.STREAM_ERROR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** OpenAI-style stream cases, each rule on its own (synthetic chunks shaped like real ones). */
class OpenAiStreamCasesTest {

  private static final Protocol CHAT = Protocol.OPENAI_CHAT;
  private static final String ROLE = delta(0, "{\"role\":\"assistant\",\"content\":\"\"}", "null");
  private static final String ROLE_NULL = delta(0, "{\"role\":\"assistant\",\"content\":null}", "null");

  @Test
  void roleOnlyEmptyAndNullContentAreNotTokens() {
    StreamState st =
        run(CHAT,
            chunk("[" + ROLE + "]", ""),
            chunk("[" + ROLE_NULL + "]", ""),
            chunk("[" + delta(0, "{}", "null") + "]", ""),
            chunk("[" + delta(0, "{\"content\":\"Hi\"}", "null") + "]", ""),
            chunk("[" + delta(0, "{}", "\"stop\"") + "]", ""),
            "data: [DONE]\n\n");
    assertEquals(DONE, st.outcome());
    assertEquals(1, st.tokenChunks());
    assertEquals(6, st.events(), "every data event counts, [DONE] included");
    assertEquals(40, st.firstTokenNanos(), "the 4th piece carried the first token");
    assertEquals("stop", st.finishReason());
  }

  @Test
  void missingDoneAfterEveryChoiceFinishedIsDone() {
    StreamState st =
        run(CHAT, chunk("[" + delta(0, "{\"content\":\"a\"}", "\"length\"") + "]", ""));
    assertEquals(DONE, st.outcome());
  }

  @Test
  void missingDoneAndNoFinishIsStillRunning() {
    StreamState st = run(CHAT, chunk("[" + delta(0, "{\"content\":\"a\"}", "null") + "]", ""));
    assertEquals(RUNNING, st.outcome(), "the action classifies this as truncated");
    assertEquals(1, st.tokenChunks());
  }

  @Test
  void severalChoicesAreDoneOnlyWhenAllFinished() {
    String c0 = delta(0, "{\"content\":\"a\"}", "\"stop\"");
    String c1 = delta(1, "{\"content\":\"b\"}", "null");
    StreamState half = run(CHAT, chunk("[" + c0 + "]", ""), chunk("[" + c1 + "]", ""));
    assertEquals(RUNNING, half.outcome());
    assertEquals(2, half.tokenChunks());
    assertEquals(2, half.choices());
    StreamState all =
        run(CHAT, chunk("[" + c0 + "," + c1 + "]", ""),
            chunk("[" + delta(1, "{}", "\"length\"") + "]", ""));
    assertEquals(DONE, all.outcome());
    assertEquals(2, all.tokenChunks(), "one chunk, two choices: two tokens");
    assertEquals(10, all.firstTokenNanos());
  }

  @Test
  void usageChunkWithEmptyChoices() {
    StreamState st =
        run(CHAT,
            chunk("[" + delta(0, "{\"content\":\"a\"}", "\"stop\"") + "]", ""),
            chunk("[]", "\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":1,\"total_tokens\":6,"
                + "\"prompt_tokens_details\":{\"cached_tokens\":3},"
                + "\"completion_tokens_details\":{\"reasoning_tokens\":0}}"),
            "data: [DONE]\n\n");
    assertEquals(5L, st.usagePromptTokens());
    assertEquals(1L, st.usageCompletionTokens());
    assertEquals(3L, st.cachedPromptTokens());
    assertEquals(0L, st.reasoningTokens());
    assertEquals(1, st.usageUpdates());
    assertEquals(DONE, st.outcome());
  }

  @Test
  void continuousUsageKeepsTheLatestAndCountsUpdates() {
    StreamState st =
        run(CHAT,
            chunk("[" + delta(0, "{\"content\":\"a\"}", "null") + "]",
                "\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":1}"),
            chunk("[" + delta(0, "{\"content\":\"b\"}", "null") + "]",
                "\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":2}"),
            chunk("[" + delta(0, "{}", "\"stop\"") + "]", "\"usage\":null"));
    assertEquals(2L, st.usageCompletionTokens());
    assertEquals(2, st.usageUpdates(), "\"usage\":null is not an update");
  }

  @Test
  void errorObjectInsideA200Stream() {
    StreamState st =
        run(CHAT,
            chunk("[" + delta(0, "{\"content\":\"a\"}", "null") + "]", ""),
            "data: {\"error\":{\"message\":\"The server had an error\",\"type\":\"server_error\"}}\n\n",
            "data: [DONE]\n\n");
    assertEquals(STREAM_ERROR, st.outcome());
    assertEquals("The server had an error", st.error());
  }

  @Test
  void errorEventWithPlainText() {
    StreamState st = run(CHAT, "event: error\ndata: Too many requests\n\n");
    assertEquals(STREAM_ERROR, st.outcome());
    assertEquals("Too many requests", st.error());
  }

  @Test
  void llamaCppOldErrorField() {
    StreamState st =
        run(CHAT,
            "error: {\"code\":400,\"message\":\"the request exceeds the available context size\","
                + "\"type\":\"invalid_request_error\"}\n\n",
            "data: [DONE]\n\n");
    assertEquals(STREAM_ERROR, st.outcome());
    assertEquals("the request exceeds the available context size", st.error());
  }

  @Test
  void errorMessageIsCutAndFlattened() {
    StreamState st =
        run(CHAT, "data: {\"error\":{\"message\":\"line1\\nline2" + "x".repeat(1000) + "\"}}\n\n");
    assertEquals(Json.MAX_TEXT, st.error().length());
    assertTrue(st.error().startsWith("line1 line2"), st.error());
  }

  @Test
  void unparseableJsonIsMalformed() {
    StreamState st =
        run(CHAT,
            chunk("[" + delta(0, "{\"content\":\"a\"}", "null") + "]", ""),
            "data: {\"choices\":[{\"delta\":{\"content\":\"b\"\n\n",
            chunk("[" + delta(0, "{\"content\":\"c\"}", "\"stop\"") + "]", ""));
    assertEquals(MALFORMED, st.outcome());
    assertTrue(st.error().startsWith("malformed chunk: "), st.error());
    assertEquals(2, st.tokenChunks(), "the unreadable chunk adds no token, the others still count");
  }

  @Test
  void nonObjectJsonIsMalformed() {
    assertEquals(MALFORMED, run(CHAT, "data: [1,2]\n\n").outcome());
    assertEquals(MALFORMED, run(CHAT, "data: \"x\"\n\n").outcome());
    assertEquals(MALFORMED, run(CHAT, "data: {} {}\n\n").outcome());
  }

  @Test
  void hostileChoiceIndexIsMalformedNotAnAllocation() {
    StreamState st =
        run(CHAT, chunk("[" + delta(2_000_000_000, "{\"content\":\"a\"}", "null") + "]", ""));
    assertEquals(MALFORMED, st.outcome());
    assertEquals(0, st.tokenChunks());
  }

  @Test
  void reasoningThenContentGivesTtfoAfterTtft() {
    StreamState st =
        run(CHAT,
            chunk("[" + delta(0, "{\"role\":\"assistant\",\"content\":null,\"reasoning_content\":\"Hmm\"}", "null") + "]", ""),
            chunk("[" + delta(0, "{\"content\":null,\"reasoning\":\" ok\"}", "null") + "]", ""),
            chunk("[" + delta(0, "{\"content\":\"Yes\"}", "\"stop\"") + "]", ""));
    assertEquals(3, st.tokenChunks());
    assertEquals(2, st.reasoningChunks());
    assertEquals(10, st.firstTokenNanos());
    assertEquals(30, st.firstOutputNanos());
    assertEquals(Set.of(OutputKind.REASONING, OutputKind.CONTENT), st.kinds());
    assertEquals(2, st.gapCount());
    assertEquals(10, st.gaps()[0]);
  }

  @Test
  void reasoningAndContentInOneChunkIsOneToken() {
    StreamState st =
        run(CHAT, chunk("[" + delta(0, "{\"reasoning_content\":\"r\",\"content\":\"c\"}", "\"stop\"") + "]", ""));
    assertEquals(1, st.tokenChunks());
    assertEquals(Set.of(OutputKind.REASONING, OutputKind.CONTENT), st.kinds());
    assertEquals(10, st.firstOutputNanos());
  }

  @Test
  void indexAfterDeltaIsRespected() {
    // llama.cpp writes finish_reason and index before delta; others may write index last
    StreamState st =
        run(CHAT, chunk("[{\"delta\":{\"content\":\"x\"},\"finish_reason\":\"stop\",\"index\":2}]", ""));
    assertEquals(3, st.choices());
    assertEquals(DONE, st.outcome());
  }

  @Test
  void toolCallNameAloneCounts() {
    StreamState st =
        run(CHAT,
            chunk("[" + delta(0, "{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\","
                + "\"function\":{\"name\":\"get\",\"arguments\":\"\"}}]}", "null") + "]", ""),
            chunk("[" + delta(0, "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{}\"}}]}", "null") + "]", ""),
            chunk("[" + delta(0, "{}", "\"tool_calls\"") + "]", ""));
    assertEquals(2, st.tokenChunks());
    assertEquals(Set.of(OutputKind.TOOL_CALL), st.kinds());
    assertEquals("", st.content(), "tool calls are not content");
  }

  @Test
  void completionsTextChunks() {
    StreamState st =
        run(Protocol.OPENAI_COMPLETIONS,
            "data: {\"choices\":[{\"text\":\"\",\"index\":0,\"finish_reason\":null}]}\n\n",
            "data: {\"choices\":[{\"text\":\"Hi\",\"index\":0,\"finish_reason\":null}]}\n\n",
            "data: {\"choices\":[{\"text\":\"!\",\"index\":0,\"finish_reason\":\"length\"}],"
                + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2}}\n\n",
            "data: [DONE]\n\n");
    assertEquals(2, st.tokenChunks());
    assertEquals("Hi!", st.content());
    assertEquals(2L, st.usageCompletionTokens());
    assertEquals(DONE, st.outcome());
  }

  @Test
  void emptyDataIsAKeepAliveNotAnEvent() {
    StreamState st = run(CHAT, "data:\n\n", "data: \n\n", chunk("[" + delta(0, "{\"content\":\"a\"}", "\"stop\"") + "]", ""));
    assertEquals(DONE, st.outcome());
    assertEquals(1, st.events());
  }

  @Test
  void trailingBlanksAfterTheObjectAreFine() {
    StreamState st = run(CHAT, "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}}]}  \t\n\n");
    assertEquals(RUNNING, st.outcome());
    assertEquals(1, st.tokenChunks());
  }

  @Test
  void parserRecoversAfterEveryKindOfBadEvent() {
    String good = chunk("[" + delta(0, "{\"content\":\"a\"}", "null") + "]", "");
    StreamState st =
        run(CHAT, good, "data: {\"choices\":[{\"delta\n\n", good, "data: {} {\"x\":\n\n", good,
            "data: 12\n\n", good, "data: {\"a\":tru}\n\n", good, "event: error\ndata: oops {\n\n", good);
    assertEquals(MALFORMED, st.outcome());
    assertEquals(6, st.tokenChunks(), "every good chunk after a bad one is still read");
  }

  @Test
  void contentAsListOfParts() {
    StreamState st =
        run(CHAT,
            chunk("[" + delta(0, "{\"content\":[{\"type\":\"text\",\"text\":\"Hi\"}]}", "null") + "]", ""),
            chunk("[" + delta(0, "{\"content\":[]}", "\"stop\"") + "]", ""));
    assertEquals(1, st.tokenChunks());
    assertEquals("Hi", st.content());
  }

  @Test
  void doneWithSurroundingBlanks() {
    assertEquals(DONE, run(CHAT, "data:  [DONE] \n\n").outcome());
  }
}
