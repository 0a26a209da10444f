package io.llmload.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's {@code prometheus} server, started on loopback with a temporary configuration that
 * scrapes one target every second, and queried through its HTTP API. Missing binary: the test is
 * skipped on a developer's machine and fails under CI=true (the setup script installs it).
 */
final class PrometheusServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final Process process;
  private final int port;
  private final Path log;

  private PrometheusServer(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /** The path of a Debian tool ({@code prometheus}, {@code promtool}), or skip/fail when absent. */
  static Path tool(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
      Path p = Path.of(dir, name);
      if (Files.isExecutable(p)) return p;
    }
    String why = name + " not found on PATH; install Debian's prometheus package (.ci/setup does)";
    if ("true".equalsIgnoreCase(System.getenv("CI"))) throw new AssertionError(why);
    Assumptions.abort(why);
    return null;
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static PrometheusServer start(Path dir, int... scrapedPorts) throws IOException, InterruptedException {
    return start(dir, List.of(), scrapedPorts);
  }

  /** As {@link #start(Path, int...)}, with more command-line flags (feature switches). */
  static PrometheusServer start(Path dir, List<String> flags, int... scrapedPorts) throws IOException, InterruptedException {
    Path bin = tool("prometheus");
    Path config = dir.resolve("prometheus.yml");
    String scrape = scrapedPorts.length == 0 ? "" : """
        scrape_configs:
          - job_name: llm-load-suite
            static_configs:
              - targets: [%s]
        """.formatted(String.join(", ", java.util.Arrays.stream(scrapedPorts).mapToObj(p -> "'127.0.0.1:" + p + "'").toList()));
    Files.writeString(config, """
        global:
          scrape_interval: 1s
          evaluation_interval: 1s
        """ + scrape);
    int port = freePort();
    Path log = dir.resolve("prometheus.log");
    List<String> cmd = new ArrayList<>(List.of(bin.toString(), "--config.file=" + config,
        "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port));
    cmd.addAll(flags);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    PrometheusServer s = new PrometheusServer(p, port, log);
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < end) {
      if (!p.isAlive()) throw new AssertionError("prometheus exited:\n" + Files.readString(log));
      try {
        if (s.get("/-/ready").statusCode() == 200) return s;
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    s.close();
    throw new AssertionError("prometheus not ready within 30 s:\n" + Files.readString(log));
  }

  int port() {
    return port;
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    HttpRequest r = HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(10)).build();
    return HTTP.send(r, HttpResponse.BodyHandlers.ofString());
  }

  /** The result vector of an instant query ({@code data.result}). */
  JsonNode query(String promql) throws IOException, InterruptedException {
    return query(promql, null);
  }

  /** As {@link #query(String)}, evaluated at {@code epochSeconds} (null: now). */
  JsonNode query(String promql, Double epochSeconds) throws IOException, InterruptedException {
    String at = epochSeconds == null ? "" : "&time=" + String.format(java.util.Locale.ROOT, "%.3f", epochSeconds);
    HttpResponse<String> r = get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8) + at);
    JsonNode n = JSON.readTree(r.body());
    if (r.statusCode() != 200 || !"success".equals(n.path("status").asText())) {
      throw new AssertionError("query " + promql + " failed: " + r.body());
    }
    return n.path("data").path("result");
  }

  /** The single value of a query that returns one series, or NaN when it returns none. */
  double scalar(String promql) throws IOException, InterruptedException {
    JsonNode res = query(promql);
    if (res.isEmpty()) return Double.NaN;
    if (res.size() != 1) throw new AssertionError(promql + " returned " + res.size() + " series: " + res);
    return Double.parseDouble(res.get(0).path("value").get(1).asText());
  }

  String log() throws IOException {
    return Files.readString(log);
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
