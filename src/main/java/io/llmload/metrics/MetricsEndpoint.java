package io.llmload.metrics;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import java.io.IOException;
import java.net.BindException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The load generator's {@code /metrics} endpoint: started before any load (a port in use is one line
 * then, not a failure halfway), kept up for the linger after the run so the final values are scraped.
 */
public final class MetricsEndpoint implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MetricsEndpoint.class);

  private final HTTPServer server;
  private final Duration linger;

  private MetricsEndpoint(HTTPServer server, Duration linger) {
    this.server = server;
    this.linger = linger;
  }

  /**
   * Starts serving; the message of the exception is the one line to print.
   *
   * @throws IllegalArgumentException the port cannot be listened on
   */
  public static MetricsEndpoint start(MetricsOptions o, LiveMetrics metrics) {
    try {
      HTTPServer s = HTTPServer.builder().hostname(o.host()).port(o.port()).registry(metrics.registry()).buildAndStart();
      LOG.info("live metrics: http://{}:{}/metrics", o.host(), s.getPort());
      return new MetricsEndpoint(s, o.linger());
    } catch (BindException e) {
      throw new IllegalArgumentException(
          "metrics.port: " + o.port() + " on " + o.host() + " is in use (" + e.getMessage() + "); choose a free port");
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("metrics.port: cannot listen on " + o.host() + ":" + o.port() + " (" + e + ")");
    }
  }

  public int port() {
    return server.getPort();
  }

  /** Keeps the endpoint up for the linger, then stops it. */
  @Override
  public void close() {
    if (!linger.isZero()) {
      LOG.info("live metrics: serving the final values for {} s more (metrics.linger)", linger.toSeconds());
      try {
        Thread.sleep(linger.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    server.close();
  }
}
