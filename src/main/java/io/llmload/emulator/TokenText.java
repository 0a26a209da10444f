package io.llmload.emulator;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Output text of one choice: either seeded word-ish pieces, a pure function of (seed, prompt,
 * choice, token index) so that the same request gives the same text whatever else runs, or the
 * exact text a request asked for with {@code x-emulator-content}, split into tokens. Pieces are
 * pre-encoded as JSON string content (UTF-8, escaped) so writing a token copies bytes only.
 */
final class TokenText {
  private static final String[] WORDS = (
      "the of and to in is that it for on with as was be by this are or from at an which not have "
      + "can but all were one their has more when will there been other would so what some into time "
      + "model server token stream batch prefill decode cache memory latency request queue first last "
      + "value number system data each sequence step result output input write read count rate load "
      + "fast slow small large high low new old same right left open close start end line point "
      + "water light sound color shape field space order power energy signal thread socket buffer")
      .split(" ");
  private static final byte[][] VOCAB = new byte[WORDS.length][];
  /** TGI-style {@code "id":N,"text":"..","logprob":-x.xx} fragments, one per vocabulary entry. */
  private static final byte[][] VOCAB_TGI = new byte[WORDS.length][];
  private static final int[] VOCAB_IDS = new int[WORDS.length];

  static {
    for (int i = 0; i < WORDS.length; i++) {
      String piece = " " + WORDS[i];
      VOCAB[i] = piece.getBytes(StandardCharsets.UTF_8);
      VOCAB_IDS[i] = 1000 + i * 7;
      double logprob = -0.05 - (i % 37) / 11.0;
      VOCAB_TGI[i] = String.format(java.util.Locale.ROOT, "\"id\":%d,\"text\":\"%s\",\"logprob\":%.4f", VOCAB_IDS[i], piece, logprob)
          .getBytes(StandardCharsets.UTF_8);
    }
  }

  private static final Pattern PIECE = Pattern.compile("\\s*\\S{1,8}|\\s+");

  private final long base;
  private final byte[][] custom;
  private final String[] customText;

  private TokenText(long base, byte[][] custom, String[] customText) {
    this.base = base;
    this.custom = custom;
    this.customText = customText;
  }

  static TokenText seeded(long seed, String prompt, int choice) {
    long h = seed * 0x9E3779B97F4A7C15L + prompt.hashCode() * 0xC2B2AE3D27D4EB4FL + choice * 0x165667B19E3779F9L;
    return new TokenText(mix(h), null, null);
  }

  /** Splits exact text into tokens of at most 8 non-space characters with their leading spaces. */
  static TokenText exact(String text) {
    List<String> parts = new ArrayList<>();
    Matcher m = PIECE.matcher(text);
    while (m.find()) {
      parts.add(m.group());
    }
    if (parts.isEmpty()) {
      parts.add(text);
    }
    JsonStringEncoder enc = JsonStringEncoder.getInstance();
    byte[][] b = new byte[parts.size()][];
    for (int i = 0; i < b.length; i++) {
      b[i] = enc.quoteAsUTF8(parts.get(i));
    }
    return new TokenText(0, b, parts.toArray(String[]::new));
  }

  /** Number of tokens of exact text, or -1 for seeded text (unbounded). */
  int fixedLength() {
    return custom == null ? -1 : custom.length;
  }

  private int vocabIndex(int i) {
    return (int) Long.remainderUnsigned(mix(base + i), WORDS.length);
  }

  /** JSON-escaped UTF-8 bytes of token {@code i}. */
  byte[] json(int i) {
    return custom != null ? custom[i] : VOCAB[vocabIndex(i)];
  }

  int tokenId(int i) {
    return custom != null ? 100 + (customText[i].hashCode() & 0x7fff) : VOCAB_IDS[vocabIndex(i)];
  }

  /** The TGI token object's inner fields for token {@code i}. */
  byte[] tgiToken(int i) {
    if (custom == null) {
      return VOCAB_TGI[vocabIndex(i)];
    }
    String s = "\"id\":" + tokenId(i) + ",\"text\":\"" + new String(custom[i], StandardCharsets.UTF_8) + "\",\"logprob\":-0.5";
    return s.getBytes(StandardCharsets.UTF_8);
  }

  String text(int i) {
    return custom != null ? customText[i] : " " + WORDS[vocabIndex(i)];
  }

  /** Tokens {@code from} (inclusive) to {@code to} (exclusive) as plain text. */
  String text(int from, int to) {
    StringBuilder sb = new StringBuilder();
    for (int i = from; i < to; i++) {
      sb.append(text(i));
    }
    return sb.toString();
  }

  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
