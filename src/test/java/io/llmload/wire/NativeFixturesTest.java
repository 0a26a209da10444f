package io.llmload.wire;

import static io.llmload.wire.StreamState.Outcome.DONE;
import static io.llmload.wire.StreamState.Outcome.RUNNING;
import static io.llmload.wire.StreamState.Outcome.STREAM_ERROR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The native captures of Ollama (NDJSON), TGI ({@code /generate_stream}) and llama.cpp ({@code
 * /completion}). Counts were taken from the files with a separate Python reading and are checked
 * again by regular expressions over the raw bytes.
 */
class NativeFixturesTest {

  static Stream<Arguments> captures() {
    return Stream.of(
        Arguments.of(Protocol.OLLAMA_GENERATE, "ollama-native/langchaingo-api-generate-gemma3.ndjson"),
        Arguments.of(Protocol.OLLAMA_CHAT, "ollama-native/langchaingo-api-chat-gemma3.ndjson"),
        Arguments.of(Protocol.OLLAMA_GENERATE, "errors/ollama-docs-midstream-error.ndjson"),
        Arguments.of(Protocol.OLLAMA_CHAT, "errors/ollama-pr718-404-model-not-found.json"),
        Arguments.of(Protocol.TGI, "tgi-native/semantic-kernel-tgi-generate-stream-150tok.sse"),
        Arguments.of(Protocol.TGI, "tgi-native/hfhub-tgi-generate-stream-flant5-details.sse"),
        Arguments.of(Protocol.TGI, "tgi-native/hfhub-tgi-generate-stream-gpt2-details.sse"),
        Arguments.of(Protocol.TGI, "errors/hfhub-tgi-422-validation.json"),
        Arguments.of(Protocol.TGI, "errors/hfhub-hf-inference-503-model-loading.json"),
        Arguments.of(Protocol.LLAMACPP, "llamacpp-server/native-completion-stream.sse"),
        Arguments.of(Protocol.LLAMACPP, "llamacpp-native/llamacpp-pr10720-ngxson-completion-trimmed.sse"),
        Arguments.of(Protocol.OPENAI_CHAT, "errors/langchaingo-openrouter-429.http"),
        Arguments.of(Protocol.OPENAI_CHAT, "llamacpp-server/error-bad-json.http"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("captures")
  void sameResultInAnyPieces(Protocol protocol, String file) {
    byte[] body = Fixtures.body(file);
    Fixtures.Snapshot whole = Fixtures.snapshot(Fixtures.whole(protocol, body));
    for (long seed = 1; seed <= 5; seed++) {
      assertEquals(whole, Fixtures.snapshot(Fixtures.pieces(protocol, body, seed, 61)), "seed " + seed);
    }
    assertEquals(whole, Fixtures.snapshot(Fixtures.byteByByte(protocol, body)), "byte by byte");
  }

  @Test
  void ollamaGenerate() {
    byte[] body = Fixtures.body("ollama-native/langchaingo-api-generate-gemma3.ndjson");
    StreamState st = Fixtures.whole(Protocol.OLLAMA_GENERATE, body);
    assertEquals(DONE, st.outcome());
    assertEquals(22, st.events());
    // 22 lines; the last, done:true, has "response":""
    assertEquals(21, st.tokenChunks());
    assertEquals(Fixtures.countRegex(body, "\"response\":\"[^\"]"), st.tokenChunks());
    assertEquals(Set.of(OutputKind.CONTENT), st.kinds());
    assertEquals("stop", st.finishReason());
    assertEquals(22L, st.serverOutputTokens(), "eval_count");
    assertEquals("eval_count", st.serverOutputTokensSource());
    assertEquals(16L, st.usagePromptTokens(), "prompt_eval_count");
    Map<String, Object> s = st.server();
    assertEquals(22L, s.get("eval_count"));
    assertEquals(108922125L, s.get("eval_duration_ns"));
    assertEquals(16L, s.get("prompt_eval_count"));
    assertEquals(40168500L, s.get("prompt_eval_duration_ns"));
    assertEquals(40691625L, s.get("load_duration_ns"));
    assertEquals(190084083L, s.get("total_duration_ns"));
    assertEquals("stop", s.get("done_reason"));
    // 22 / 0.108922125 s
    assertEquals(201.98, (Double) s.get("decode_tokens_per_s"), 0.01);
    assertEquals("gemma3:1b", s.get("model"));
    assertEquals("Okay, here we go!\n\n1, 2, 3, 4, 5\n", st.content());
  }

  @Test
  void ollamaChat() {
    byte[] body = Fixtures.body("ollama-native/langchaingo-api-chat-gemma3.ndjson");
    StreamState st = Fixtures.whole(Protocol.OLLAMA_CHAT, body);
    assertEquals(DONE, st.outcome());
    assertEquals(22, st.events());
    assertEquals(21, st.tokenChunks());
    assertEquals(Fixtures.countRegex(body, "\"content\":\"[^\"]"), st.tokenChunks());
    assertEquals(22L, st.serverOutputTokens());
    assertEquals(105611917L, st.server().get("eval_duration_ns"));
    assertEquals(27608250L, st.server().get("prompt_eval_duration_ns"));
    assertEquals(22 * 1e9 / 105611917L, (Double) st.server().get("decode_tokens_per_s"), 1e-9);
    assertEquals("stop", st.finishReason());
  }

  @Test
  void ollamaErrorMidStream() {
    StreamState st =
        Fixtures.whole(Protocol.OLLAMA_GENERATE, Fixtures.body("errors/ollama-docs-midstream-error.ndjson"));
    assertEquals(STREAM_ERROR, st.outcome());
    assertEquals("an error was encountered while running the model", st.error());
    assertEquals(5, st.events());
    assertEquals(4, st.tokenChunks());
    assertNull(st.serverOutputTokens());
  }

  @Test
  void ollamaErrorBody() {
    StreamState st =
        Fixtures.whole(Protocol.OLLAMA_CHAT, Fixtures.body("errors/ollama-pr718-404-model-not-found.json"));
    assertEquals(STREAM_ERROR, st.outcome());
    assertEquals("model 'mistral' not found, try pulling it first", st.error());
  }

  @Test
  void tgi150Tokens() {
    byte[] body = Fixtures.body("tgi-native/semantic-kernel-tgi-generate-stream-150tok.sse");
    StreamState st = Fixtures.whole(Protocol.TGI, body);
    assertEquals(DONE, st.outcome());
    assertEquals(150, st.events());
    assertEquals(150, st.tokenChunks());
    assertEquals(Fixtures.count(body, "\"special\":false"), st.tokenChunks());
    assertEquals(1, st.choices(), "TGI's index numbers tokens, not choices");
    assertEquals(150L, st.serverOutputTokens());
    assertEquals("generated_tokens", st.serverOutputTokensSource());
    assertEquals("length", st.finishReason());
    assertEquals(150L, st.server().get("generated_tokens"));
    assertNull(st.server().get("seed"), "seed is null in the capture");
  }

  @Test
  void tgiSingleEventIsFirstAndLast() {
    StreamState st =
        Fixtures.whole(Protocol.TGI, Fixtures.body("tgi-native/hfhub-tgi-generate-stream-flant5-details.sse"));
    assertEquals(DONE, st.outcome());
    assertEquals(1, st.events());
    assertEquals(1, st.tokenChunks(), "token text \" \" is output");
    assertEquals(1L, st.serverOutputTokens());
    StreamState gpt2 =
        Fixtures.whole(Protocol.TGI, Fixtures.body("tgi-native/hfhub-tgi-generate-stream-gpt2-details.sse"));
    assertEquals(DONE, gpt2.outcome());
    assertEquals(1L, gpt2.usagePromptTokens(), "details.input_length");
    assertEquals(".", gpt2.content());
  }

  @Test
  void tgiErrorBodies() {
    StreamState v = Fixtures.whole(Protocol.TGI, Fixtures.body("errors/hfhub-tgi-422-validation.json"));
    assertEquals(STREAM_ERROR, v.outcome());
    assertEquals("validation", v.server().get("error_type"));
    assertEquals(true, v.error().startsWith("Input validation error: "), v.error());
    StreamState l =
        Fixtures.whole(Protocol.TGI, Fixtures.body("errors/hfhub-hf-inference-503-model-loading.json"));
    assertEquals(STREAM_ERROR, l.outcome());
    assertEquals(true, l.error().endsWith("is currently loading"), l.error());
  }

  @Test
  void llamaCppNative() {
    byte[] body = Fixtures.body("llamacpp-server/native-completion-stream.sse");
    StreamState st = Fixtures.whole(Protocol.LLAMACPP, body);
    assertEquals(DONE, st.outcome());
    assertEquals(9, st.events());
    assertEquals(8, st.tokenChunks());
    assertEquals(Fixtures.countRegex(body, "\"content\":\"[^\"]"), st.tokenChunks());
    assertEquals(" notice do stay hot great nothing from well", st.content());
    assertEquals(8L, st.serverOutputTokens());
    assertEquals("timings", st.serverOutputTokensSource());
    assertEquals(9L, st.usagePromptTokens(), "tokens_evaluated");
    assertEquals("limit", st.finishReason());
    assertEquals("limit", st.server().get("stop_type"));
    assertEquals(8L, st.server().get("tokens_predicted"));
    @SuppressWarnings("unchecked")
    Map<String, Object> t = (Map<String, Object>) st.server().get("timings");
    assertEquals(8L, t.get("predicted_n"));
    assertEquals(1L, t.get("prompt_n"));
    assertEquals(8L, t.get("cache_n"));
    assertEquals(6.733, t.get("predicted_ms"));
    assertEquals(1039.6554284865588, t.get("predicted_per_second"));
  }

  @Test
  void llamaCppTrimmedHasTimingsButNoStop() {
    StreamState st =
        Fixtures.whole(
            Protocol.LLAMACPP,
            Fixtures.body("llamacpp-native/llamacpp-pr10720-ngxson-completion-trimmed.sse"));
    assertEquals(RUNNING, st.outcome(), "no stop:true event: the action calls it truncated");
    assertEquals(4, st.events());
    assertEquals(3, st.tokenChunks());
    assertEquals(4L, st.serverOutputTokens(), "timings.predicted_n of the 4th event");
  }

  @Test
  void unframedErrorBodiesOnAnSseCodec() {
    StreamState rate =
        Fixtures.whole(Protocol.OPENAI_CHAT, Fixtures.body("errors/langchaingo-openrouter-429.http"));
    assertEquals(STREAM_ERROR, rate.outcome());
    assertEquals(true, rate.error().startsWith("Rate limit exceeded: limit_rpm/"), rate.error());
    StreamState bad =
        Fixtures.whole(Protocol.OPENAI_CHAT, Fixtures.body("llamacpp-server/error-bad-json.http"));
    assertEquals(STREAM_ERROR, bad.outcome());
    assertEquals(true, bad.error().startsWith("[json.exception.parse_error.101]"), bad.error());
  }
}
