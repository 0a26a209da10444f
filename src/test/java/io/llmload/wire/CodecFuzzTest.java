package io.llmload.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Seeded fuzzing of every codec with random bytes, truncations and mutations of the real captures:
 * a parser must never throw, never hang, and leave the state in one of its outcomes with a reason
 * wherever the outcome is an error. A failure prints the seed that reproduces it.
 */
class CodecFuzzTest {

  private static final long SEED = 20261122L;
  private static final int ROUNDS_PER_PROTOCOL = 600;

  /** Pieces that steer mutations toward the framing and JSON edge cases. */
  private static final String[] TOKENS = {
    "\r", "\n", "\r\n", "\n\n", ":", "data:", "data: ", "event: error\n", "error: ", "{", "}", "[",
    "]", "\"", "\\", "\\u", "[DONE]", "null", "true", "-1", "1e999", "99999999999999999999",
    "\"index\":", "\"choices\":[", "\"error\":", "\"done\":true", "\"stop\":true", "\"type\":\"response.completed\"", "\"type\":\"message_stop\"",
    "\"type\":\"error\"", "\"delta\":", "\"usage\":{", "\u00e9", "\uD83D\uDE0A",
  };

  private static List<byte[]> captures() throws IOException {
    List<byte[]> out = new ArrayList<>();
    try (Stream<Path> files = Files.walk(Fixtures.root())) {
      for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
        if (!f.getFileName().toString().endsWith(".md")) {
          out.add(Fixtures.stripHttp(Files.readAllBytes(f)));
        }
      }
    }
    assertTrue(out.size() >= 30, "expected the shared captures, found " + out.size());
    return out;
  }

  @Test
  void neverThrowsNeverHangsAlwaysClassified() throws IOException {
    List<byte[]> captures = captures();
    assertTimeoutPreemptively(
        Duration.ofSeconds(60),
        () -> {
          Random r = new Random(SEED);
          int parsed = 0;
          for (Protocol p : Protocol.values()) {
            for (int round = 0; round < ROUNDS_PER_PROTOCOL; round++) {
              long seed = r.nextLong();
              byte[] body = input(new Random(seed), captures);
              try {
                check(feed(p, body, new Random(seed ^ 0x5DEECE66DL)));
              } catch (Throwable t) {
                throw new AssertionError(p + " round " + round + " seed " + seed + ": " + t, t);
              }
              parsed++;
            }
          }
          assertEquals(Protocol.values().length * ROUNDS_PER_PROTOCOL, parsed);
        });
  }

  @Test
  void anySplitOfAMutatedCaptureReadsLikeTheWhole() throws IOException {
    List<byte[]> captures = captures();
    assertTimeoutPreemptively(
        Duration.ofSeconds(60),
        () -> {
          Random r = new Random(SEED + 1);
          for (Protocol p : Protocol.values()) {
            for (int round = 0; round < 200; round++) {
              long seed = r.nextLong();
              byte[] body = input(new Random(seed), captures);
              Fixtures.Snapshot whole = Fixtures.snapshot(Fixtures.whole(p, body));
              Fixtures.Snapshot split = Fixtures.snapshot(Fixtures.pieces(p, body, seed, 1 + (int) (seed & 63)));
              assertEquals(whole, split, p + " round " + round + " seed " + seed);
            }
          }
        });
  }

  /** The whole-body parsers of {@code stream=false}: any bytes, any split, the same state. */
  @Test
  void wholeAnswersOfEveryProtocolNeverThrowAndReadAlikeInPieces() throws IOException {
    List<byte[]> captures = captures();
    assertTimeoutPreemptively(
        Duration.ofSeconds(60),
        () -> {
          Random r = new Random(SEED + 2);
          for (Protocol p : Protocol.values()) {
            StreamCodec codec = StreamCodec.of(p, StreamCodec.MAX_TOKENS, false);
            for (int round = 0; round < 150; round++) {
              long seed = r.nextLong();
              byte[] body = input(new Random(seed), captures);
              try {
                StreamState whole = new StreamState(true);
                StreamParser one = codec.newParser();
                one.feed(body, 0, body.length, 1, whole);
                one.end(2, whole);
                check(whole);
                assertEquals(0, whole.firstTokenNanos(), "a whole answer has no token instants");
                StreamState split = new StreamState(true);
                StreamParser pieces = codec.newParser();
                Random cut = new Random(seed ^ 0x5DEECE66DL);
                for (int i = 0; i < body.length; ) {
                  int n = Math.min(body.length - i, 1 + cut.nextInt(64));
                  pieces.feed(body, i, n, 1 + i, split);
                  i += n;
                }
                pieces.end(2, split);
                assertEquals(Fixtures.snapshot(whole), Fixtures.snapshot(split));
              } catch (Throwable t) {
                throw new AssertionError(p + " whole, round " + round + " seed " + seed + ": " + t, t);
              }
            }
          }
        });
  }

  @Test
  void hugeSingleLineIsBoundedAndDoesNotBuffer() {
    // 40 MiB of one line without a newline: more than the 16 MiB bound, fed in 64 KiB reads
    assertTimeoutPreemptively(
        Duration.ofSeconds(30),
        () -> {
          for (Protocol p : Protocol.values()) {
            StreamState st = new StreamState(false);
            StreamParser parser = StreamCodec.of(p).newParser();
            byte[] piece = new byte[64 * 1024];
            java.util.Arrays.fill(piece, (byte) 'a');
            byte[] head = "data: ".getBytes(StandardCharsets.US_ASCII);
            parser.feed(head, 0, head.length, 1, st);
            for (int i = 0; i < 640; i++) {
              parser.feed(piece, 0, piece.length, 1, st);
            }
            parser.end(2, st);
            assertEquals(StreamState.Outcome.MALFORMED, st.outcome(), p.id());
            // embeddings and rerank answers are whole bodies, bounded as a whole
            assertTrue(st.error().startsWith(p.generates() ? "event larger than" : "body larger than"), st.error());
          }
        });
  }

  private static byte[] input(Random r, List<byte[]> captures) {
    int mode = r.nextInt(10);
    if (mode == 0) { // random bytes
      byte[] b = new byte[r.nextInt(4096)];
      r.nextBytes(b);
      return b;
    }
    byte[] base = captures.get(r.nextInt(captures.size()));
    if (mode == 1) { // truncation
      return java.util.Arrays.copyOf(base, r.nextInt(base.length + 1));
    }
    return mutate(r, base);
  }

  private static byte[] mutate(Random r, byte[] base) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(base.length + 64);
    out.writeBytes(base);
    byte[] b = out.toByteArray();
    int edits = 1 + r.nextInt(8);
    for (int e = 0; e < edits && b.length > 0; e++) {
      int at = r.nextInt(b.length);
      switch (r.nextInt(5)) {
        case 0 -> b[at] = (byte) r.nextInt(256); // flip a byte
        case 1 -> { // delete a range
          int n = Math.min(b.length - at, r.nextInt(64));
          byte[] c = new byte[b.length - n];
          System.arraycopy(b, 0, c, 0, at);
          System.arraycopy(b, at + n, c, at, b.length - at - n);
          b = c;
        }
        case 2 -> { // insert a steering token
          byte[] t = TOKENS[r.nextInt(TOKENS.length)].getBytes(StandardCharsets.UTF_8);
          b = insert(b, at, t);
        }
        case 3 -> { // duplicate a range
          int n = Math.min(b.length - at, r.nextInt(256));
          b = insert(b, r.nextInt(b.length + 1), java.util.Arrays.copyOfRange(b, at, at + n));
        }
        default -> b = java.util.Arrays.copyOf(b, at); // truncate
      }
    }
    return b;
  }

  private static byte[] insert(byte[] b, int at, byte[] t) {
    byte[] c = new byte[b.length + t.length];
    System.arraycopy(b, 0, c, 0, at);
    System.arraycopy(t, 0, c, at, t.length);
    System.arraycopy(b, at, c, at + t.length, b.length - at);
    return c;
  }

  private static StreamState feed(Protocol p, byte[] body, Random r) {
    StreamState st = new StreamState(r.nextBoolean());
    StreamParser parser = StreamCodec.of(p).newParser();
    int i = 0;
    long t = 1;
    while (i < body.length) {
      int n = Math.min(body.length - i, 1 + r.nextInt(r.nextBoolean() ? 8 : 512));
      parser.feed(body, i, n, t++, st);
      i += n;
    }
    parser.end(t, st);
    return st;
  }

  private static void check(StreamState st) {
    assertNotNull(st.outcome());
    switch (st.outcome()) {
      case MALFORMED, STREAM_ERROR -> {
        assertNotNull(st.error());
        assertFalse(st.error().isEmpty());
        assertTrue(st.error().length() <= 400, "error text is bounded");
        assertFalse(st.error().contains("\n"), "error text is one line");
      }
      case RUNNING, DONE -> assertEquals(null, st.error());
    }
    assertTrue(st.tokenChunks() >= 0 && st.tokenChunks() <= st.events() * OpenAiChunkHandler.MAX_CHOICES);
    assertEquals(st.tokenChunks() > 0, st.firstTokenNanos() != 0);
    assertTrue(st.choices() <= OpenAiChunkHandler.MAX_CHOICES);
    // one gap per token after each sequence's first
    assertEquals(st.chunkTokenCount() - st.sequences(), st.gapCount());
    assertTrue(st.chunkTokenCount() >= st.tokenChunks());
  }
}
