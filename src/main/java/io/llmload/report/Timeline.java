package io.llmload.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.Collection;

/**
 * Requests and GPU samples binned over time (fixed-width buckets from the run start), for the
 * over-time charts. Memory grows with the run's length, not with its request count.
 */
final class Timeline {
  static final int MAX_POINTS = 400;
  private static final int TTFT_SUM = 0, TTFT_N = 1, E2E_SUM = 2, E2E_N = 3, DONE = 4, FAILED = 5,
      TOKENS = 6, POWER_SUM = 7, POWER_N = 8, UTIL_SUM = 9, UTIL_N = 10, SM_SUM = 11, SM_N = 12,
      SERIES = 13;

  final long t0Us;
  final long bucketUs;
  final long spanUs;
  private double[][] s = new double[SERIES][64];
  private int used;
  private boolean anyGpu;

  Timeline(long t0Us, long spanUs) {
    this.t0Us = t0Us;
    this.spanUs = spanUs;
    this.bucketUs = spanUs > 0 ? Math.max(100_000L, spanUs / 300) : 1_000_000L;
  }

  private int bucket(long epochUs) {
    long i = (epochUs - t0Us) / bucketUs;
    // Bounded: a stray timestamp days away must not allocate millions of buckets.
    if (epochUs < t0Us || i > 1_000_000) return -1;
    int b = (int) i;
    if (b >= s[0].length) {
      int n = Math.max(b + 1, s[0].length * 2);
      for (int k = 0; k < SERIES; k++) s[k] = Arrays.copyOf(s[k], n);
    }
    used = Math.max(used, b + 1);
    return b;
  }

  /**
   * @param firstTokenUs when the request's first token came, or ABSENT: its tokens are spread
   *     evenly from then to its end, so throughput over time does not spike at request ends
   */
  void request(long firstTokenUs, long instantUs, boolean ok, long outputTokens, double ttftMs, double e2eMs) {
    if (instantUs == RequestRecord.ABSENT) return;
    int b = bucket(instantUs);
    if (b < 0) return;
    s[DONE][b]++;
    if (!ok) {
      s[FAILED][b]++;
      return;
    }
    if (outputTokens != RequestRecord.ABSENT) spreadTokens(firstTokenUs, instantUs, b, outputTokens);
    if (!Double.isNaN(ttftMs)) {
      s[TTFT_SUM][b] += ttftMs;
      s[TTFT_N][b]++;
    }
    if (!Double.isNaN(e2eMs)) {
      s[E2E_SUM][b] += e2eMs;
      s[E2E_N][b]++;
    }
  }

  private void spreadTokens(long fromUs, long toUs, int endBucket, long tokens) {
    if (fromUs == RequestRecord.ABSENT || fromUs >= toUs || fromUs < t0Us) {
      s[TOKENS][endBucket] += tokens;
      return;
    }
    int first = (int) ((fromUs - t0Us) / bucketUs);
    double perUs = (double) tokens / (toUs - fromUs);
    for (int b = first; b <= endBucket; b++) {
      long lo = Math.max(fromUs, t0Us + b * bucketUs);
      long hi = Math.min(toUs, t0Us + (b + 1) * bucketUs);
      if (hi > lo) s[TOKENS][b] += perUs * (hi - lo);
    }
  }

  /** Adds a timeline of the same start and bucket width (a part of the file read in parallel). */
  void add(Timeline o) {
    if (o.t0Us != t0Us || o.bucketUs != bucketUs) throw new IllegalArgumentException("timelines differ");
    if (o.used == 0) return;
    bucket(t0Us + (o.used - 1) * bucketUs);
    for (int k = 0; k < SERIES; k++) {
      for (int b = 0; b < o.used; b++) s[k][b] += o.s[k][b];
    }
    anyGpu |= o.anyGpu;
  }

  void gpu(long epochUs, double powerW, double utilPct, double smMhz) {
    int b = bucket(epochUs);
    if (b < 0) return;
    anyGpu = true;
    if (!Double.isNaN(powerW)) {
      s[POWER_SUM][b] += powerW;
      s[POWER_N][b]++;
    }
    if (!Double.isNaN(utilPct)) {
      s[UTIL_SUM][b] += utilPct;
      s[UTIL_N][b]++;
    }
    if (!Double.isNaN(smMhz)) {
      s[SM_SUM][b] += smMhz;
      s[SM_N][b]++;
    }
  }

  /**
   * {@code {"bucket_s", "t_s":[..], "output_tokens_per_s":[..], "requests_per_s":[..],
   * "failures_per_s":[..], "ttft_ms_mean":[..], "e2e_ms_mean":[..], "gpu": {...}|null,
   * "phases":[{"name","start_s","warmup_end_s","end_s"}]}}; empty buckets give null latencies.
   */
  ObjectNode toJson(Collection<PhaseAccumulator> phases) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    int merge = Math.max(1, (used + MAX_POINTS - 1) / MAX_POINTS);
    int points = (used + merge - 1) / merge;
    double width = bucketUs * merge / 1e6;
    ObjectNode o = f.objectNode();
    o.put("bucket_s", width);
    ArrayNode t = o.putArray("t_s");
    ArrayNode tok = o.putArray("output_tokens_per_s");
    ArrayNode rps = o.putArray("requests_per_s");
    ArrayNode fail = o.putArray("failures_per_s");
    ArrayNode ttft = o.putArray("ttft_ms_mean");
    ArrayNode e2e = o.putArray("e2e_ms_mean");
    ArrayNode power = f.arrayNode();
    ArrayNode util = f.arrayNode();
    ArrayNode sm = f.arrayNode();
    for (int p = 0; p < points; p++) {
      double[] sum = new double[SERIES];
      int from = p * merge;
      int to = Math.min(used, from + merge);
      for (int b = from; b < to; b++) for (int k = 0; k < SERIES; k++) sum[k] += s[k][b];
      double w = (to - from) * bucketUs / 1e6;
      t.add(Num.round((from * bucketUs) / 1e6 + w / 2));
      tok.add(Num.round(sum[TOKENS] / w));
      rps.add(Num.round(sum[DONE] / w));
      fail.add(Num.round(sum[FAILED] / w));
      addMean(ttft, sum[TTFT_SUM], sum[TTFT_N]);
      addMean(e2e, sum[E2E_SUM], sum[E2E_N]);
      addMean(power, sum[POWER_SUM], sum[POWER_N]);
      addMean(util, sum[UTIL_SUM], sum[UTIL_N]);
      addMean(sm, sum[SM_SUM], sum[SM_N]);
    }
    if (anyGpu) {
      ObjectNode g = o.putObject("gpu");
      g.set("power_w", power);
      g.set("util_pct", util);
      g.set("sm_clock_mhz", sm);
    } else {
      o.putNull("gpu");
    }
    ArrayNode ph = o.putArray("phases");
    for (PhaseAccumulator a : phases) {
      if (a.startUs == Long.MAX_VALUE || a.endUs == Long.MIN_VALUE) continue;
      ObjectNode x = ph.addObject();
      x.put("name", a.name);
      x.put("start_s", Num.round((a.startUs - t0Us) / 1e6));
      x.put("warmup_end_s", Num.round((a.windowStartUs() - t0Us) / 1e6));
      x.put("end_s", Num.round((a.endUs - t0Us) / 1e6));
    }
    return o;
  }

  private static void addMean(ArrayNode a, double sum, double n) {
    if (n > 0) a.add(Num.round(sum / n));
    else a.addNull();
  }
}
