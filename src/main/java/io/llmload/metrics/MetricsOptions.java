package io.llmload.metrics;

import io.llmload.config.Params;
import java.net.URI;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * {@code -Dmetrics.port} (the /metrics endpoint; none when absent), {@code -Dmetrics.host} (the
 * address to listen on, all interfaces by default as Prometheus exporters do), {@code
 * -Dmetrics.linger} (how long the endpoint stays up after the run so the last values are scraped),
 * {@code -Dmetrics.remoteWrite} (a Prometheus remote-write URL to push to, for runs no Prometheus
 * scrapes) and {@code -Dmetrics.remoteWrite.period}, {@code -Dmetrics.graphite} (a Graphite
 * plaintext listener, {@code host:port}, to send the same series to) and {@code
 * -Dmetrics.graphite.period}. All off unless asked for.
 */
public record MetricsOptions(
    @Nullable Integer port, String host, Duration linger, @Nullable URI remoteWrite, Duration remoteWritePeriod,
    @Nullable String graphiteHost, int graphitePort, Duration graphitePeriod) {
  /** Longer than the 15 s scrape interval of Prometheus' shipped configuration, twice over. */
  public static final Duration DEFAULT_LINGER = Duration.ofSeconds(30);
  public static final Duration DEFAULT_PUSH_PERIOD = Duration.ofSeconds(5);
  /** Carbon's usual retention step. */
  public static final Duration DEFAULT_GRAPHITE_PERIOD = Duration.ofSeconds(10);

  public MetricsOptions(int port, String host, Duration linger) {
    this(port, host, linger, null, DEFAULT_PUSH_PERIOD, null, 0, DEFAULT_GRAPHITE_PERIOD);
  }

  /** The options, or null when neither an endpoint nor remote write is asked for; bad values end in one line. */
  public static @Nullable MetricsOptions from(Params params) {
    boolean serve = params.string("metrics.port") != null;
    String rw = params.string("metrics.remoteWrite");
    if (!serve) {
      for (String other : new String[] {"metrics.host", "metrics.linger"}) {
        if (params.string(other) != null) {
          throw params.invalid(other + ": has no effect without metrics.port (the port to serve metrics on)");
        }
      }
    }
    if (rw == null && params.string("metrics.remoteWrite.period") != null) {
      throw params.invalid("metrics.remoteWrite.period: has no effect without metrics.remoteWrite (the URL to push to)");
    }
    String graphite = params.string("metrics.graphite");
    if (graphite == null && params.string("metrics.graphite.period") != null) {
      throw params.invalid("metrics.graphite.period: has no effect without metrics.graphite (the host:port to send to)");
    }
    if (!serve && rw == null && graphite == null) return null;
    Integer port = serve ? params.intIn("metrics.port", 0, 1, 65535) : null;
    String host = serve ? params.string("metrics.host", "0.0.0.0") : "0.0.0.0";
    Duration linger = serve ? params.duration("metrics.linger", DEFAULT_LINGER) : Duration.ZERO;
    URI url = rw == null ? null : remoteWriteUrl(params, rw);
    Duration period = rw == null ? DEFAULT_PUSH_PERIOD : params.positiveDuration("metrics.remoteWrite.period", DEFAULT_PUSH_PERIOD);
    String gHost = null;
    int gPort = 0;
    if (graphite != null) {
      int colon = graphite.trim().lastIndexOf(':');
      gHost = colon > 0 ? graphite.trim().substring(0, colon) : null;
      try {
        gPort = colon > 0 ? Integer.parseInt(graphite.trim().substring(colon + 1)) : -1;
      } catch (NumberFormatException e) {
        gPort = -1;
      }
      if (gHost == null || gHost.isBlank() || gPort < 1 || gPort > 65535) {
        throw params.invalid("metrics.graphite: '" + graphite + "' is not host:port (port 1 to 65535), e.g. graphite:2003");
      }
    }
    Duration gPeriod = graphite == null ? DEFAULT_GRAPHITE_PERIOD
        : params.positiveDuration("metrics.graphite.period", DEFAULT_GRAPHITE_PERIOD);
    return new MetricsOptions(port, host, linger, url, period, gHost, gPort, gPeriod);
  }

  private static URI remoteWriteUrl(Params params, String v) {
    URI u;
    try {
      u = URI.create(v.trim());
    } catch (IllegalArgumentException e) {
      throw params.invalid("metrics.remoteWrite: '" + v + "' is not a URL, e.g. http://prometheus:9090/api/v1/write");
    }
    if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
      throw params.invalid("metrics.remoteWrite: '" + v + "' is not an http:// or https:// URL, e.g. http://prometheus:9090/api/v1/write");
    }
    if (u.getUserInfo() != null) {
      // run.json records the parameter: a password in the URL would be written there
      throw params.invalid("metrics.remoteWrite: credentials in the URL are not accepted (they would be recorded in run.json)");
    }
    return u;
  }
}
