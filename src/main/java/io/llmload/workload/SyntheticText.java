package io.llmload.workload;

import org.apache.commons.math3.random.RandomGenerator;

/**
 * Deterministic word-like text whose length in tokens is known in advance.
 *
 * <p>Calibration: every word is a common three-letter English word that the GPT-2, cl100k, o200k,
 * Llama 2 and Llama 3 tokenizers encode as one token together with its leading space (checked
 * with docs/workloads-tokenizer-check.mjs: 5,000 random words are 5,000 tokens under each). So
 * {@code n} words are {@code n} tokens on those models' servers, plus any BOS or chat template,
 * and exactly {@code n} under the 4-characters estimate ({@code 3n} letters + {@code n-1} spaces = {@code 4n-1} characters, ceil(/4) = n), which
 * is also the rule the embedded emulator applies.
 */
final class SyntheticText {
  private static final String[] WORDS = {
    "the", "and", "for", "are", "but", "not", "you", "all", "any", "can", "had", "her", "was", "one",
    "our", "out", "day", "get", "has", "him", "his", "how", "man", "new", "now", "old", "see", "two",
    "way", "who", "boy", "did", "its", "let", "put", "say", "she", "too", "use", "act", "add", "age",
    "ago", "air", "arm", "art", "ask", "bad", "bag", "bed", "big", "bit", "box", "buy", "car", "cat",
    "cup", "cut", "dog", "dry", "ear", "eat", "egg", "end", "eye", "far", "few", "fit", "fly", "fun",
    "gas", "hat", "hit", "hot", "ice", "job", "key", "kid", "law", "lay", "leg", "lie", "lot", "low",
    "map", "mix", "net", "oil", "own", "pay", "pen", "per", "pop", "red", "run", "sea", "set", "sit",
    "six", "sky", "son", "sun", "tax", "tea", "ten", "top", "got", "try", "war", "wet", "win", "yes",
    "yet"
  };

  private SyntheticText() {}

  /** {@code n} words from {@code rng}, separated by single spaces. */
  static String words(RandomGenerator rng, int n) {
    StringBuilder sb = new StringBuilder(n * 4);
    append(sb, rng, n);
    return sb.toString();
  }

  /** Appends {@code n} words, with a separating space if {@code sb} is not empty. */
  static void append(StringBuilder sb, RandomGenerator rng, int n) {
    for (int i = 0; i < n; i++) {
      if (sb.length() > 0) sb.append(' ');
      sb.append(WORDS[rng.nextInt(WORDS.length)]);
    }
  }

  /** A 64-bit mix of a seed and a stream number (SplitMix64 finaliser), for independent generators. */
  static long mix(long seed, long stream) {
    long z = seed * 0x9E3779B97F4A7C15L + stream;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
