package io.llmload.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The {@code h100-llamacpp-8b} profile against the real llama.cpp/H100 measurements, replaying the
 * fixture's run on one emulator: a 16-token warm-up request, then 1, 2, 4, 8, 16, 32 and 64 users in
 * that order, each for the fixture's number of rounds (20, 15, 14, 13, 11, 10, 6). The order matters:
 * the server's prompt cache fills during the 16-user level, and what a launch costs depends on it
 * (see {@link PromptCache}). Each round's users send together, as the fixture's did (see
 * {@link #rounds}), with the fixture's request (73-token prompt, max_tokens 128).
 *
 * <p>The profile was fitted on 1, 4 and 16 users (and 64); 2, 8 and 32 are held out. Every level
 * must come within 15 % of the table on aggregate tokens/s (tokens over the rounds' wall time, as
 * the fixture's) and TTFT p50 (over every request of the level, as the table's).
 */
class H100CalibrationTest {
  private static final ObjectMapper M = new ObjectMapper();
  private static final Path LEVELS = Path.of("src", "test", "resources", "fixtures", "gpu", "nvidia-h100", "llamacpp-cuda", "llamacpp-cuda-levels.json");
  private static final String BODY = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":"
      + "\"Write a Python function that returns the n-th Fibonacci number, then explain its time complexity.\"}],"
      + "\"max_tokens\":128,\"stream\":true}";
  private static final int[][] LEVEL_ROUNDS = {{1, 20}, {2, 15}, {4, 14}, {8, 13}, {16, 11}, {32, 10}, {64, 6}};
  private static final java.util.Set<Integer> HELD_OUT = java.util.Set.of(2, 8, 32);
  private static final double BOUND = 0.15;

  record Sample(double ttftMs, int tokens) {}

  record Level(double aggTokensPerS, double ttftP50Ms, int requests) {}

  @Test
  void theFixturesRunReplayedMatchesTheMeasuredServer() throws Exception {
    assertTrue(Files.isRegularFile(LEVELS), "fixture missing: " + LEVELS.toAbsolutePath()
        + " (the real captures are committed under src/test/resources/fixtures; run from the repository root)");
    JsonNode table = M.readTree(LEVELS.toFile());
    // warm the request path (JIT) on a throwaway server, so that the measured one's cache sees only
    // the fixture's requests
    try (Emulator e = Emulator.start(EmulatorConfig.defaults().profile("h100-llamacpp-8b"));
        RawHttp h = new RawHttp(e.port())) {
      for (int i = 0; i < 16; i++) {
        h.send("POST", "/v1/chat/completions", BODY.replace("\"max_tokens\":128", "\"max_tokens\":1"));
      }
    }
    List<String> report = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    try (Emulator e = Emulator.start(EmulatorConfig.defaults().profile("h100-llamacpp-8b"))) {
      try (RawHttp h = new RawHttp(e.port())) {
        h.send("POST", "/v1/chat/completions", BODY.replace("\"max_tokens\":128", "\"max_tokens\":16"));
      }
      for (int[] level : LEVEL_ROUNDS) {
        int users = level[0];
        JsonNode real = null;
        for (JsonNode row : table) {
          if (row.get("concurrency").asInt() == users) {
            real = row;
          }
        }
        double realAgg = real.get("agg_tokens_per_s").asDouble();
        double realTtft = real.get("ttft_ms_p50").asDouble();
        Level got = rounds(e.port(), users, level[1]);
        double aggErr = (got.aggTokensPerS() - realAgg) / realAgg;
        double ttftErr = (got.ttftP50Ms() - realTtft) / realTtft;
        String line = String.format(Locale.ROOT, "users %2d%s: %6.1f tok/s vs %6.1f (%+5.1f%%), TTFT p50 %5.1f ms vs %5.1f (%+5.1f%%), %d requests",
            users, HELD_OUT.contains(users) ? " (held out)" : "", got.aggTokensPerS(), realAgg, aggErr * 100,
            got.ttftP50Ms(), realTtft, ttftErr * 100, got.requests());
        report.add(line);
        if (Math.abs(aggErr) > BOUND || Math.abs(ttftErr) > BOUND) {
          failures.add(line);
        }
      }
    }
    System.out.println("h100-llamacpp-8b calibration (emulated vs measured):\n  " + String.join("\n  ", report));
    assertEquals(List.of(), failures);
  }

  /**
   * Runs {@code users} clients for {@code count} rounds: all send together, each on its own
   * keep-alive connection, and the next round starts when the last stream of this one has ended.
   * That is how the fixture's users moved: every level's request count is a multiple of its
   * concurrency, and the server's {@code n_decode_total} (11,408) equals the warm-up's 16 decodes
   * plus Σ 128 × requests / users over the levels, i.e. every decode carried all c streams, so
   * each level's users ran as one wave in lock step. In a free closed loop a wave that splits once
   * (one user read 3 ms late on a busy machine) stays split for the rest of the run, which is a
   * property of the client, not of the server being calibrated. One thread with a selector sends a
   * round within microseconds.
   */
  static Level rounds(int port, int users, int count) throws Exception {
    byte[] request = ("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:" + port
        + "\r\nx-emulator-prompt-tokens: 73\r\nContent-Type: application/json\r\nContent-Length: "
        + BODY.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + BODY).getBytes(StandardCharsets.UTF_8);
    List<Sample> samples = new ArrayList<>();
    long wallNanos = 0;
    try (Selector sel = Selector.open()) {
      List<User> all = new ArrayList<>();
      for (int u = 0; u < users; u++) {
        SocketChannel ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        ch.configureBlocking(false);
        User user = new User(ch);
        ch.register(sel, SelectionKey.OP_READ, user);
        all.add(user);
      }
      ByteBuffer buf = ByteBuffer.allocate(1 << 16);
      for (int r = 0; r < count; r++) {
        long roundStart = System.nanoTime();
        for (User user : all) {
          user.send(request);
        }
        long giveUp = roundStart + 30_000_000_000L;
        int ended = 0;
        long now = roundStart;
        while (ended < users) {
          if (System.nanoTime() > giveUp) {
            throw new AssertionError("a round of " + users + " users did not finish in 30 s");
          }
          sel.select(1000);
          now = System.nanoTime();
          for (SelectionKey k : sel.selectedKeys()) {
            User user = (User) k.attachment();
            buf.clear();
            int n = user.ch.read(buf);
            if (n < 0) {
              throw new AssertionError("server closed a connection");
            }
            user.append(buf.array(), n, now);
            if (user.ended()) {
              samples.add(new Sample((user.firstToken - user.sent) / 1e6, user.tokens()));
              user.idle();
              ended++;
            }
          }
          sel.selectedKeys().clear();
        }
        wallNanos += now - roundStart;
      }
      for (User user : all) {
        user.ch.close();
      }
    }
    List<Double> ttft = new ArrayList<>();
    for (Sample s : samples) {
      assertEquals(128, s.tokens());
      ttft.add(s.ttftMs());
    }
    assertEquals(users * count, ttft.size());
    Collections.sort(ttft);
    double p50 = ttft.size() % 2 == 1 ? ttft.get(ttft.size() / 2) : (ttft.get(ttft.size() / 2 - 1) + ttft.get(ttft.size() / 2)) / 2;
    return new Level((double) users * 128 * count / (wallNanos / 1e9), p50, ttft.size());
  }

  /** One closed-loop user: its connection and the response being read. */
  private static final class User {
    private static final String TOKEN = "\"delta\":{\"content\":\"";
    final SocketChannel ch;
    final StringBuilder text = new StringBuilder(64 * 1024);
    long sent;
    long firstToken;

    User(SocketChannel ch) {
      this.ch = ch;
    }

    void send(byte[] request) throws IOException {
      text.setLength(0);
      firstToken = 0;
      sent = System.nanoTime();
      ByteBuffer b = ByteBuffer.wrap(request);
      while (b.hasRemaining()) {
        ch.write(b);
      }
    }

    /** Counted: the next read (none before the next send) must not count this stream again. */
    void idle() {
      text.setLength(0);
    }

    void append(byte[] data, int n, long now) {
      int from = Math.max(0, text.length() - TOKEN.length());
      text.append(new String(data, 0, n, StandardCharsets.ISO_8859_1));
      if (firstToken == 0 && text.indexOf(TOKEN, from) >= 0) {
        firstToken = now;
      }
    }

    /** The chunked body's terminator after the stream's [DONE]. */
    boolean ended() {
      int len = text.length();
      return len > 5 && text.charAt(len - 1) == '\n' && text.lastIndexOf("\r\n0\r\n\r\n") == len - 7
          && text.indexOf("data: [DONE]") >= 0;
    }

    int tokens() {
      int n = 0;
      for (int i = text.indexOf(TOKEN); i >= 0; i = text.indexOf(TOKEN, i + 1)) {
        n++;
      }
      return n;
    }
  }
}
