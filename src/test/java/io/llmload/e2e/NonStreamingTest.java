package io.llmload.e2e;

import static org.junit.jupiter.api.Assertions.*;

import io.llmload.client.ExchangeResult;
import io.llmload.client.Status;
import io.llmload.client.StreamRequest;
import io.llmload.client.StreamingClient;
import io.llmload.client.Target;
import io.llmload.emulator.Emulator;
import io.llmload.emulator.EmulatorConfig;
import io.llmload.emulator.GroundTruth;
import io.llmload.emulator.Param;
import io.llmload.wire.Protocol;
import io.llmload.wire.RequestSpec;
import io.llmload.wire.StreamCodec;
import io.llmload.wire.StreamState;
import io.llmload.wire.Tpot;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code stream=false} on every protocol, through the suite's client to the emulator: the whole
 * JSON answer is a success, its token count is the server's (checked against the emulator's
 * ground truth), and no token instant is made up: TTFT and inter-token gaps stay absent, TTFB is kept.
 */
class NonStreamingTest {
  private static final int MAX_TOKENS = 7;
  private static Emulator emu;
  private static MultiThreadIoEventLoopGroup group;
  private static StreamingClient client;

  @BeforeAll
  static void start() {
    emu = Emulator.start(EmulatorConfig.defaults()
        .with(Param.STEP_BASE_MS, 2).with(Param.STEP_PER_SEQ_MS, 0)
        .with(Param.PREFILL_BASE_MS, 2).with(Param.PREFILL_PER_TOKEN_MS, 0));
    group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    client = new StreamingClient(Target.parse(emu.baseUrl()), NioSocketChannel::new, null, 2000, null);
  }

  @AfterAll
  static void stop() throws InterruptedException {
    client.close();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
    emu.close();
  }

  @ParameterizedTest
  @EnumSource(value = Protocol.class, mode = EnumSource.Mode.EXCLUDE, names = {"OPENAI_EMBEDDINGS", "RERANK"})
  void aWholeAnswerIsASuccessWithTheServersCountsAndNoTokenTiming(Protocol p) throws Exception {
    StreamCodec codec = StreamCodec.of(p, StreamCodec.MAX_TOKENS, false);
    String id = "whole-" + p.id();
    List<Map.Entry<String, String>> headers = new ArrayList<>(codec.headers());
    headers.add(Map.entry("x-request-id", id));
    StreamState st = new StreamState(true);
    RequestSpec spec = new RequestSpec("m", "Write the Fibonacci numbers", null, MAX_TOKENS, null, true, Map.of());
    StreamRequest req = new StreamRequest(id, codec.path(), codec.body(spec), headers, codec.newParser(), st,
        TimeUnit.SECONDS.toNanos(10), TimeUnit.SECONDS.toNanos(5));
    CompletableFuture<ExchangeResult> f = new CompletableFuture<>();
    client.execute(group.next(), req, f::complete);
    ExchangeResult r = f.get(20, TimeUnit.SECONDS);

    assertEquals(Status.OK, r.status(), p + ": " + r.error());
    GroundTruth truth = emu.groundTruth(id);
    assertNotNull(truth, id);
    assertEquals(MAX_TOKENS, truth.outputTokens());
    Long server = st.usageCompletionTokens() != null ? st.usageCompletionTokens() : st.serverOutputTokens();
    assertEquals(MAX_TOKENS, server, p + ": the body's own count");
    assertEquals(0, st.firstTokenNanos(), p + ": no TTFT on a whole answer");
    assertEquals(0, st.firstOutputNanos());
    assertEquals(0, st.gapCount(), p + ": no inter-token gaps");
    assertNull(Tpot.ms(server, st), p + ": no TPOT");
    assertTrue(st.firstByteNanos() > 0, "TTFB is kept");
    assertTrue(st.whole());
    if (p == Protocol.TGI) {
      // /generate's timing headers, against the emulator's own instants
      Map<String, Object> s = st.server();
      assertEquals(truth.queueNanos() / 1_000_000, s.get("queue_time_ms"), "x-queue-time");
      long inference = (Long) s.get("inference_time_ms");
      assertTrue(inference >= (MAX_TOKENS - 1) * 2L, "7 steps of 2 ms after the first: " + inference);
      assertTrue((Long) s.get("time_per_token_ms") * MAX_TOKENS <= inference);
      assertTrue((Long) s.get("total_time_ms") >= inference);
      assertEquals(0L, s.get("validation_time_ms"));
    }
  }
}
