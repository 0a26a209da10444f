package io.llmload.report;

import io.llmload.record.Definitions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * Everything the summary says about one phase, accumulated record by record in bounded memory:
 * histograms, exact counts and sums, and a seeded reservoir sample of ok requests.
 */
final class PhaseAccumulator {
  static final int RESERVOIR = 2000;
  static final int MAX_ERROR_EXAMPLES = 3;
  static final int MAX_SERVER_KEYS = 32;

  final String name;
  @Nullable Double level;
  long startUs = Long.MAX_VALUE;
  long endUs = Long.MIN_VALUE;
  long measuredStartUs = Long.MAX_VALUE;
  boolean declared;
  private int declaredBy = -1;
  // Requests per load generator (the records' shard, else their run folder's name).
  final Map<String, long[]> shards = new LinkedHashMap<>();
  // The next declared phase's start, where this window ends at the latest: windows never overlap.
  long nextStartUs = Long.MAX_VALUE;
  // What happened inside the window, from WindowCounts; -1 while unknown (no declared window).
  long windowTokens = -1;
  long windowEnded = -1;
  long windowGood = -1;
  // Lowest definitions version among the phase's records (warm-up included); MAX_VALUE without records.
  int definitions = Integer.MAX_VALUE;
  // Bounds of the records themselves, the window of last resort when run.json has none.
  long firstSentUs = Long.MAX_VALUE;
  long lastEndUs = Long.MIN_VALUE;

  long requests;
  long ok;
  long warmupRecords;
  final Map<String, long[]> failures = new LinkedHashMap<>();
  final Map<String, List<String>> errorExamples = new LinkedHashMap<>();
  long outputTokens;
  long good;
  // embeddings and rerank: inputs (documents) of successful requests, and their prompt tokens
  long inputs;
  long inputTokens;

  final HistogramAccumulator ttft = new HistogramAccumulator(1000);
  final HistogramAccumulator ttfo = new HistogramAccumulator(1000);
  final HistogramAccumulator tpot = new HistogramAccumulator(1000);
  final ItlFigures itl = new ItlFigures();
  final ConnectionFigures connection = new ConnectionFigures();
  final HistogramAccumulator e2e = new HistogramAccumulator(1000);
  final HistogramAccumulator queueDelay = new HistogramAccumulator(1000);
  final HistogramAccumulator ttftFromScheduled = new HistogramAccumulator(1000);
  final HistogramAccumulator tokensPerS = new HistogramAccumulator(1000);
  final HistogramAccumulator decodeTokensPerS = new HistogramAccumulator(1000);
  final HistogramAccumulator outputTokensPerRequest = new HistogramAccumulator(1);

  // Warnings: short outputs, prompt lengths off target, client/server token counts apart.
  long withMaxTokens;
  long shortOutputs;
  double shortOutputRatioSum;
  long maxTokensSeen = RequestRecord.ABSENT;
  long withPromptTarget;
  long promptOffTarget;
  long tokenCountsCompared;
  long tokenCountsApart;

  final Map<String, double[]> server = new LinkedHashMap<>();
  /** Server-reported durations ({@code *_ms}: TGI's header timings) as distributions, for percentiles. */
  final Map<String, HistogramAccumulator> serverMs = new LinkedHashMap<>();

  private final SplittableRandom random;
  double[][] sample = new double[RESERVOIR][];
  int sampleSize;
  private long sampleSeen;

  PhaseAccumulator(String name, long seed) {
    this.name = name;
    this.random = new SplittableRandom(seed ^ name.hashCode());
  }

  /**
   * @param folder which run folder declares it: the same phase declared by another folder over an
   *     overlapping window is another load generator running at the same time, so the levels add
   */
  void declare(PhaseWindow w, int folder) {
    if (level == null) {
      level = w.level();
    } else if (w.level() != null && folder != declaredBy && w.measuredStartUs() < endUs
        && w.endEpochUs() > measuredStartUs) {
      level += w.level();
    }
    declared = true;
    declaredBy = folder;
    startUs = Math.min(startUs, w.startEpochUs());
    endUs = Math.max(endUs, w.endEpochUs());
    measuredStartUs = Math.min(measuredStartUs, w.measuredStartUs());
  }

  /** Start of the measured window, end of it; falls back to the records' own span. */
  long windowStartUs() {
    if (measuredStartUs != Long.MAX_VALUE) return measuredStartUs;
    return firstSentUs;
  }

  /**
   * The phase's declared end, cut at the next phase's start; the records' last end without a
   * declared one. Tokens a phase's requests deliver after it count where they arrive (WindowCounts).
   */
  long windowEndUs() {
    if (endUs == Long.MIN_VALUE) return lastEndUs;
    return Math.min(endUs, nextStartUs);
  }

  double windowSeconds() {
    long s = windowStartUs();
    long e = windowEndUs();
    if (s == Long.MAX_VALUE || e == Long.MIN_VALUE || e <= s) return Double.NaN;
    return (e - s) / 1e6;
  }

