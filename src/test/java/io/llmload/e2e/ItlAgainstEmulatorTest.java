package io.llmload.e2e;

import static org.junit.jupiter.api.Assertions.*;

import io.llmload.client.ExchangeResult;
import io.llmload.client.Status;
import io.llmload.client.StreamRequest;
import io.llmload.client.StreamingClient;
import io.llmload.client.Target;
import io.llmload.emulator.Emulator;
import io.llmload.emulator.EmulatorConfig;
import io.llmload.emulator.Param;
import io.llmload.wire.Protocol;
import io.llmload.wire.StreamCodec;
import io.llmload.wire.StreamState;
import io.llmload.wire.Tpot;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ITL and TPOT against the emulator's fixed-rate mode, whose answer is known: every sequence gets
 * {@code tokensPerChunk} tokens every 1/rate s (40 ms here), whatever else runs. With two choices
 * each sequence's gaps are the schedule's; with 4-token events and vLLM's continuous usage, each
 * token's gap is 40/4 = 10 ms.
 */
class ItlAgainstEmulatorTest {
  private static final double INTERVAL_MS = 40;
  private static Emulator emu;
  private static MultiThreadIoEventLoopGroup group;
  private static StreamingClient client;

  @BeforeAll
  static void start() {
    emu = Emulator.start(EmulatorConfig.defaults().profile("fixed-rate").with(Param.TOKENS_PER_SECOND, 1000 / INTERVAL_MS)
        .with(Param.PREFILL_MS, 5));
    group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    client = new StreamingClient(Target.parse(emu.baseUrl()), NioSocketChannel::new, null, 2000, null);
  }

  @AfterAll
  static void stop() throws InterruptedException {
    client.close();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
    emu.close();
  }

  @Test
  void twoChoicesGiveEachSequencesGaps() throws Exception {
    StreamState st = send("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":12,\"n\":2,"
        + "\"stream\":true,\"stream_options\":{\"include_usage\":true}}", Map.of());
    assertEquals(2, st.choices());
    assertEquals(22, st.gapCount(), "11 gaps per sequence");
    Double tpot = Tpot.ms(st.usageCompletionTokens(), st);
    assertNotNull(tpot);
    assertEquals(INTERVAL_MS, tpot, INTERVAL_MS * 0.1, "TPOT per sequence, not per interleaved chunk");
  }

  @Test
  void fourTokenEventsWithContinuousUsageGiveQuarterGaps() throws Exception {
    StreamState st = send("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":16,"
        + "\"stream\":true,\"stream_options\":{\"include_usage\":true,\"continuous_usage_stats\":true}}",
        Map.of("x-emulator-tokens-per-chunk", "4", "x-emulator-tokens-per-event", "4"));
    assertEquals(4, st.tokenChunks(), "four events of four tokens");
    assertEquals(16, st.chunkTokenCount());
    assertEquals(15, st.gapCount());
    assertEquals(4, st.serverCountedChunks());
    long quarter = 0;
    for (int i = 0; i < st.gapEntries(); i++) {
      double g = st.gaps()[i] / 1e6;
      if (Math.abs(g - INTERVAL_MS / 4) < INTERVAL_MS / 4 * 0.25) quarter += st.gapWeights()[i];
    }
    assertEquals(12, quarter, "three later events of four tokens, each token 10 ms apart");

    // the same stream without the server's per-chunk counts: each event counts as one token
    StreamState plain = send("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":16,"
        + "\"stream\":true,\"stream_options\":{\"include_usage\":true}}",
        Map.of("x-emulator-tokens-per-chunk", "4", "x-emulator-tokens-per-event", "4"));
    assertEquals(3, plain.gapCount());
    assertEquals(0, plain.serverCountedChunks());
    assertEquals(16L, plain.usageCompletionTokens());
  }

  @Test
  void llamaCppEventsSayTheirTokens() throws Exception {
    StreamState st = send(Protocol.LLAMACPP, "{\"prompt\":\"hi\",\"n_predict\":8,\"stream\":true}",
        Map.of("x-emulator-tokens-per-chunk", "4", "x-emulator-tokens-per-event", "4"));
    assertEquals(2, st.tokenChunks());
    assertEquals(7, st.gapCount());
    assertEquals(8L, st.serverOutputTokens());
  }

  private static StreamState send(String body, Map<String, String> headers) throws Exception {
    return send(Protocol.OPENAI_CHAT, body, headers);
  }

  private static StreamState send(Protocol p, String body, Map<String, String> headers) throws Exception {
    StreamCodec codec = StreamCodec.of(p);
    StreamState st = new StreamState(false);
    StreamRequest req = new StreamRequest("itl-" + System.nanoTime(), codec.path(), body.getBytes(StandardCharsets.UTF_8),
        List.copyOf(headers.entrySet()), codec.newParser(), st, TimeUnit.SECONDS.toNanos(10), TimeUnit.SECONDS.toNanos(5));
    CompletableFuture<ExchangeResult> f = new CompletableFuture<>();
    client.execute(group.next(), req, f::complete);
    ExchangeResult r = f.get(20, TimeUnit.SECONDS);
    assertEquals(Status.OK, r.status(), r.error());
    return st;
  }
}
