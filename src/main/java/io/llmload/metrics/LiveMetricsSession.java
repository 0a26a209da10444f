package io.llmload.metrics;

import io.llmload.collector.GpuGauges;
import io.llmload.record.LiveStats;
import io.llmload.record.Phase;
import io.llmload.record.RequestRecord;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One run's live metrics: the families, the /metrics endpoint and the remote-write pusher that the
 * options ask for. The simulation starts it before any load, feeds it the records, the phase plan
 * and the in-process collector's GPU readings, and closes it after the run.
 */
public final class LiveMetricsSession implements AutoCloseable {
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);

  private final String run;
  private final LiveMetrics metrics;
  private final @Nullable MetricsEndpoint endpoint;
  private final @Nullable RemoteWrite remoteWrite;
  private final @Nullable GraphiteWriter graphite;

  private LiveMetricsSession(String run, LiveMetrics metrics, @Nullable MetricsEndpoint endpoint,
      @Nullable RemoteWrite remoteWrite, @Nullable GraphiteWriter graphite) {
    this.run = run;
    this.graphite = graphite;
    this.metrics = metrics;
    this.endpoint = endpoint;
    this.remoteWrite = remoteWrite;
  }

  /**
   * Starts what {@code o} asks for.
   *
   * @param simulation the simulation class: the {@code run} label is its lower-case name and the UTC start
   * @param shard this generator's part of a sharded run ({@code i/N}, the {@code shard} label), or null
   * @throws IllegalArgumentException the port cannot be listened on (the message is the one line to print)
   */
  public static LiveMetricsSession start(MetricsOptions o, Class<?> simulation, @Nullable String shard, LiveStats live) {
    String run = simulation.getSimpleName().toLowerCase(Locale.ROOT) + "-" + STAMP.format(Instant.now());
    LiveMetrics m = new LiveMetrics(run, shard, live);
    MetricsEndpoint e = o.port() == null ? null : MetricsEndpoint.start(o, m);
    RemoteWrite rw = o.remoteWrite() == null ? null
        : new RemoteWrite(o.remoteWrite(), m.registry(), Map.of("job", "llm-load-suite"), o.remoteWritePeriod());
    GraphiteWriter g = o.graphiteHost() == null ? null
        : new GraphiteWriter(o.graphiteHost(), o.graphitePort(), m.registry(), o.graphitePeriod());
    return new LiveMetricsSession(run, m, e, rw, g);
  }

  /** The {@code run} label's value. */
  public String run() {
    return run;
  }

  /** The session's families, as the endpoint serves them. */
  public io.prometheus.metrics.model.registry.PrometheusRegistry registry() {
    return metrics.registry();
  }

  /** The port the endpoint listens on, or -1 without one. */
  public int port() {
    return endpoint == null ? -1 : endpoint.port();
  }

  /** Counts one ended request (Gatling's threads; never throws). */
  public void observe(RequestRecord r) {
    metrics.observe(r);
  }

  /** The phase plan: every phase's series start at zero. */
  public void prepare(List<Phase> plan) {
    metrics.prepare(plan);
  }

  /** Serves the in-process collector's GPU readings beside the request metrics. */
  public void addGpu(GpuGauges gauges) {
    gauges.register(metrics.registry());
  }

  /** Pushes the final values, keeps the endpoint up for its linger, then stops both. */
  @Override
  public void close() {
    if (remoteWrite != null) remoteWrite.close();
    if (graphite != null) graphite.close();
    if (endpoint != null) endpoint.close();
  }
}
