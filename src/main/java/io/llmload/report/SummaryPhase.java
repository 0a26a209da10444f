package io.llmload.report;

import io.llmload.collector.runfolder.SummaryJson;
import io.llmload.collector.runfolder.SummaryJson.Phase;
import io.llmload.collector.runfolder.SummaryJson.Samples;
import io.llmload.collector.runfolder.SummaryJson.Stats;
import io.llmload.record.Definitions;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** One phase's entry of summary.json, and the warnings its records call for. */
final class SummaryPhase {
  /** Share of requests above which a per-request oddity becomes a warning. */
  static final double WARN_SHARE = 0.05;
  static final int DISTRIBUTION_BINS = 24;

  private SummaryPhase() {}

  static ObjectNode toJson(PhaseAccumulator a, HardwareReader hw, ReportOptions opts, boolean hasSlo) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode o = f.objectNode();
    o.put(Phase.NAME, a.name);
    if (a.level == null) o.putNull(Phase.LEVEL);
    else if (a.level == Math.rint(a.level) && Math.abs(a.level) < 1e15) o.put(Phase.LEVEL, a.level.longValue());
    else o.put(Phase.LEVEL, a.level);
    double window = a.windowSeconds();
    put(o, Phase.WINDOW_S, window);
    putLong(o, Phase.START_EPOCH_US, a.windowStartUs() == Long.MAX_VALUE ? null : a.windowStartUs());
    putLong(o, Phase.END_EPOCH_US, a.windowEndUs() == Long.MIN_VALUE ? null : a.windowEndUs());
    o.put(Phase.WARMUP_REQUESTS, a.warmupRecords);
    o.put(Phase.REQUESTS, a.requests);
    o.put(Phase.OK, a.ok);
    o.put(Phase.FAILED, a.requests - a.ok);
    if (a.shards.size() > 1) {
      ObjectNode sh = o.putObject(Phase.REQUESTS_BY_SHARD);
      a.shards.forEach((k, v) -> sh.put(k, v[0]));
    }
    ObjectNode fail = o.putObject(Phase.FAILURES);
    a.failures.byStatus.forEach((k, v) -> fail.put(k, v[0]));
    if (!a.failures.examples.isEmpty()) {
      ObjectNode ex = o.putObject(Phase.ERROR_EXAMPLES);
      a.failures.examples.forEach((k, v) -> {
        ArrayNode arr = ex.putArray(k);
        v.forEach(arr::add);
      });
    }
    put(o, Phase.ERROR_RATE, a.requests > 0 ? (double) (a.requests - a.ok) / a.requests : Double.NaN);
    // Rates count what happened inside the window (WindowCounts); without a declared window, the
    // phase's own requests over their own span.
    long ended = a.windowEnded >= 0 ? a.windowEnded : a.requests;
    long windowTokens = a.windowTokens >= 0 ? a.windowTokens : a.outputTokens;
    long good = a.windowGood >= 0 ? a.windowGood : a.good;
    put(o, Phase.REQUEST_RATE, Definitions.perSecond(ended, window));
    o.put(Phase.OUTPUT_TOKENS, a.outputTokens);
    o.put(Phase.WINDOW_OUTPUT_TOKENS, windowTokens);
    put(o, Phase.OUTPUT_TOKENS_PER_S, Definitions.perSecond(windowTokens, window));
    // Prompt tokens whose prefill ended inside the window (WindowCounts), beside the server's.
    double promptPerS = a.windowPromptTokens > 0 ? Definitions.perSecond(a.windowPromptTokens, window) : Double.NaN;
    if (a.windowPromptTokens > 0) o.put(Phase.WINDOW_PROMPT_TOKENS, a.windowPromptTokens);
    else o.putNull(Phase.WINDOW_PROMPT_TOKENS);
    put(o, Phase.PROMPT_TOKENS_PER_S, promptPerS);
    if (a.inputs > 0) { // embeddings and rerank: inputs (documents) and their tokens per second
      o.put(Phase.INPUTS, a.inputs);
      put(o, Phase.INPUTS_PER_S, Definitions.perSecond(a.inputs, window));
      o.put(Phase.INPUT_TOKENS, a.inputTokens);
      put(o, Phase.INPUT_TOKENS_PER_S, Definitions.perSecond(a.inputTokens, window));
    }
    if (hasSlo) {
      put(o, Phase.GOODPUT_RPS, Definitions.perSecond(good, window));
      put(o, Phase.GOOD_FRACTION, a.requests > 0 ? (double) a.good / a.requests : Double.NaN);
    } else {
      o.putNull(Phase.GOODPUT_RPS);
      o.putNull(Phase.GOOD_FRACTION);
    }
    o.set(Phase.TTFT_MS, a.ttft.latencyStats());
    o.set(Phase.TTFO_MS, a.ttfo.latencyStats());
    o.set(Phase.TPOT_MS, a.tpot.latencyStats());
    o.set(Phase.ITL_MS, a.itl.gaps.latencyStats());
    o.put(Phase.ITL_BASIS, a.itl.basis());
    o.set(Phase.ITL_REQUEST_MEAN_MS, a.itl.requestMeans.latencyStats());
    o.put(Phase.ITL_CHUNK_TOKEN_REQUESTS, a.itl.chunkTokens);
    o.set(Phase.CONNECTION, a.connection.toJson());
    o.set(Phase.E2E_MS, a.e2e.latencyStats());
    o.set(Phase.QUEUE_DELAY_MS, a.queueDelay.latencyStats());
    o.set(Phase.TTFT_FROM_SCHEDULED_MS, a.ttftFromScheduled.latencyStats());
    o.set(Phase.TOKENS_PER_S, a.tokensPerS.speedStats());
    o.set(Phase.DECODE_TOKENS_PER_S, a.decodeTokensPerS.speedStats());
    o.set(Phase.OUTPUT_TOKENS_PER_REQUEST, a.outputTokensPerRequest.speedStats());
    o.set(Phase.PROMPT_TOKENS_PER_REQUEST, a.promptTokensPerRequest.speedStats());
    GpuPhase gpu = hw.gpu.get(a.name);
    o.set(Phase.GPU, gpu == null ? null : gpu.toJson(windowTokens, opts));
    HardwareReader.ProcessPhase proc = hw.process.get(a.name);
    o.set(Phase.PROCESS, proc == null ? null : proc.toJson());
    HostPhase host = hw.host.get(a.name);
    o.set(Phase.HOST, host == null ? null : host.toJson(windowTokens));
    o.set(Phase.SERVER_METRICS, hw.gaugesJson(a.name));
    ServerMetricsPhase sm = hw.server.get(a.name);
    o.set(Phase.SERVER_COUNTERS, sm == null ? null : sm.countersJson());
    o.set(Phase.SERVER_TOKENS, sm == null ? null : sm.tokensJson(window > 0 ? windowTokens / window : Double.NaN, promptPerS));
    if (!a.server.values.isEmpty()) {
      ObjectNode s = o.putObject(Phase.SERVER_REPORTED);
      for (Map.Entry<String, double[]> e : a.server.values.entrySet()) {
        ObjectNode m = s.putObject(e.getKey());
        m.put(Stats.N, (long) e.getValue()[1]);
        m.put(Stats.MEAN, Num.round(e.getValue()[0] / e.getValue()[1]));
        m.put(Stats.MAX, Num.round(e.getValue()[2]));
        HistogramAccumulator ms = a.server.durations.get(e.getKey());
        if (ms != null && ms.count() > 0) { // durations: the tail too (TGI's time per token p95)
          m.put(Stats.P50, Num.round(ms.percentile(50)));
          m.put(Stats.P95, Num.round(ms.percentile(95)));
          m.put(Stats.P99, Num.round(ms.percentile(99)));
        }
      }
    }
    ObjectNode h = o.putObject(Phase.HISTOGRAMS);
    h.put(Phase.TTFT_MS, a.ttft.encoded());
    h.put(Phase.TPOT_MS, a.tpot.encoded());
    h.put(Phase.E2E_MS, a.e2e.encoded());
    h.put(Phase.ITL_MS, a.itl.gaps.encoded());
    h.put(Phase.QUEUE_DELAY_MS, a.queueDelay.encoded());
    h.put(SummaryJson.Histograms.PROMPT_TOKENS, a.promptTokensPerRequest.encoded());
    h.put(SummaryJson.Histograms.OUTPUT_TOKENS, a.outputTokensPerRequest.encoded());
    ObjectNode s = o.putObject(Phase.SAMPLES);
    s.put(Samples.SEED, opts.sampleSeed());
    String[] names = Samples.KEYS.toArray(new String[0]);
    // inputs per request (embeddings, rerank) back the gate's inputs/s; a chat run has none
    for (int k = 0; k < (a.inputs > 0 ? names.length : names.length - 1); k++) {
      ArrayNode arr = s.putArray(names[k]);
      for (int i = 0; i < a.sample.size(); i++) {
        double v = a.sample.row(i)[k];
        if (Double.isNaN(v)) arr.addNull();
        else if (k >= 4) arr.add((long) v);
        else arr.add(Num.round(v));
      }
    }
    return o;
  }

  static void warnings(PhaseAccumulator a, List<String> out) {
    String p = "phase " + a.name + ": ";
    if (a.requests == 0) {
      out.add(p + "no measured requests" + (a.warmupRecords > 0 ? " (only warm-up)" : ""));
      return;
    }
    if (a.warnings.withMaxTokens > 0 && a.warnings.shortOutputs >= WARN_SHARE * a.warnings.withMaxTokens) {
      out.add(String.format(Locale.ROOT,
          "%s%d of %d requests (%s%%) returned fewer output tokens than requested (on average %s%% of max_tokens %d):"
              + " the server stopped early, so the load was lighter than configured",
          p, a.warnings.shortOutputs, a.warnings.withMaxTokens, Num.fmt(100.0 * a.warnings.shortOutputs / a.warnings.withMaxTokens, 1),
          Num.fmt(100 * a.warnings.shortOutputRatioSum / a.warnings.shortOutputs, 0), a.warnings.maxTokensSeen));
    }
    if (a.warnings.withPromptTarget > 0 && a.warnings.promptOffTarget >= WARN_SHARE * a.warnings.withPromptTarget) {
      out.add(String.format(Locale.ROOT,
          "%s%d of %d requests had a prompt length more than 10%% off its target (server-counted prompt tokens)",
          p, a.warnings.promptOffTarget, a.warnings.withPromptTarget));
    }
    if (a.warnings.tokenCountsCompared > 0 && a.warnings.tokenCountsApart >= WARN_SHARE * a.warnings.tokenCountsCompared) {
      out.add(String.format(Locale.ROOT,
          "%s%d of %d requests: the server's output-token count and the client's chunk count differ by more than 10%%",
          p, a.warnings.tokenCountsApart, a.warnings.tokenCountsCompared));
    }
    if (a.itl.chunkTokens > 0 && a.warnings.tokenCountsApart > 0) {
      out.add(String.format(Locale.ROOT,
          "%s%d requests' inter-token gaps counted each chunk as one token (no per-chunk token counts from the server)"
              + " while the server's token count differs from the chunk count: ITL reads high by the tokens per chunk",
          p, a.itl.chunkTokens));
    }
    double lateP99 = a.queueDelay.percentile(99);
    double ttftP50 = a.ttft.percentile(50);
    if (lateP99 > 1.0 && (Double.isNaN(ttftP50) || lateP99 > 0.10 * ttftP50)) {
      out.add(String.format(Locale.ROOT,
          "%sthe load generator was late: queue delay p99 %s ms%s, which distorts latencies measured from the send",
          p, Num.auto(lateP99),
          Double.isNaN(ttftP50) ? "" : " against a TTFT p50 of " + Num.auto(ttftP50) + " ms"));
    }
  }

  /** Per-request tokens/s binned the same way for every phase, for the distribution chart. */
  static ObjectNode speedDistribution(List<PhaseAccumulator> phases) {
    double hi = 0;
    for (PhaseAccumulator a : phases) if (a.tokensPerS.count() > 0) hi = Math.max(hi, a.tokensPerS.percentile(99.9));
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    ArrayNode edges = o.putArray("bin_start");
    ArrayNode series = o.putArray("phases");
    if (hi <= 0) return o;
    double width = niceWidth(hi / DISTRIBUTION_BINS);
    int bins = (int) Math.ceil(hi / width) + 1;
    for (int b = 0; b < bins; b++) edges.add(Num.round(b * width));
    o.put("bin_width", Num.round(width));
    for (PhaseAccumulator a : phases) {
      if (a.tokensPerS.count() == 0) continue;
      ObjectNode s = series.addObject();
      s.put("name", a.name);
      ArrayNode c = s.putArray("counts");
      long placed = 0;
      for (int b = 0; b < bins - 1; b++) {
        long n = a.tokensPerS.countBetween(b * width, (b + 1) * width);
        placed += n;
        c.add(n);
      }
      c.add(a.tokensPerS.count() - placed); // the last bin takes the tail above it
    }
    return o;
  }

  private static double niceWidth(double raw) {
    double mag = Math.pow(10, Math.floor(Math.log10(raw)));
    for (double m : new double[] {1, 2, 2.5, 5, 10}) if (m * mag >= raw) return m * mag;
    return 10 * mag;
  }

  private static void put(ObjectNode o, String name, double v) {
    if (Double.isFinite(v)) o.put(name, Num.round(v));
    else o.putNull(name);
  }

  private static void putLong(ObjectNode o, String name, Long v) {
    if (v == null) o.putNull(name);
    else o.put(name, v);
  }
}
