package io.llmload.report;

import org.jspecify.annotations.Nullable;

/**
 * What happened inside each phase's measured window, by when it happened rather than by which
 * phase sent the request: output tokens that arrived, requests that ended, and ended requests that
 * met the SLO. A request sent late in one phase delivers most of its tokens in the next one; counting
 * them there (instead of stretching the first window to the request's end) keeps throughput a rate
 * over the window and keeps windows of consecutive phases from overlapping.
 *
 * <p>Token rule: of a request's n output tokens, token k (k = 0 … n−1) arrived at
 * first + k·(last − first)/(n − 1), first and last being its first- and last-token instants, i.e.
 * the first at the first-token instant and the rest spread evenly up to the last. Windows are
 * half-open, [start, end), so a token on a shared edge counts once. Ok requests only, as
 * {@code output_tokens}. A request counts for the request rate and goodput of the window in which
 * it ended (its end instant), whatever its status.
 *
 * <p>Prompt rule: an ok request's prompt tokens ({@code prompt_tokens}) count in the window in which
 * its first token arrived, when the server had read the whole prompt (the prefill is done; vLLM's
 * {@code prompt_tokens_total} moves then too); a request without a first-token instant (not
 * streamed) counts them at its end. This is the client's side of the server's prompt tokens/s.
 */
final class WindowCounts {
  final long[] startUs;
  final long[] endUs;
  final long[] tokens;
  final long[] ended;
  final long[] good;
  final long[] promptTokens;

  WindowCounts(long[] startUs, long[] endUs) {
    this.startUs = startUs;
    this.endUs = endUs;
    this.tokens = new long[startUs.length];
    this.ended = new long[startUs.length];
    this.good = new long[startUs.length];
    this.promptTokens = new long[startUs.length];
  }

  WindowCounts emptyCopy() {
    return new WindowCounts(startUs, endUs);
  }

  void add(RequestRecord r, @Nullable Double sloTtftMs, @Nullable Double sloTpotMs, @Nullable Double sloE2eMs) {
    long end = r.instantUs();
    boolean ok = r.ok();
    if (end != RequestRecord.ABSENT) {
      for (int i = 0; i < startUs.length; i++) {
        if (end >= startUs[i] && end < endUs[i]) {
          ended[i]++;
          if (ok && PhaseAccumulator.meetsSlo(r, sloTtftMs, sloTpotMs, sloE2eMs)) good[i]++;
        }
      }
    }
    if (!ok) return;
    long first = r.firstTokenUs();
    addPrompt(r.promptTokens, first != RequestRecord.ABSENT ? first : end);
    long n = r.outputTokens;
    if (n == RequestRecord.ABSENT || n <= 0) return;
    long last = r.lastTokenUs();
    if (first == RequestRecord.ABSENT) first = last = end;
    if (first == RequestRecord.ABSENT) return;
    if (last == RequestRecord.ABSENT || last < first) last = first;
    for (int i = 0; i < startUs.length; i++) {
      if (last < startUs[i] || first >= endUs[i]) continue;
      tokens[i] += before(endUs[i], first, last, n) - before(startUs[i], first, last, n);
    }
  }

  private void addPrompt(long prompt, long at) {
    if (prompt == RequestRecord.ABSENT || prompt <= 0 || at == RequestRecord.ABSENT) return;
    for (int i = 0; i < startUs.length; i++) {
      if (at >= startUs[i] && at < endUs[i]) promptTokens[i] += prompt;
    }
  }

  /** Tokens of the request that arrived before {@code t}. */
  static long before(long t, long first, long last, long n) {
    if (t <= first) return 0;
    if (t > last) return n;
    if (n == 1 || last == first) return n; // t in (first, last] with everything at first
    // Token k arrived at first + k·(last − first)/(n − 1): those with k < (t − first)(n − 1)/(last − first).
    double x = (double) (t - first) * (n - 1) / (last - first);
    long k = (long) Math.ceil(x);
    return Math.max(0, Math.min(n, k));
  }

  void merge(WindowCounts o) {
    for (int i = 0; i < tokens.length; i++) {
      tokens[i] += o.tokens[i];
      ended[i] += o.ended[i];
      good[i] += o.good[i];
      promptTokens[i] += o.promptTokens[i];
    }
  }
}
