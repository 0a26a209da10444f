package io.llmload.metrics;

import io.llmload.record.LiveStats;
import io.llmload.record.Phase;
import io.llmload.record.RequestRecord;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The suite's live LLM metrics as Prometheus families, fed with every request record as it is
 * queued for requests.jsonl, so the counters end equal to what summary.json counts. Labels are few
 * and bounded: {@code run} (one per process), {@code shard} (only when the run is split over
 * several generators: {@code i/N}, one per process), {@code phase}, {@code level}, {@code warmup}
 * and, on the counters, {@code status} (the record's status class); never prompts, ids or headers.
 */
public final class LiveMetrics {
  public static final String PREFIX = "llm_load_";
  private static final String[] SERIES = {"phase", "level", "warmup"};
  private static final String[] BY_STATUS = {"phase", "level", "warmup", "status"};

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Histogram ttft;
  private final Histogram tpot;
  private final Histogram itl;
  private final Histogram e2e;
  private final Histogram queueDelay;
  private final Counter requests;
  private final Counter outputTokens;
  private final ConcurrentHashMap<String, Series> series = new ConcurrentHashMap<>();

  public LiveMetrics(String run, LiveStats live) {
    this(run, null, live);
  }

  /** @param shard this generator's part of a sharded run ({@code i/N}), or null for a single generator */
  public LiveMetrics(String run, @Nullable String shard, LiveStats live) {
    Labels constant = shard == null ? Labels.of("run", run) : Labels.of("run", run, "shard", shard);
    ttft = histogram("ttft", "Time to first token of ok requests, from the request written", constant);
    tpot = histogram("tpot", "Time per output token of ok requests (mean gap after the first token)", constant);
    itl = histogram("itl", "Inter-token gaps of ok requests, each gap one observation", constant);
    e2e = histogram("e2e", "End-to-end latency of ok requests, from the request written", constant);
    queueDelay = histogram("queue_delay", "Scheduled instant to the generator starting the request", constant);
    requests =
        Counter.builder().name(PREFIX + "requests").help("Requests ended, by status").constLabels(constant)
            .labelNames(BY_STATUS).register(registry);
    outputTokens =
        Counter.builder().name(PREFIX + "output_tokens").help("Output tokens of ended requests, by status")
            .constLabels(constant).labelNames(BY_STATUS).register(registry);
    GaugeWithCallback.builder().name(PREFIX + "in_flight").help("Streams in flight").constLabels(constant)
        .callback(cb -> cb.call(live.active())).register(registry);
    CounterWithCallback.builder().name(PREFIX + "streamed_chunks")
        .help("Output chunks received so far, requests still streaming included (live tokens/s)")
        .constLabels(constant).callback(cb -> cb.call(live.tokens())).register(registry);
  }

  private Histogram histogram(String name, String help, Labels constant) {
    return Histogram.builder()
        .name(PREFIX + name + "_seconds")
        .unit(Unit.SECONDS)
        .help(help)
        .constLabels(constant)
        .labelNames(SERIES)
        .classicUpperBounds(LatencyBuckets.upperBounds())
        .withoutExemplars()
        .register(registry);
  }

  public PrometheusRegistry registry() {
    return registry;
  }

  /**
   * Creates every planned phase's series at zero before its first request, so rate() and increase()
   * see the first requests of a phase too (a series that appears at 1 loses its first increment).
   */
  public void prepare(List<Phase> plan) {
    for (Phase p : plan) {
      String level = level(p.level());
      for (String warmup : new String[] {"true", "false"}) {
        series(p.name(), level, warmup);
        requests.labelValues(p.name(), level, warmup, "ok");
        outputTokens.labelValues(p.name(), level, warmup, "ok");
      }
    }
  }

  private Series series(String phase, String level, String warmup) {
    return series.computeIfAbsent(phase + '\u0000' + level + '\u0000' + warmup, k -> new Series(phase, level, warmup));
  }

  /** Counts one ended request; called on Gatling's threads, so it never throws. */
  public void observe(RequestRecord r) {
    try {
      String level = level(r.level);
      String phase = r.phase == null ? "" : r.phase;
      String warmup = r.warmup ? "true" : "false";
      String status = r.status == null ? "unknown" : r.status;
      Series s = series(phase, level, warmup);
      requests.labelValues(phase, level, warmup, status).inc();
      if (r.outputTokens != null && r.outputTokens > 0) {
        outputTokens.labelValues(phase, level, warmup, status).inc(r.outputTokens);
      }
      if (!"ok".equals(r.status)) return;
      seconds(s.ttft, r.ttftMs);
      seconds(s.tpot, r.tpotMs);
      seconds(s.e2e, r.e2eMs);
      seconds(s.queueDelay, r.queueDelayMs);
      long[] gaps = r.itlNanos;
      int[] weights = r.itlWeights;
      if (gaps != null && weights != null) {
        for (int i = 0; i < r.itlEntries; i++) {
          double v = gaps[i] / 1e9;
          for (int w = 0; w < weights[i]; w++) s.itl.observe(v);
        }
      }
    } catch (RuntimeException e) {
      // a metrics problem must never touch the run
    }
  }

  private static void seconds(DistributionDataPoint h, @Nullable Double ms) {
    if (ms != null && !ms.isNaN() && ms >= 0) h.observe(ms / 1000.0);
  }

  static String level(@Nullable Double level) {
    if (level == null || level.isNaN()) return "";
    double l = level;
    return l == Math.rint(l) && Math.abs(l) < 1e15 ? Long.toString((long) l) : String.format(Locale.ROOT, "%s", l);
  }

  /** One phase's data points, looked up once instead of per observation. */
  private final class Series {
    final DistributionDataPoint ttft;
    final DistributionDataPoint tpot;
    final DistributionDataPoint itl;
    final DistributionDataPoint e2e;
    final DistributionDataPoint queueDelay;

    Series(String phase, String level, String warmup) {
      ttft = LiveMetrics.this.ttft.labelValues(phase, level, warmup);
      tpot = LiveMetrics.this.tpot.labelValues(phase, level, warmup);
      itl = LiveMetrics.this.itl.labelValues(phase, level, warmup);
      e2e = LiveMetrics.this.e2e.labelValues(phase, level, warmup);
      queueDelay = LiveMetrics.this.queueDelay.labelValues(phase, level, warmup);
    }
  }
}
