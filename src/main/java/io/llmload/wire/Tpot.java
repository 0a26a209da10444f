package io.llmload.wire;

import org.jspecify.annotations.Nullable;

/**
 * Time per output token of one request: the mean inter-token gap of its sequences.
 *
 * <p>One sequence: (last token − first token) / (output tokens − 1), with the server's count of
 * output tokens where it gives one. Several sequences (choices, {@code n} > 1): Σ (last − first) /
 * Σ (tokens − 1) over the sequences, each sequence's tokens as its chunks (and the server's
 * per-chunk counts) show, since servers report one total for all choices. A request with fewer
 * than two tokens in every sequence has none.
 */
public final class Tpot {
  private Tpot() {}

  /** @param outputTokens the request's output tokens (the server's count where given) */
  public static @Nullable Double ms(long outputTokens, StreamState st) {
    if (st.choices() <= 1) {
      long first = st.firstTokenNanos();
      long last = st.lastTokenNanos();
      if (outputTokens < 2 || first == 0 || last <= first) return null;
      return (last - first) / 1e6 / (outputTokens - 1);
    }
    long gaps = st.gapCount();
    long span = st.decodeNanos();
    if (gaps < 1 || span <= 0) return null;
    return span / 1e6 / gaps;
  }
}