  void add(RequestRecord r, @Nullable Double sloTtftMs, @Nullable Double sloTpotMs) {
    if (level == null && !Double.isNaN(r.level)) level = r.level;
    definitions = Math.min(definitions, r.definitions);
    if (r.warmup) {
      warmupRecords++;
      return;
    }
    if (r.sentUs != RequestRecord.ABSENT) firstSentUs = Math.min(firstSentUs, r.sentUs);
    long instant = r.instantUs();
    if (instant != RequestRecord.ABSENT) lastEndUs = Math.max(lastEndUs, instant);
    requests++;
    connection.add(r);
    if (r.shard != null && (shards.size() < MAX_SERVER_KEYS || shards.containsKey(r.shard))) {
      shards.computeIfAbsent(r.shard, k -> new long[1])[0]++;
    }
    queueDelay.record(r.queueDelayMs);
    if (!r.ok()) {
      String cls = r.status == null ? "unknown" : r.status;
      failures.computeIfAbsent(cls, k -> new long[1])[0]++;
      if (r.error != null && !r.error.isBlank()) {
        List<String> ex = errorExamples.computeIfAbsent(cls, k -> new ArrayList<>(MAX_ERROR_EXAMPLES));
        String text = r.error.length() > 300 ? r.error.substring(0, 300) : r.error;
        if (ex.size() < MAX_ERROR_EXAMPLES && !ex.contains(text)) ex.add(text);
      }
      return;
    }
    ok++;
    if (r.inputs != RequestRecord.ABSENT) {
      inputs += r.inputs;
      if (r.promptTokens != RequestRecord.ABSENT) inputTokens += r.promptTokens;
    }
    if (r.outputTokens != RequestRecord.ABSENT) {
      outputTokens += r.outputTokens;
      outputTokensPerRequest.record(r.outputTokens);
    }
    ttft.record(r.ttftMs);
    ttfo.record(r.ttfoMs);
    tpot.record(r.tpotMs);
    itl.add(r);
    e2e.record(r.e2eMs);
    ttftFromScheduled.record(r.ttftFromScheduledMs());
    double tps = r.tokensPerSecond();
    tokensPerS.record(tps);
    double dtps = r.decodeTokensPerSecond();
    decodeTokensPerS.record(dtps);
    if (meetsSlo(r, sloTtftMs, sloTpotMs)) good++;
    noteWarnings(r);
    noteServer(r);
    sample(r, tps);
  }

  /**
   * The TTFT bound is held against TTFT from the scheduled instant: in the open model a request
   * that waited behind a cap or went late is late for its user (coordinated omission otherwise);
   * in the closed model the scheduled instant is when the virtual user asked.
   */
  static boolean meetsSlo(RequestRecord r, @Nullable Double ttftMs, @Nullable Double tpotMs) {
    return Definitions.meetsSlo(r.ttftFromScheduledMs(), r.tpotMs, ttftMs, tpotMs);
  }

  private void noteWarnings(RequestRecord r) {
    if (r.maxTokens != RequestRecord.ABSENT && r.maxTokens > 0 && r.outputTokens != RequestRecord.ABSENT) {
      withMaxTokens++;
      maxTokensSeen = Math.max(maxTokensSeen, r.maxTokens);
      if (r.outputTokens < r.maxTokens) {
        shortOutputs++;
        shortOutputRatioSum += (double) r.outputTokens / r.maxTokens;
      }
    }
    if (r.targetPromptTokens != RequestRecord.ABSENT && r.targetPromptTokens > 0
        && r.promptTokens != RequestRecord.ABSENT) {
      withPromptTarget++;
      if (Math.abs(r.promptTokens - r.targetPromptTokens) > 0.10 * r.targetPromptTokens) promptOffTarget++;
    }
    if (r.chunkTokens != RequestRecord.ABSENT && r.outputTokens != RequestRecord.ABSENT
        && r.outputTokensSource != null && !"chunks".equals(r.outputTokensSource)) {
      tokenCountsCompared++;
      long diff = Math.abs(r.outputTokens - r.chunkTokens);
      if (diff > 0.10 * Math.max(1, r.outputTokens)) tokenCountsApart++;
    }
  }

  private void noteServer(RequestRecord r) {
    for (int i = 0; i < r.serverCount; i++) {
      double[] acc = server.get(r.serverNames[i]);
      if (acc == null) {
        if (server.size() >= MAX_SERVER_KEYS) continue;
        acc = new double[] {0, 0, Double.NEGATIVE_INFINITY};
        server.put(r.serverNames[i], acc);
      }
      double v = r.serverValues[i];
      if (r.serverNames[i].endsWith("_ms")) serverMs.computeIfAbsent(r.serverNames[i], k -> new HistogramAccumulator(1000)).record(v);
      acc[0] += v;
      acc[1]++;
      acc[2] = Math.max(acc[2], v);
    }
  }

