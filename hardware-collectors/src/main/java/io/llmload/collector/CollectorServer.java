package io.llmload.collector;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Serves a standalone collector's samples to the load generator, with the JDK's HTTP server:
 * {@code GET /time} (collector clock in the {@value #TIME_HEADER} header, for the offset estimate), {@code GET /samples?from=&to=} (the
 * files' lines within a window of the collector clock, epoch ms), {@code GET /status} and {@code GET /metrics}
 * (the latest GPU readings in Prometheus text format, so a GPU host can be scraped on its own).
 */
public final class CollectorServer implements AutoCloseable {

  /** Header of {@code GET /time}: the collector clock in epoch microseconds. */
  public static final String TIME_HEADER = "X-Collector-Epoch-Us";

  private final HttpServer server;
  private final ExecutorService exec;
  private final CollectorSession session;

  private CollectorServer(HttpServer server, ExecutorService exec, CollectorSession session) {
    this.server = server;
    this.exec = exec;
    this.session = session;
  }

  /** Binds {@code bind:port} (port 0 picks a free one) and serves {@code session}'s samples. */
  public static CollectorServer start(CollectorSession session, String bind, int port) throws IOException {
    HttpServer hs = HttpServer.create(new InetSocketAddress(bind, port), 16);
    ExecutorService ex = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, SourceRunner.THREAD_PREFIX + "http");
      t.setDaemon(true);
      return t;
    });
    CollectorServer s = new CollectorServer(hs, ex, session);
    hs.createContext("/time", s::time);
    hs.createContext("/samples", s::samples);
    hs.createContext("/status", s::status);
    PrometheusRegistry registry = new PrometheusRegistry();
    session.gpuGauges().register(registry);
    hs.createContext("/metrics", new MetricsHandler(registry));
    hs.createContext("/", s::index);
    hs.setExecutor(ex);
    hs.start();
    return s;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /**
   * The collector's time in a header, with no body: headers and body go out as two TCP segments, and
   * Nagle's algorithm with the client's delayed ACK can hold the second back ~40 ms, which would skew
   * the offset estimate by half that.
   */
  private void time(HttpExchange x) throws IOException {
    x.getRequestBody().close();
    Instant now = session.config().clock().instant();
    long us = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    x.getResponseHeaders().set(TIME_HEADER, Long.toString(us));
    x.sendResponseHeaders(200, -1);
    x.close();
  }

  private void samples(HttpExchange x) throws IOException {
    Map<String, String> q = query(x.getRequestURI().getRawQuery());
    long from;
    long to;
    try {
      from = Long.parseLong(q.getOrDefault("from", "0"));
      to = Long.parseLong(q.getOrDefault("to", Long.toString(Long.MAX_VALUE)));
    } catch (NumberFormatException e) {
      send(x, 400, "text/plain", "from, to: expected epoch milliseconds\n");
      return;
    }
    ObjectNode o = statusJson();
    o.put("from", from);
    o.put("to", to);
    ObjectNode f = o.putObject("files");
    for (String name : RunFiles.NAMES) {
      List<String> lines = session.files().window(name, from, to);
      StringBuilder b = new StringBuilder();
      for (String l : lines) {
        b.append(l).append('\n');
      }
      f.put(name, b.toString());
    }
    send(x, 200, "application/json", CollectorSession.json().writeValueAsString(o));
  }

  private void status(HttpExchange x) throws IOException {
    send(x, 200, "application/json", CollectorSession.json().writeValueAsString(statusJson()));
  }

  private ObjectNode statusJson() {
    ObjectNode o = CollectorSession.collectorJson(session.statuses(), session.host(), session.startEpochMs(), null,
        null, null);
    ArrayNode procs = o.putArray("processes");
    for (Map<String, Object> p : session.processes()) {
      procs.add(CollectorSession.json().valueToTree(p));
    }
    return o;
  }

  private void index(HttpExchange x) throws IOException {
    send(x, 200, "text/plain",
        "llm-load-suite hardware collector\nGET /time\nGET /samples?from=<epoch_ms>&to=<epoch_ms>\nGET /status\nGET /metrics (Prometheus)\n");
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> m = new HashMap<>();
    if (raw == null) {
      return m;
    }
    for (String kv : raw.split("&")) {
      int eq = kv.indexOf('=');
      if (eq > 0) {
        m.put(kv.substring(0, eq), kv.substring(eq + 1));
      }
    }
    return m;
  }

  private static void send(HttpExchange x, int code, String type, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
    x.sendResponseHeaders(code, b.length);
    try (OutputStream out = x.getResponseBody()) {
      out.write(b);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    exec.shutdownNow();
  }
}
