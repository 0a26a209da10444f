package io.llmload.metrics;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes the registry to a Prometheus remote-write URL every period from its own daemon thread, for
 * runs that no Prometheus scrapes. A receiver that is down or slow costs a failed push (bounded by
 * a short timeout), never the run: the actions only ever touch the registry. Failures are counted
 * and said at the end.
 */
public final class RemoteWrite implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RemoteWrite.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  private final URI url;
  private final PrometheusRegistry registry;
  private final Map<String, String> labels;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  private final ScheduledExecutorService timer;
  private final AtomicLong pushes = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private volatile String lastError = "";

  /** @param labels added to every series (the job), as a scrape would add them */
  public RemoteWrite(URI url, PrometheusRegistry registry, Map<String, String> labels, Duration period) {
    this.url = url;
    this.registry = registry;
    this.labels = Map.copyOf(labels);
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "llm-remote-write");
      t.setDaemon(true);
      return t;
    });
    long ms = period.toMillis();
    timer.scheduleWithFixedDelay(this::push, ms, ms, TimeUnit.MILLISECONDS);
  }

  /** One push of the registry as it is now; returns whether the receiver took it. */
  public boolean push() {
    pushes.incrementAndGet();
    try {
      byte[] body = RemoteWriteEncoder.body(registry.scrape(), labels, System.currentTimeMillis());
      HttpRequest req = HttpRequest.newBuilder(url).timeout(TIMEOUT)
          .header("Content-Type", "application/x-protobuf")
          .header("Content-Encoding", "snappy")
          .header("X-Prometheus-Remote-Write-Version", "0.1.0")
          .header("User-Agent", "llm-load-suite")
          .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
      HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() / 100 == 2) return true;
      fail("HTTP " + r.statusCode() + " " + r.body().strip().lines().findFirst().orElse(""));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fail("interrupted");
    } catch (Exception e) {
      fail(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    }
    return false;
  }

  private void fail(String why) {
    failures.incrementAndGet();
    lastError = why;
  }

  public long pushes() {
    return pushes.get();
  }

  public long failures() {
    return failures.get();
  }

  /** Stops the timer, pushes the final values once more and says how the pushes went. */
  @Override
  public void close() {
    timer.shutdownNow();
    push();
    long f = failures.get();
    if (f == 0) {
      LOG.info("remote write: {} pushes to {}, none failed", pushes.get(), url);
    } else {
      LOG.warn("remote write: {} of {} pushes to {} failed (last: {})", f, pushes.get(), url, lastError);
    }
  }
}