  // Algorithm R over ok requests: one row per sampled request keeps the metrics aligned.
  private void sample(RequestRecord r, double tps) {
    long seen = sampleSeen++;
    int slot;
    if (seen < RESERVOIR) {
      slot = (int) seen;
      sampleSize++;
    } else {
      long j = random.nextLong(seen + 1);
      if (j >= RESERVOIR) return;
      slot = (int) j;
    }
    double[] row = sample[slot];
    if (row == null) row = sample[slot] = new double[5];
    row[0] = r.ttftMs;
    row[1] = r.tpotMs;
    row[2] = r.e2eMs;
    row[3] = tps;
    row[4] = r.outputTokens == RequestRecord.ABSENT ? Double.NaN : r.outputTokens;
  }

  /**
   * Adds another accumulator of the same phase (a part of the file read in parallel, or another
   * load generator's folder). Everything adds exactly except the sample, which is redrawn from the
   * two samples as if from the two populations ({@code random} makes it reproducible).
   */
  void merge(PhaseAccumulator o, SplittableRandom random) {
    if (level == null) level = o.level;
    definitions = Math.min(definitions, o.definitions);
    firstSentUs = Math.min(firstSentUs, o.firstSentUs);
    lastEndUs = Math.max(lastEndUs, o.lastEndUs);
    requests += o.requests;
    ok += o.ok;
    warmupRecords += o.warmupRecords;
    outputTokens += o.outputTokens;
    good += o.good;
    inputs += o.inputs;
    inputTokens += o.inputTokens;
    o.failures.forEach((k, v) -> failures.computeIfAbsent(k, x -> new long[1])[0] += v[0]);
    o.shards.forEach((k, v) -> {
      if (shards.size() < MAX_SERVER_KEYS || shards.containsKey(k)) shards.computeIfAbsent(k, x -> new long[1])[0] += v[0];
    });
    o.errorExamples.forEach((k, v) -> {
      List<String> ex = errorExamples.computeIfAbsent(k, x -> new ArrayList<>(MAX_ERROR_EXAMPLES));
      for (String t : v) if (ex.size() < MAX_ERROR_EXAMPLES && !ex.contains(t)) ex.add(t);
    });
    ttft.add(o.ttft);
    ttfo.add(o.ttfo);
    tpot.add(o.tpot);
    itl.merge(o.itl);
    connection.merge(o.connection);
    e2e.add(o.e2e);
    queueDelay.add(o.queueDelay);
    ttftFromScheduled.add(o.ttftFromScheduled);
    tokensPerS.add(o.tokensPerS);
    decodeTokensPerS.add(o.decodeTokensPerS);
    outputTokensPerRequest.add(o.outputTokensPerRequest);
    withMaxTokens += o.withMaxTokens;
    shortOutputs += o.shortOutputs;
    shortOutputRatioSum += o.shortOutputRatioSum;
    maxTokensSeen = Math.max(maxTokensSeen, o.maxTokensSeen);
    withPromptTarget += o.withPromptTarget;
    promptOffTarget += o.promptOffTarget;
    tokenCountsCompared += o.tokenCountsCompared;
    tokenCountsApart += o.tokenCountsApart;
    o.server.forEach((k, v) -> {
      double[] acc = server.get(k);
      if (acc == null) {
        if (server.size() >= MAX_SERVER_KEYS) return;
        server.put(k, v.clone());
      } else {
        acc[0] += v[0];
        acc[1] += v[1];
        acc[2] = Math.max(acc[2], v[2]);
      }
    });
    o.serverMs.forEach((k, m) -> {
      if (server.containsKey(k)) serverMs.computeIfAbsent(k, x -> new HistogramAccumulator(1000)).add(m);
    });
    mergeSample(o, random);
  }

  private void mergeSample(PhaseAccumulator o, SplittableRandom r) {
    long na = sampleSeen, nb = o.sampleSeen;
    if (nb == 0) return;
    if (na + nb <= RESERVOIR) {
      // Both samples are still their whole populations.
      for (int i = 0; i < o.sampleSize; i++) sample[sampleSize + i] = o.sample[i];
      sampleSize += o.sampleSize;
      sampleSeen = na + nb;
      return;
    }
    double[][] a = Arrays.copyOf(sample, sampleSize);
    double[][] b = Arrays.copyOf(o.sample, o.sampleSize);
    int ia = a.length, ib = b.length;
    long ra = na, rb = nb;
    double[][] out = new double[RESERVOIR][];
    // Each slot comes from A with probability (A's population left) / (both left): a draw
    // without replacement from the union, which each uniform sample can serve.
    for (int k = 0; k < RESERVOIR; k++) {
      if (r.nextLong(ra + rb) < ra) {
        int j = r.nextInt(ia);
        out[k] = a[j];
        a[j] = a[--ia];
        ra--;
      } else {
        int j = r.nextInt(ib);
        out[k] = b[j];
        b[j] = b[--ib];
        rb--;
      }
    }
    sample = out;
    sampleSize = RESERVOIR;
    sampleSeen = na + nb;
  }
}
