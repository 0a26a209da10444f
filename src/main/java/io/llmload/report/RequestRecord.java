package io.llmload.report;

import org.jspecify.annotations.Nullable;

/**
 * One requests.jsonl line, parsed into reused fields so that reading a million lines allocates
 * little. Absent numbers are {@code NaN} (doubles) or {@link #ABSENT} (longs) here only; nothing of
 * this class is written out.
 */
final class RequestRecord {
  static final long ABSENT = Long.MIN_VALUE;
  static final int MAX_SERVER_FIELDS = 32;

  @Nullable String phase;
  double level;
  boolean warmup;
  @Nullable String status;
  @Nullable String error;
  @Nullable String finishReason;
  @Nullable String outputTokensSource;
  long scheduledUs;
  long sentUs;
  long endUs;
  double queueDelayMs;
  double ttftMs;
  double ttftFromScheduledMs;
  double e2eFromScheduledMs;
  double ttfoMs;
  double lastTokenMs;
  double e2eMs;
  double tpotMs;
  long itlN;
  double itlMean;
  double itlMax;
  /** The record's gap histogram as written (base64 compressed HdrHistogram, µs), or null. */
  @Nullable String itlHist;
  /** Version of the definitions the record followed; 1 when it does not say (written before 2). */
  int definitions;
  // Connection setup (definitions 2): NaN when absent; reused 1 true, 0 false, -1 absent.
  double connectMs;
  double tlsMs;
  int reused;
  /** {@code server} or {@code chunks}: what the record's gaps counted as tokens; null when absent. */
  @Nullable String itlTokens;
  /** Which load generator wrote the record ({@code shard}), or null. */
  @Nullable String shard;
  long outputTokens;
  long chunkTokens;
  long promptTokens;
  long targetPromptTokens;
  /** Inputs embedded or documents ranked (embeddings, rerank). */
  long inputs;
  long maxTokens;
  double tokensPerS;
  double decodeTokensPerS;
  final String[] serverNames = new String[MAX_SERVER_FIELDS];
  final double[] serverValues = new double[MAX_SERVER_FIELDS];
  int serverCount;
  /** Text values that repeat across records, shared instead of copied per record (not cleared). */
  final RecentStrings strings = new RecentStrings();

  void clear() {
    phase = null;
    level = Double.NaN;
    warmup = false;
    status = null;
    error = null;
    finishReason = null;
    outputTokensSource = null;
    scheduledUs = ABSENT;
    sentUs = ABSENT;
    endUs = ABSENT;
    queueDelayMs = Double.NaN;
    ttftMs = Double.NaN;
    ttftFromScheduledMs = Double.NaN;
    e2eFromScheduledMs = Double.NaN;
    ttfoMs = Double.NaN;
    lastTokenMs = Double.NaN;
    e2eMs = Double.NaN;
    tpotMs = Double.NaN;
    itlN = ABSENT;
    itlMean = Double.NaN;
    itlMax = Double.NaN;
    itlHist = null;
    definitions = 1;
    shard = null;
    connectMs = Double.NaN;
    tlsMs = Double.NaN;
    reused = -1;
    itlTokens = null;
    outputTokens = ABSENT;
    chunkTokens = ABSENT;
    promptTokens = ABSENT;
    targetPromptTokens = ABSENT;
    inputs = ABSENT;
    maxTokens = ABSENT;
    tokensPerS = Double.NaN;
    decodeTokensPerS = Double.NaN;
    serverCount = 0;
  }

  boolean ok() {
    return "ok".equals(status);
  }

  /** Output tokens / E2E, from the record or derived from its parts. */
  double tokensPerSecond() {
    if (!Double.isNaN(tokensPerS)) return tokensPerS;
    if (outputTokens != ABSENT && e2eMs > 0) return outputTokens / (e2eMs / 1000.0);
    return Double.NaN;
  }

  /** (output tokens − 1) / (last token − first token), from the record or derived. */
  double decodeTokensPerSecond() {
    if (!Double.isNaN(decodeTokensPerS)) return decodeTokensPerS;
    if (outputTokens != ABSENT && outputTokens >= 2 && lastTokenMs > ttftMs) {
      return (outputTokens - 1) / ((lastTokenMs - ttftMs) / 1000.0);
    }
    return Double.NaN;
  }

  /** When the first token arrived, or ABSENT. */
  long firstTokenUs() {
    return sentUs != ABSENT && !Double.isNaN(ttftMs) ? sentUs + Math.round(ttftMs * 1000) : ABSENT;
  }

  /** When the last token arrived (the end when the record has no last-token time), or ABSENT. */
  long lastTokenUs() {
    if (sentUs != ABSENT && !Double.isNaN(lastTokenMs)) return sentUs + Math.round(lastTokenMs * 1000);
    return outputTokens == 1 ? firstTokenUs() : instantUs();
  }

  /**
   * TTFT as a user who asked at the scheduled instant sees it: (sent − scheduled) + TTFT, so a
   * wait of the generator (a concurrency cap, lateness, connection setup) counts. Records without
   * a send instant fall back on queue delay + TTFT.
   */
  double ttftFromScheduledMs() {
    if (!Double.isNaN(ttftFromScheduledMs)) return ttftFromScheduledMs; // definitions 2: the record's own
    if (Double.isNaN(ttftMs)) return Double.NaN;
    if (sentUs != ABSENT && sentUs != 0 && scheduledUs != ABSENT && scheduledUs != 0) {
      return (sentUs - scheduledUs) / 1000.0 + ttftMs;
    }
    return Double.isNaN(queueDelayMs) ? Double.NaN : queueDelayMs + ttftMs;
  }

  /** E2E as a user who asked at the scheduled instant sees it: the record's own, else as for TTFT. */
  double e2eFromScheduledMs() {
    if (!Double.isNaN(e2eFromScheduledMs)) return e2eFromScheduledMs;
    if (Double.isNaN(e2eMs)) return Double.NaN;
    if (sentUs != ABSENT && sentUs != 0 && scheduledUs != ABSENT && scheduledUs != 0) {
      return (sentUs - scheduledUs) / 1000.0 + e2eMs;
    }
    return Double.isNaN(queueDelayMs) ? Double.NaN : queueDelayMs + e2eMs;
  }

  /** The instant the record is filed under for time series: its end, else its send. */
  long instantUs() {
    if (endUs != ABSENT) return endUs;
    if (sentUs != ABSENT && !Double.isNaN(e2eMs)) return sentUs + (long) (e2eMs * 1000);
    return sentUs;
  }
}
