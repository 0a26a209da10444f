package io.llmload.dsl;

import static io.llmload.dsl.LlmDsl.llm;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.gatling.javaapi.core.Session;
import io.llmload.emulator.Emulator;
import io.llmload.emulator.EmulatorConfig;
import io.llmload.emulator.GroundTruth;
import io.llmload.emulator.Param;
import io.llmload.wire.Protocol;
import io.llmload.wire.RequestSpec;
import io.llmload.wire.StreamCodec;
import io.llmload.wire.StreamParser;
import io.llmload.wire.StreamState;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Requests as the DSL assembles them, sent to the embedded emulator, whose own reading of the body
 * (prompt length, output bound) is the reference: user body fields keep the suite's, and a
 * conversation goes out whole on every protocol.
 */
class RequestsToEmulatorTest {
  private static final int MAX_TOKENS = 6;
  private static final AtomicInteger IDS = new AtomicInteger();
  private static Emulator emu;
  private static HttpClient http;

  @BeforeAll
  static void start() {
    // a fast model; an output length far from MAX_TOKENS when the request loses its bound
    emu = Emulator.start(EmulatorConfig.defaults()
        .with(Param.STEP_BASE_MS, 1).with(Param.STEP_PER_SEQ_MS, 0)
        .with(Param.PREFILL_BASE_MS, 1).with(Param.PREFILL_PER_TOKEN_MS, 0)
        .with(Param.DEFAULT_MAX_TOKENS, 20));
    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  @AfterAll
  static void stop() {
    emu.close();
  }

  private record Sent(StreamState state, GroundTruth truth) {}

  private static Sent send(Protocol p, LlmRequestActionBuilder b, Session session) throws Exception {
    LlmConfig config = LlmDsl.llm.target(emu.baseUrl()).protocol(p).model("m").config();
    RequestAssembly.checkBeforeLoad(b.request(), config);
    RequestSpec spec = RequestAssembly.spec(b.request(), config, session);
    StreamCodec codec = StreamCodec.of(p);
    String id = "dsl-" + IDS.incrementAndGet();
    HttpRequest.Builder req =
        HttpRequest.newBuilder(URI.create(emu.baseUrl() + codec.path()))
            .timeout(Duration.ofSeconds(10))
            .header("content-type", "application/json")
            .header("x-request-id", id)
            .POST(HttpRequest.BodyPublishers.ofByteArray(codec.body(spec)));
    for (var h : RequestAssembly.headers(b.request(), config, session)) req.header(h.getKey(), h.getValue());
    HttpResponse<InputStream> resp = http.send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, resp.statusCode(), p.id());
    StreamState st = new StreamState(false);
    StreamParser parser = codec.newParser();
    byte[] buf = new byte[4096];
    try (InputStream in = resp.body()) {
      for (int n; (n = in.read(buf)) > 0; ) parser.feed(buf, 0, n, System.nanoTime(), st);
    }
    parser.end(System.nanoTime(), st);
    assertEquals(StreamState.Outcome.DONE, st.outcome(), p + ": " + st.error());
    GroundTruth truth = emu.groundTruth(id);
    assertNotNull(truth, id);
    return new Sent(st, truth);
  }

  /** The nested object each native protocol keeps its output bound in, merged with a user field. */
  @ParameterizedTest
  @EnumSource(value = Protocol.class, names = {"TGI", "OLLAMA_GENERATE", "OLLAMA_CHAT"})
  void aUserObjectFromTheSessionMergesIntoTheSuitesAndKeepsTheBound(Protocol p) throws Exception {
    String field = p == Protocol.TGI ? "parameters" : "options";
    Session s = TestSessions.of(Map.of("t", 0.5));
    Sent r = send(p, llm("r").prompt("Count to ten").maxTokens(MAX_TOKENS)
        .body(field, x -> Map.of("temperature", x.getDouble("t"))), s);
    assertEquals(MAX_TOKENS, r.truth().outputTokens(), p + ": the emulator saw the output bound");
    assertEquals(MAX_TOKENS, r.state().serverOutputTokens(), p + ": the server's count arrived");
  }

  @ParameterizedTest
  @EnumSource(value = Protocol.class, mode = EnumSource.Mode.EXCLUDE, names = {"OPENAI_EMBEDDINGS", "RERANK"})
  void aConversationGoesOutWholeOnEveryProtocol(Protocol p) throws Exception {
    List<Map<String, Object>> turns =
        List.of(Map.of("role", "user", "content", "Write a short poem about the sea and its tides."),
            Map.of("role", "assistant", "content", "Waves rise and fall beneath the silver moon tonight."),
            Map.of("role", "user", "content", "Now one about mountains."));
    Session s = TestSessions.of(Map.of("prompt", "Now one about mountains.", "messages", turns));
    // as the suite's simulations ask: the last user turn as prompt, the conversation beside it
    Sent r = send(p, llm("r").prompt("#{prompt}").messages("#{messages}").maxTokens(MAX_TOKENS), s);
    String text = p.sendsMessages()
        ? String.join("", turns.stream().map(m -> (String) m.get("content")).toList())
        : String.join("\n", turns.stream().map(m -> (String) m.get("content")).toList());
    assertEquals((text.length() + 3) / 4, r.truth().promptTokens(), p + ": prompt tokens of the whole conversation");
  }
}
