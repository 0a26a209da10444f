package io.llmload.report;

import io.llmload.record.Definitions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * Everything the summary says about one phase, accumulated record by record in bounded memory:
 * histograms, exact counts and sums, and a seeded reservoir sample of ok requests.
 */
final class PhaseAccumulator {
  static final int MAX_SHARDS = 32;

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
  long windowPromptTokens = -1;
  // Lowest definitions version among the phase's records (warm-up included); MAX_VALUE without records.
  int definitions = Integer.MAX_VALUE;
  // Bounds of the records themselves, the window of last resort when run.json has none.
  long firstSentUs = Long.MAX_VALUE;
  long lastEndUs = Long.MIN_VALUE;

  long requests;
  long ok;
  long warmupRecords;
  final FailureCounts failures = new FailureCounts();
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
  final HistogramAccumulator promptTokensPerRequest = new HistogramAccumulator(1);

  final OutputWarnings warnings = new OutputWarnings();
  final ServerReported server = new ServerReported();
  final ReservoirSample sample;

  PhaseAccumulator(String name, long seed) {
    this.name = name;
    this.sample = new ReservoirSample(seed ^ name.hashCode());
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

  void add(RequestRecord r, @Nullable Double sloTtftMs, @Nullable Double sloTpotMs, @Nullable Double sloE2eMs) {
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
    if (r.shard != null && (shards.size() < MAX_SHARDS || shards.containsKey(r.shard))) {
      shards.computeIfAbsent(r.shard, k -> new long[1])[0]++;
    }
    queueDelay.record(r.queueDelayMs);
    if (!r.ok()) {
      failures.add(r);
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
    if (r.promptTokens != RequestRecord.ABSENT) promptTokensPerRequest.record(r.promptTokens);
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
    if (meetsSlo(r, sloTtftMs, sloTpotMs, sloE2eMs)) good++;
    warnings.add(r);
    server.add(r);
    sample.add(r, tps);
  }

  /**
   * The TTFT and E2E bounds are held against those from the scheduled instant: in the open model
   * a request that waited behind a cap or went late is late for its user (coordinated omission
   * otherwise); in the closed model the scheduled instant is when the virtual user asked.
   */
  static boolean meetsSlo(RequestRecord r, @Nullable Double ttftMs, @Nullable Double tpotMs, @Nullable Double e2eMs) {
    return Definitions.meetsSlo(r.ttftFromScheduledMs(), r.tpotMs, r.e2eFromScheduledMs(), ttftMs, tpotMs, e2eMs);
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
    failures.merge(o.failures);
    o.shards.forEach((k, v) -> {
      if (shards.size() < MAX_SHARDS || shards.containsKey(k)) shards.computeIfAbsent(k, x -> new long[1])[0] += v[0];
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
    promptTokensPerRequest.add(o.promptTokensPerRequest);
    warnings.merge(o.warnings);
    server.merge(o.server);
    sample.merge(o.sample, random);
  }
}
