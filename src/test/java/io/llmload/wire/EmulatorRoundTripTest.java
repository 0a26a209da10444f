package io.llmload.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmload.emulator.Emulator;
import io.llmload.emulator.EmulatorConfig;
import io.llmload.emulator.Param;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each codec's request, sent over loopback to the embedded emulator (synthetic output), and its
 * streamed answer read back by the same codec as it arrives: the body is accepted, and the token
 * count the parser sees agrees with the count the server reports.
 */
class EmulatorRoundTripTest {

  private static final int MAX_TOKENS = 6;
  private static Emulator emu;

  @BeforeAll
  static void start() {
    // a fast model so each stream takes milliseconds
    emu = Emulator.start(EmulatorConfig.defaults()
        .with(Param.STEP_BASE_MS, 1).with(Param.STEP_PER_SEQ_MS, 0)
        .with(Param.PREFILL_BASE_MS, 2).with(Param.PREFILL_PER_TOKEN_MS, 0));
  }

  @AfterAll
  static void stop() {
    emu.close();
  }

  @ParameterizedTest
  @EnumSource(value = Protocol.class, mode = EnumSource.Mode.EXCLUDE, names = {"OPENAI_EMBEDDINGS", "RERANK"})
  void codecReadsWhatItAskedFor(Protocol protocol) throws Exception {
    StreamCodec codec = StreamCodec.of(protocol);
    RequestSpec spec = new RequestSpec("test-model", "Write the Fibonacci numbers", null, MAX_TOKENS, null, true, Map.of());
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpRequest.Builder req =
        HttpRequest.newBuilder(URI.create(emu.baseUrl() + codec.path()))
            .timeout(Duration.ofSeconds(10))
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(codec.body(spec)));
    for (var h : codec.headers()) req.header(h.getKey(), h.getValue());
    HttpResponse<InputStream> resp = http.send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, resp.statusCode());
    StreamState st = new StreamState(true);
    StreamParser parser = codec.newParser();
    byte[] buf = new byte[512];
    try (InputStream in = resp.body()) {
      for (int n; (n = in.read(buf)) > 0; ) {
        parser.feed(buf, 0, n, System.nanoTime(), st);
      }
    }
    parser.end(System.nanoTime(), st);

    assertEquals(StreamState.Outcome.DONE, st.outcome(), protocol + ": " + st.error());
    assertEquals(MAX_TOKENS, st.tokenChunks(), protocol.id());
    Long serverCount =
        st.usageCompletionTokens() != null ? st.usageCompletionTokens() : st.serverOutputTokens();
    assertEquals(MAX_TOKENS, serverCount, protocol + " server count");
    assertTrue(st.usagePromptTokens() != null && st.usagePromptTokens() > 0, protocol + " prompt tokens");
    assertTrue(st.firstTokenNanos() > 0 && st.lastTokenNanos() >= st.firstTokenNanos());
    assertEquals(MAX_TOKENS - 1, st.gapCount());
    assertEquals(java.util.Set.of("length", "limit", "max_output_tokens", "max_tokens").contains(st.finishReason()), true,
        protocol + " finish " + st.finishReason());
  }
}
