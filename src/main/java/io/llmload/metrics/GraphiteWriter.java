package io.llmload.metrics;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the registry to a Graphite (carbon) plaintext listener every period, from its own daemon
 * thread: the same series as the /metrics endpoint and remote write, one line each in Graphite's
 * tagged form, {@code name;tag=value;... value epoch_seconds}. It stands in for Gatling's Graphite
 * writer, which Gatling 3.15 no longer has. A listener that is down or slow costs a failed send
 * (bounded by a short timeout), never the run; failures are counted and said at the end.
 */
public final class GraphiteWriter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GraphiteWriter.class);
  private static final int TIMEOUT_MS = 2000;
  // Graphite tag values may not hold ';' or '~' nor be empty; a space would end the path.
  private static final Pattern NOT_IN_TAG = Pattern.compile("[;~\\s]");

  private final String host;
  private final int port;
  private final PrometheusRegistry registry;
  private final ScheduledExecutorService timer;
  private final AtomicLong sends = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private volatile String lastError = "";

  public GraphiteWriter(String host, int port, PrometheusRegistry registry, Duration period) {
    this.host = host;
    this.port = port;
    this.registry = registry;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "llm-graphite");
      t.setDaemon(true);
      return t;
    });
    long ms = period.toMillis();
    timer.scheduleWithFixedDelay(this::send, ms, ms, TimeUnit.MILLISECONDS);
  }

  /** The registry as it is now, as Graphite plaintext lines stamped {@code epochSeconds}. */
  static String lines(PrometheusRegistry registry, long epochSeconds) {
    StringBuilder b = new StringBuilder(1 << 14);
    SnapshotSeries.forEach(registry.scrape(), Map.of(), (name, labels, value) -> {
      if (!Double.isFinite(value)) return;
      b.append(name);
      labels.forEach((k, v) -> b.append(';').append(k).append('=').append(tagValue(v)));
      b.append(' ');
      if (value == Math.rint(value) && Math.abs(value) < 1e15) b.append((long) value);
      else b.append(String.format(Locale.ROOT, "%s", value));
      b.append(' ').append(epochSeconds).append('\n');
    });
    return b.toString();
  }

  private static String tagValue(String v) {
    return v.isEmpty() ? "none" : NOT_IN_TAG.matcher(v).replaceAll("_");
  }

  /** One send of the registry as it is now, on a fresh connection; returns whether it was written. */
  public boolean send() {
    sends.incrementAndGet();
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), TIMEOUT_MS);
      s.setSoTimeout(TIMEOUT_MS);
      OutputStream out = s.getOutputStream();
      out.write(lines(registry, System.currentTimeMillis() / 1000).getBytes(StandardCharsets.UTF_8));
      out.flush();
      return true;
    } catch (IOException | RuntimeException e) {
      failures.incrementAndGet();
      lastError = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
      return false;
    }
  }

  public long sends() {
    return sends.get();
  }

  public long failures() {
    return failures.get();
  }

  /** Stops the timer, sends the final values once more and says how the sends went. */
  @Override
  public void close() {
    timer.shutdownNow();
    send();
    long f = failures.get();
    if (f == 0) LOG.info("graphite: {} sends to {}:{}, none failed", sends.get(), host, port);
    else LOG.warn("graphite: {} of {} sends to {}:{} failed (last: {})", f, sends.get(), host, port, lastError);
  }
}
