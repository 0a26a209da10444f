package io.llmload.wire;

import java.util.Arrays;

/**
 * The inter-token gaps of one response, per choice (sequence): a chunk of k tokens that came g
 * after the choice's previous chunk adds k gaps of g/k; the extra tokens of a choice's first chunk
 * add gaps of 0. Arrays grow by doubling, so a token costs no allocation once they have grown.
 */
final class TokenGaps {
  // one entry per chunk-choice after a choice's first (value g/k, weight k)
  private long[] gaps = new long[64];
  private int[] weights = new int[64];
  private int entries;
  private long count;
  // per choice: first and last output instants and tokens so far
  private long[] choiceFirst = new long[1];
  private long[] choiceLast = new long[1];
  private long[] choiceTokens = new long[1];

  /** A chunk of {@code k} tokens for {@code choice} arrived at {@code nanos}. */
  void add(int choice, long nanos, int k) {
    if (choice >= choiceTokens.length) {
      int n = Math.max(choice + 1, choiceTokens.length * 2);
      choiceFirst = Arrays.copyOf(choiceFirst, n);
      choiceLast = Arrays.copyOf(choiceLast, n);
      choiceTokens = Arrays.copyOf(choiceTokens, n);
    }
    if (choiceTokens[choice] == 0) {
      choiceFirst[choice] = nanos;
      if (k > 1) addGap(0, k - 1);
    } else {
      long g = Math.max(0, nanos - choiceLast[choice]);
      addGap(g / k, k);
    }
    choiceTokens[choice] += k;
    choiceLast[choice] = nanos;
  }

  private void addGap(long value, int weight) {
    if (entries == gaps.length) {
      gaps = Arrays.copyOf(gaps, entries * 2);
      weights = Arrays.copyOf(weights, entries * 2);
    }
    gaps[entries] = value;
    weights[entries++] = weight;
    count += weight;
  }

  long[] values() {
    return gaps;
  }

  int[] weights() {
    return weights;
  }

  int entries() {
    return entries;
  }

  long count() {
    return count;
  }

  /** Σ over choices of (last token − first token), nanos. */
  long decodeNanos() {
    long sum = 0;
    for (int c = 0; c < choiceTokens.length; c++) {
      if (choiceTokens[c] > 0) sum += choiceLast[c] - choiceFirst[c];
    }
    return sum;
  }

  /** Choices that produced at least one token. */
  int sequences() {
    int n = 0;
    for (long t : choiceTokens) if (t > 0) n++;
    return n;
  }
}
