package io.llmload.wire;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/** Reads the shared real captures and feeds them to parsers in various pieces. */
final class Fixtures {

  private Fixtures() {}

  /** The captures, {@code src/test/resources/fixtures/streams} from the Maven basedir. */
  static Path root() {
    Path root = Path.of("src", "test", "resources", "fixtures", "streams");
    assertTrue(
        Files.isDirectory(root),
        "fixtures not found at " + root.toAbsolutePath().normalize()
            + ": run the tests from the repository root");
    return root;
  }

  /** A capture's body, with an HTTP status line and headers removed when the file has them. */
  static byte[] body(String relative) {
    try {
      return stripHttp(Files.readAllBytes(root().resolve(relative)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] stripHttp(byte[] b) {
    if (!new String(b, 0, Math.min(5, b.length), StandardCharsets.US_ASCII).equals("HTTP/")) {
      return b;
    }
    for (int i = 0; i + 1 < b.length; i++) {
      if (b[i] == '\n' && b[i + 1] == '\n') {
        return java.util.Arrays.copyOfRange(b, i + 2, b.length);
      }
      if (b[i] == '\n' && b[i + 1] == '\r' && i + 2 < b.length && b[i + 2] == '\n') {
        return java.util.Arrays.copyOfRange(b, i + 3, b.length);
      }
    }
    throw new AssertionError("no blank line after the HTTP headers");
  }

  /** Feeds the whole body in one piece, at instant 1000. */
  static StreamState whole(Protocol protocol, byte[] body) {
    StreamState st = new StreamState(true);
    StreamParser p = StreamCodec.of(protocol).newParser();
    p.feed(body, 0, body.length, 1000, st);
    p.end(2000, st);
    return st;
  }

  /** Feeds the body in random pieces of 1 to {@code maxPiece} bytes, each copied to a fresh array. */
  static StreamState pieces(Protocol protocol, byte[] body, long seed, int maxPiece) {
    Random r = new Random(seed);
    StreamState st = new StreamState(true);
    StreamParser p = StreamCodec.of(protocol).newParser();
    int i = 0;
    while (i < body.length) {
      int n = Math.min(body.length - i, 1 + r.nextInt(maxPiece));
      // offset inside a larger buffer, as a reused network buffer would be
      byte[] buf = new byte[n + 7];
      System.arraycopy(body, i, buf, 3, n);
      p.feed(buf, 3, n, 1000, st);
      i += n;
    }
    p.end(2000, st);
    return st;
  }

  static StreamState byteByByte(Protocol protocol, byte[] body) {
    StreamState st = new StreamState(true);
    StreamParser p = StreamCodec.of(protocol).newParser();
    byte[] one = new byte[1];
    for (byte b : body) {
      one[0] = b;
      p.feed(one, 0, 1, 1000, st);
    }
    p.end(2000, st);
    return st;
  }

  /** Everything a parser writes into a state except instants, for comparing feeds. */
  record Snapshot(
      StreamState.Outcome outcome,
      @Nullable String error,
      int events,
      int tokens,
      int reasoning,
      Set<OutputKind> kinds,
      int choices,
      @Nullable Long prompt,
      @Nullable Long completion,
      @Nullable Long cached,
      @Nullable Long reasoningTokens,
      int usageUpdates,
      @Nullable Long serverOutput,
      @Nullable String serverOutputSource,
      @Nullable String finish,
      Map<String, Object> server,
      @Nullable String content) {}

  static Snapshot snapshot(StreamState s) {
    return new Snapshot(
        s.outcome(),
        s.error(),
        s.events(),
        s.tokenChunks(),
        s.reasoningChunks(),
        Set.copyOf(s.kinds()),
        s.choices(),
        s.usagePromptTokens(),
        s.usageCompletionTokens(),
        s.cachedPromptTokens(),
        s.reasoningTokens(),
        s.usageUpdates(),
        s.serverOutputTokens(),
        s.serverOutputTokensSource(),
        s.finishReason(),
        new TreeMap<>(s.server()),
        s.content());
  }

  /** Counts non-overlapping occurrences of a literal in the body, as an independent tally. */
  static int count(byte[] body, String literal) {
    String s = new String(body, StandardCharsets.UTF_8);
    int n = 0;
    for (int i = s.indexOf(literal); i >= 0; i = s.indexOf(literal, i + literal.length())) {
      n++;
    }
    return n;
  }

  /** Counts matches of a regular expression in the body. */
  static int countRegex(byte[] body, String regex) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile(regex).matcher(new String(body, StandardCharsets.UTF_8));
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }
}
