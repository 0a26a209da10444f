package io.llmload.wire;

import static io.llmload.wire.StreamCases.run;
import static io.llmload.wire.StreamState.Outcome.DONE;
import static io.llmload.wire.StreamState.Outcome.MALFORMED;
import static io.llmload.wire.StreamState.Outcome.RUNNING;
import static io.llmload.wire.StreamState.Outcome.STREAM_ERROR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** Native protocol cases, each rule on its own (synthetic lines shaped like real ones). */
class NativeStreamCasesTest {

  @Test
  void ollamaThinkingIsReasoning() {
    StreamState st =
        run(Protocol.OLLAMA_CHAT,
            "{\"message\":{\"role\":\"assistant\",\"content\":\"\",\"thinking\":\"Let me\"},\"done\":false}\n",
            "{\"message\":{\"role\":\"assistant\",\"content\":\"Hi\"},\"done\":false}\n",
            "{\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done\":true,\"done_reason\":\"stop\","
                + "\"eval_count\":2,\"eval_duration\":0}\n");
    assertEquals(DONE, st.outcome());
    assertEquals(2, st.tokenChunks());
    assertEquals(1, st.reasoningChunks());
    assertEquals(10, st.firstTokenNanos());
    assertEquals(20, st.firstOutputNanos());
    assertEquals(Set.of(OutputKind.REASONING, OutputKind.CONTENT), st.kinds());
    assertNull(st.server().get("decode_tokens_per_s"), "no rate from a zero duration");
    assertEquals(2L, st.serverOutputTokens());
  }

  @Test
  void ollamaGenerateThinking() {
    StreamState st =
        run(Protocol.OLLAMA_GENERATE,
            "{\"response\":\"\",\"thinking\":\"hm\",\"done\":false}\n{\"response\":\"ok\",\"done\":false}\n");
    assertEquals(RUNNING, st.outcome(), "no done:true line");
    assertEquals(2, st.tokenChunks());
  }

  @Test
  void ollamaToolCallCounts() {
    StreamState st =
        run(Protocol.OLLAMA_CHAT,
            "{\"message\":{\"role\":\"assistant\",\"content\":\"\",\"tool_calls\":[{\"function\":"
                + "{\"name\":\"get_weather\",\"arguments\":{\"city\":\"Paris\"}}}]},\"done\":false}\n");
    assertEquals(1, st.tokenChunks());
    assertEquals(Set.of(OutputKind.TOOL_CALL), st.kinds());
  }

  @Test
  void ollamaCrlfAndNoFinalNewline() {
    StreamState st =
        run(Protocol.OLLAMA_GENERATE, "{\"response\":\"a\",\"done\":false}\r", "\n\r\n",
            "{\"response\":\"\",\"done\":true,\"eval_count\":1}");
    assertEquals(DONE, st.outcome());
    assertEquals(2, st.events());
    assertEquals(1, st.tokenChunks());
  }

  @Test
  void ollamaMalformedLine() {
    StreamState st = run(Protocol.OLLAMA_GENERATE, "{\"response\":\"a\",\"done\":fal\n");
    assertEquals(MALFORMED, st.outcome());
  }

  @Test
  void tgiSpecialTokenIsNotOutput() {
    StreamState st =
        run(Protocol.TGI,
            "data:{\"index\":1,\"token\":{\"id\":5,\"text\":\"Hi\",\"logprob\":-0.1,\"special\":false},"
                + "\"generated_text\":null,\"details\":null}\n\n",
            "data:{\"index\":2,\"token\":{\"id\":2,\"text\":\"</s>\",\"logprob\":-0.1,\"special\":true},"
                + "\"generated_text\":\"Hi\",\"details\":{\"finish_reason\":\"eos_token\","
                + "\"generated_tokens\":2,\"seed\":42}}\n\n");
    assertEquals(DONE, st.outcome());
    assertEquals(1, st.tokenChunks());
    assertEquals(2L, st.serverOutputTokens(), "the server counts the end token");
    assertEquals("eos_token", st.finishReason());
    assertEquals(42L, st.server().get("seed"));
    assertEquals("Hi", st.content());
  }

  @Test
  void tgiInStreamError() {
    // TGI's router turns an InferError into a plain data event {"error","error_type"}
    StreamState st =
        run(Protocol.TGI,
            "data:{\"index\":1,\"token\":{\"id\":5,\"text\":\"Hi\",\"special\":false},"
                + "\"generated_text\":null,\"details\":null}\n\n",
            "data:{\"error\":\"Request failed during generation: Server error: CUDA out of memory\","
                + "\"error_type\":\"generation\"}\n\n");
    assertEquals(STREAM_ERROR, st.outcome());
    assertEquals("Request failed during generation: Server error: CUDA out of memory", st.error());
    assertEquals("generation", st.server().get("error_type"));
  }

  @Test
  void tgiWithoutFinalEventIsRunning() {
    StreamState st =
        run(Protocol.TGI,
            "data:{\"index\":1,\"token\":{\"id\":5,\"text\":\"Hi\",\"special\":false},"
                + "\"generated_text\":null,\"details\":null}\n\n");
    assertEquals(RUNNING, st.outcome());
  }

  @Test
  void llamaCppStopWithoutTimings() {
    StreamState st =
        run(Protocol.LLAMACPP,
            "data: {\"index\":0,\"content\":\"a\",\"stop\":false}\n\n",
            "data: {\"index\":0,\"content\":\"\",\"stop\":true,\"stop_type\":\"eos\"}\n\n");
    assertEquals(DONE, st.outcome());
    assertEquals(1, st.tokenChunks());
    assertNull(st.serverOutputTokens(), "no timings, no server count");
    assertEquals("eos", st.finishReason());
  }

  @Test
  void llamaCppSeveralPromptsAreDoneWhenAllStopped() {
    StreamState st =
        run(Protocol.LLAMACPP,
            "data: {\"index\":0,\"content\":\"a\",\"stop\":false}\n\n",
            "data: {\"index\":1,\"content\":\"b\",\"stop\":false}\n\n",
            "data: {\"index\":0,\"content\":\"\",\"stop\":true}\n\n");
    assertEquals(RUNNING, st.outcome());
    assertEquals(2, st.choices());
  }

  @Test
  void llamaCppErrorEvent() {
    StreamState st =
        run(Protocol.LLAMACPP,
            "data: {\"error\":{\"code\":500,\"message\":\"slot unavailable\",\"type\":\"server_error\"}}\n\n");
    assertEquals(STREAM_ERROR, st.outcome());
    assertEquals("slot unavailable", st.error());
  }
}
