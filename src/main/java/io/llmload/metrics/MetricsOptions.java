package io.llmload.metrics;

import io.llmload.config.Params;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * {@code -Dmetrics.port} (off when absent: a run then opens no port), {@code -Dmetrics.host} (the
 * address to listen on, all interfaces by default as Prometheus exporters do) and {@code
 * -Dmetrics.linger} (how long the endpoint stays up after the run so the last values are scraped).
 */
public record MetricsOptions(int port, String host, Duration linger) {
  /** Longer than the 15 s scrape interval of Prometheus' shipped configuration, twice over. */
  public static final Duration DEFAULT_LINGER = Duration.ofSeconds(30);

  /** The options, or null when {@code metrics.port} is not given; bad values end in one line. */
  public static @Nullable MetricsOptions from(Params params) {
    if (params.string("metrics.port") == null) {
      for (String other : new String[] {"metrics.host", "metrics.linger"}) {
        if (params.string(other) != null) {
          throw params.invalid(other + ": has no effect without metrics.port (the port to serve metrics on)");
        }
      }
      return null;
    }
    int port = params.intIn("metrics.port", 0, 1, 65535);
    String host = params.string("metrics.host", "0.0.0.0");
    Duration linger = params.duration("metrics.linger", DEFAULT_LINGER);
    return new MetricsOptions(port, host, linger);
  }
}
