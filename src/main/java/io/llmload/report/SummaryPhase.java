package io.llmload.report;

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
    o.put("name", a.name);
    if (a.level == null) o.putNull("level");
    else if (a.level == Math.rint(a.level) && Math.abs(a.level) < 1e15) o.put("level", a.level.longValue());
    else o.put("level", a.level);
    double window = a.windowSeconds();
    put(o, "window_s", window);
    putLong(o, "start_epoch_us", a.windowStartUs() == Long.MAX_VALUE ? null : a.windowStartUs());
    putLong(o, "end_epoch_us", a.windowEndUs() == Long.MIN_VALUE ? null : a.windowEndUs());
    o.put("warmup_requests", a.warmupRecords);
    o.put("requests", a.requests);
    o.put("ok", a.ok);
    o.put("failed", a.requests - a.ok);
    if (a.shards.size() > 1) {
      ObjectNode sh = o.putObject("requests_by_shard");
      a.shards.forEach((k, v) -> sh.put(k, v[0]));
    }
    ObjectNode fail = o.putObject("failures");
    a.failures.forEach((k, v) -> fail.put(k, v[0]));
    if (!a.errorExamples.isEmpty()) {
      ObjectNode ex = o.putObject("error_examples");
      a.errorExamples.forEach((k, v) -> {
        ArrayNode arr = ex.putArray(k);
        v.forEach(arr::add);
      });
    }
    put(o, "error_rate", a.requests > 0 ? (double) (a.requests - a.ok) / a.requests : Double.NaN);
    // Rates count what happened inside the window (WindowCounts); without a declared window, the
    // phase's own requests over their own span.
    long ended = a.windowEnded >= 0 ? a.windowEnded : a.requests;
    long windowTokens = a.windowTokens >= 0 ? a.windowTokens : a.outputTokens;
    long good = a.windowGood >= 0 ? a.windowGood : a.good;
    put(o, "request_rate", Definitions.perSecond(ended, window));
    o.put("output_tokens", a.outputTokens);
    o.put("window_output_tokens", windowTokens);
    put(o, "output_tokens_per_s", Definitions.perSecond(windowTokens, window));
    if (a.inputs > 0) { // embeddings and rerank: inputs (documents) and their tokens per second
      o.put("inputs", a.inputs);
      put(o, "inputs_per_s", Definitions.perSecond(a.inputs, window));
      o.put("input_tokens", a.inputTokens);
      put(o, "input_tokens_per_s", Definitions.perSecond(a.inputTokens, window));
    }
    if (hasSlo) {
      put(o, "goodput_rps", Definitions.perSecond(good, window));
      put(o, "good_fraction", a.requests > 0 ? (double) a.good / a.requests : Double.NaN);
    } else {
      o.putNull("goodput_rps");
      o.putNull("good_fraction");
    }
    o.set("ttft_ms", a.ttft.latencyStats());
    o.set("ttfo_ms", a.ttfo.latencyStats());
    o.set("tpot_ms", a.tpot.latencyStats());
    o.set("itl_ms", a.itl.gaps.latencyStats());
    o.put("itl_basis", a.itl.basis());
    o.set("itl_request_mean_ms", a.itl.requestMeans.latencyStats());
    o.put("itl_chunk_token_requests", a.itl.chunkTokens);
    o.set("connection", a.connection.toJson());
    o.set("e2e_ms", a.e2e.latencyStats());
    o.set("queue_delay_ms", a.queueDelay.latencyStats());
    o.set("ttft_from_scheduled_ms", a.ttftFromScheduled.latencyStats());
    o.set("tokens_per_s", a.tokensPerS.speedStats());
    o.set("decode_tokens_per_s", a.decodeTokensPerS.speedStats());
    o.set("output_tokens_per_request", a.outputTokensPerRequest.speedStats());
    GpuPhase gpu = hw.gpu.get(a.name);
    o.set("gpu", gpu == null ? null : gpu.toJson(windowTokens, opts));
    HardwareReader.ProcessPhase proc = hw.process.get(a.name);
    o.set("process", proc == null ? null : proc.toJson());
    HostPhase host = hw.host.get(a.name);
    o.set("host", host == null ? null : host.toJson(windowTokens));
    o.set("server_metrics", hw.gaugesJson(a.name));
    ServerMetricsPhase sm = hw.server.get(a.name);
    o.set("server_counters", sm == null ? null : sm.countersJson());
    o.set("server_tokens", sm == null ? null : sm.tokensJson(window > 0 ? windowTokens / window : Double.NaN));
    if (!a.server.isEmpty()) {
      ObjectNode s = o.putObject("server_reported");
      for (Map.Entry<String, double[]> e : a.server.entrySet()) {
        ObjectNode m = s.putObject(e.getKey());
        m.put("n", (long) e.getValue()[1]);
        m.put("mean", Num.round(e.getValue()[0] / e.getValue()[1]));
        m.put("max", Num.round(e.getValue()[2]));
        HistogramAccumulator ms = a.serverMs.get(e.getKey());
        if (ms != null && ms.count() > 0) { // durations: the tail too (TGI's time per token p95)
          m.put("p50", Num.round(ms.percentile(50)));
          m.put("p95", Num.round(ms.percentile(95)));
          m.put("p99", Num.round(ms.percentile(99)));
        }
      }
    }
    ObjectNode h = o.putObject("histograms");
    h.put("ttft_ms", a.ttft.encoded());
    h.put("tpot_ms", a.tpot.encoded());
    h.put("e2e_ms", a.e2e.encoded());
    h.put("itl_ms", a.itl.gaps.encoded());
    h.put("queue_delay_ms", a.queueDelay.encoded());
    ObjectNode s = o.putObject("samples");
    s.put("seed", opts.sampleSeed());
    String[] names = {"ttft_ms", "tpot_ms", "e2e_ms", "tokens_per_s", "output_tokens"};
    for (int k = 0; k < names.length; k++) {
      ArrayNode arr = s.putArray(names[k]);
      for (int i = 0; i < a.sampleSize; i++) {
        double v = a.sample[i][k];
        if (Double.isNaN(v)) arr.addNull();
        else if (k == 4) arr.add((long) v);
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
    if (a.withMaxTokens > 0 && a.shortOutputs >= WARN_SHARE * a.withMaxTokens) {
      out.add(String.format(Locale.ROOT,
          "%s%d of %d requests (%s%%) returned fewer output tokens than requested (on average %s%% of max_tokens %d):"
              + " the server stopped early, so the load was lighter than configured",
          p, a.shortOutputs, a.withMaxTokens, Num.fmt(100.0 * a.shortOutputs / a.withMaxTokens, 1),
          Num.fmt(100 * a.shortOutputRatioSum / a.shortOutputs, 0), a.maxTokensSeen));
    }
    if (a.withPromptTarget > 0 && a.promptOffTarget >= WARN_SHARE * a.withPromptTarget) {
      out.add(String.format(Locale.ROOT,
          "%s%d of %d requests had a prompt length more than 10%% off its target (server-counted prompt tokens)",
          p, a.promptOffTarget, a.withPromptTarget));
    }
    if (a.tokenCountsCompared > 0 && a.tokenCountsApart >= WARN_SHARE * a.tokenCountsCompared) {
      out.add(String.format(Locale.ROOT,
          "%s%d of %d requests: the server's output-token count and the client's chunk count differ by more than 10%%",
          p, a.tokenCountsApart, a.tokenCountsCompared));
    }
    if (a.itl.chunkTokens > 0 && a.tokenCountsApart > 0) {
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
