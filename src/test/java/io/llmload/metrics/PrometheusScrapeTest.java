package io.llmload.metrics;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmload.testing.SimulationRunner;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import com.sun.net.httpserver.HttpServer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus (Debian's) scrapes the suite during a short sweep against the emulator; what it
 * stored is checked against summary.json, which the aggregator computes from requests.jsonl on its
 * own code path: counts exactly, TTFT quantiles within one bucket.
 */
class PrometheusScrapeTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void prometheusScrapesWhatTheSummaryCounts(@TempDir Path dir) throws Exception {
    int metricsPort = PrometheusServer.freePort();
    HttpServer server = serverMetrics();
    Path bin = fakeNvidiaSmi(dir);
    try (PrometheusServer prom = PrometheusServer.start(dir, metricsPort, server.getAddress().getPort())) {
      Path results = dir.resolve("results");
      Path log = dir.resolve("run.log");
      Map<String, String> props = new HashMap<>(Map.of(
          "levels", "2,4", "levelDuration", "2s", "warmup", "1s", "maxTokens", "24",
          "emulator.profile", "h100-llamacpp-8b", "console.period", "0s",
          "metrics.port", Integer.toString(metricsPort), "metrics.host", "127.0.0.1", "metrics.linger", "3s"));
      props.put("collector", "on");
      props.put("headers", "Authorization: Bearer sk-metrics-marker-42");
      props.put("collector.nvml", dir.resolve("no-nvml/libnvidia-ml.so.1").toString());
      Process run = SimulationRunner.start("io.llmload.simulations.ConcurrencySweep", props, results, log, List.of(),
          Map.of("PATH", bin + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin")));
      String exposition = lastExposition(run, metricsPort);
      assertTrue(run.waitFor(120, TimeUnit.SECONDS), "run ended");
      String out = Files.readString(log, StandardCharsets.UTF_8);
      assertEquals(0, run.exitValue(), SimulationRunner.tail(out));
      assertNotNull(exposition, "the endpoint answered during the run:\n" + SimulationRunner.tail(out));

      Path folder = new SimulationRunner.Result(0, out, results).runFolder();
      JsonNode summary = JSON.readTree(folder.resolve("summary.json").toFile());
      long requests = 0, ok = 0, warmup = 0, tokens = 0;
      for (JsonNode p : summary.path("phases")) {
        requests += p.path("requests").asLong();
        ok += p.path("ok").asLong();
        warmup += p.path("warmup_requests").asLong();
        tokens += p.path("output_tokens").asLong();
      }
      assertTrue(ok >= 10 && warmup > 0, "the run measured something: " + ok + " ok, " + warmup + " warm-up");

      // The final values: the largest a counter reached over the run (the target is gone by now).
      String last = "max_over_time(%s[10m])";
      assertEquals(ok, (long) prom.scalar("sum(" + last.formatted("llm_load_requests_total{warmup=\"false\",status=\"ok\"}") + ")"));
      assertEquals(requests, (long) prom.scalar("sum(" + last.formatted("llm_load_requests_total{warmup=\"false\"}") + ")"));
      assertEquals(warmup, (long) prom.scalar("sum(" + last.formatted("llm_load_requests_total{warmup=\"true\"}") + ")"));
      assertEquals(tokens, (long) prom.scalar("sum(" + last.formatted("llm_load_output_tokens_total{warmup=\"false\",status=\"ok\"}") + ")"));
      assertEquals(2, prom.query("count by (phase, level) (" + last.formatted("llm_load_requests_total") + ")").size(),
          "one series set per level");

      for (JsonNode p : summary.path("phases")) {
        String sel = "{warmup=\"false\",phase=\"" + p.path("name").asText() + "\"}";
        for (int q : new int[] {50, 95}) {
          double fromProm = prom.scalar("histogram_quantile(" + q / 100.0 + ", sum by (le) ("
              + last.formatted("llm_load_ttft_seconds_bucket" + sel) + "))") * 1000;
          double fromSummary = p.path("ttft_ms").path("p" + q).asDouble();
          double ratio = fromProm / fromSummary;
          assertTrue(ratio <= LatencyBuckets.step() && ratio >= 1 / LatencyBuckets.step(),
              p.path("name").asText() + " TTFT p" + q + ": Prometheus " + fromProm + " ms, summary " + fromSummary + " ms");
        }
      }

      // The in-process collector's GPU readings (a fake nvidia-smi printing 250.5 W) reach Prometheus too.
      assertEquals(250.5, prom.scalar("max(" + last.formatted("llm_load_gpu_power_watts") + ")"), 1e-9);

      JsonNode dashboard = DashboardQueries.read();
      DashboardQueries.checkStructure(dashboard);
      JsonNode lastPhase = summary.path("phases").get(summary.path("phases").size() - 1);
      // near the end of the last level: its series exist from the start of the run (LiveMetrics.prepare)
      double at = lastPhase.path("end_epoch_us").asLong() / 1e6 - 0.5;
      JsonNode runs = prom.query("count by (run) (" + last.formatted("llm_load_requests_total") + ")");
      assertEquals(1, runs.size(), "one run label: " + runs);
      List<String> empty = DashboardQueries.empty(prom, dashboard, runs.get(0).path("metric").path("run").asText(), at);
      assertTrue(empty.isEmpty(), "panel queries without data:\n" + String.join("\n", empty));

      if (Boolean.getBoolean("llmload.screenshots")) graphScreenshot(prom, at);

      Path file = dir.resolve("exposition.txt");
      Files.writeString(file, exposition);
      Process check = new ProcessBuilder(PrometheusServer.tool("promtool").toString(), "check", "metrics")
          .redirectInput(file.toFile()).redirectErrorStream(true).start();
      String said = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(check.waitFor(30, TimeUnit.SECONDS));
      assertEquals(0, check.exitValue(), "promtool check metrics: " + said);
      assertFalse(exposition.contains("sk-metrics-marker-42") || exposition.contains("Authorization")
          || exposition.contains("prompt"), "no secrets, headers or prompts");
    } finally {
      server.stop(0);
    }
  }

  /**
   * Prometheus' own graph of the run's TTFT p95 per phase, for docs/ (-Dllmload.screenshots=true;
   * written to target/prometheus-graph.png for a human to look at and copy).
   */
  private static void graphScreenshot(PrometheusServer prom, double endSeconds) throws Exception {
    String expr = "histogram_quantile(0.95, sum by (le, phase) (rate(llm_load_ttft_seconds_bucket{warmup=\"false\"}[3s])))";
    // the graph's end box has minute resolution: the next whole minute after the run
    String end = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(java.time.ZoneOffset.UTC)
        .format(java.time.Instant.ofEpochSecond((long) endSeconds + 60));
    String url = prom.url() + "/graph?g0.expr=" + java.net.URLEncoder.encode(expr, StandardCharsets.UTF_8)
        + "&g0.tab=0&g0.range_input=1m&g0.end_input=" + java.net.URLEncoder.encode(end, StandardCharsets.UTF_8);
    Path shot = Path.of("target", "prometheus-graph.png").toAbsolutePath();
    Files.createDirectories(shot.getParent());
    Path profile = Files.createTempDirectory("chromium-profile");
    Process p = new ProcessBuilder("chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--virtual-time-budget=8000", "--hide-scrollbars",
        "--window-size=1300,900", "--screenshot=" + shot, url).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(90, TimeUnit.SECONDS));
  }

  /**
   * Synthetic server metrics under vLLM's and llama.cpp's names (as their /metrics print them), so the
   * dashboard's server panels are run against data; the emulator serves no /metrics of its own.
   */
  private static HttpServer serverMetrics() throws java.io.IOException {
    HttpServer s = HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 4);
    byte[] body = """
        # TYPE vllm:num_requests_running gauge
        vllm:num_requests_running{model_name="m"} 3
        # TYPE vllm:num_requests_waiting gauge
        vllm:num_requests_waiting{model_name="m"} 1
        # TYPE vllm:time_to_first_token_seconds histogram
        vllm:time_to_first_token_seconds_bucket{model_name="m",le="0.1"} %d
        vllm:time_to_first_token_seconds_bucket{model_name="m",le="+Inf"} %d
        vllm:time_to_first_token_seconds_sum{model_name="m"} 1
        vllm:time_to_first_token_seconds_count{model_name="m"} %d
        # TYPE llamacpp:requests_processing gauge
        llamacpp:requests_processing 2
        # TYPE llamacpp:requests_deferred gauge
        llamacpp:requests_deferred 0
        # TYPE llamacpp:predicted_tokens_seconds gauge
        llamacpp:predicted_tokens_seconds 42.5
        """.getBytes(StandardCharsets.UTF_8);
    long t0 = System.nanoTime();
    s.createContext("/metrics", x -> {
      long n = (System.nanoTime() - t0) / 100_000_000L; // a counter that grows, so rate() has data
      byte[] b = new String(body, StandardCharsets.UTF_8).formatted(n, n, n).getBytes(StandardCharsets.UTF_8);
      x.sendResponseHeaders(200, b.length);
      try (var o = x.getResponseBody()) {
        o.write(b);
      }
    });
    s.start();
    return s;
  }

  /** A fake nvidia-smi (synthetic values) for the in-process collector: 250.5 W, 40 % busy. */
  private static Path fakeNvidiaSmi(Path dir) throws java.io.IOException {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path exe = bin.resolve("nvidia-smi");
    Files.writeString(exe, "#!/bin/sh\n# fake nvidia-smi for tests (synthetic values)\nwhile true; do\n"
        + "  printf '%s, 0, GPU-fake-0, Fake GPU, 40, 5, 1000, 81559, 250.50, [N/A], 700.00, 1980, 2619, 50\\n'"
        + " \"$(date '+%Y/%m/%d %H:%M:%S.%3N')\"\n  sleep 0.05\ndone\n");
    Files.setPosixFilePermissions(exe, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    return bin;
  }

  @Test
  void aPortInUseStopsTheRunBeforeLoadWithOneLine(@TempDir Path dir) throws Exception {
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      var r = SimulationRunner.run("io.llmload.simulations.ConstantUsers",
          Map.of("users", "1", "duration", "1s", "metrics.port", Integer.toString(port), "metrics.host", "127.0.0.1"),
          dir, Duration.ofSeconds(60));
      assertNotEquals(0, r.exitCode());
      assertTrue(r.output().contains("llm-load-suite: metrics.port: " + port + " on 127.0.0.1 is in use"), r.output());
      assertFalse(r.output().contains("\tat "), "no stack trace:\n" + r.output());
      assertFalse(r.output().contains("---- Requests"), "no load was started");
    }
  }

  /** Reads /metrics until the run ends; returns the last answer (taken during the linger). */
  private static String lastExposition(Process run, int port) throws InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
        .timeout(Duration.ofSeconds(5)).build();
    String last = null;
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (run.isAlive() && System.nanoTime() < end) {
      try {
        HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) last = r.body();
      } catch (java.io.IOException e) {
        // not up yet, or gone
      }
      Thread.sleep(500);
    }
    return last;
  }
}
