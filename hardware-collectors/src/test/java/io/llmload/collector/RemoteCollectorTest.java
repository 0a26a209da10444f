package io.llmload.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The standalone collector with a skewed clock, pulled by the load generator over loopback HTTP. */
class RemoteCollectorTest {

  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(longs = {5_000, -3_000})
  void findsAndCorrectsTheClockOffset(long skewMs) throws Exception {
    AtomicInteger scrapes = new AtomicInteger();
    HttpServer prom = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
    prom.createContext("/metrics", x -> {
      byte[] b = ("vllm:num_requests_running " + scrapes.incrementAndGet() + "\n").getBytes(StandardCharsets.UTF_8);
      x.sendResponseHeaders(200, b.length);
      try (OutputStream o = x.getResponseBody()) {
        o.write(b);
      }
    });
    prom.start();
    CollectorConfig cfg = CollectorConfig.defaults()
        .withClock(Clock.offset(Clock.systemUTC(), Duration.ofMillis(skewMs)))
        .withNvmlLibrary(tmp.resolve("no-nvml").toString())
        .withToolPath(tmp.toString())
        .withMetrics(List.of(URI.create("http://127.0.0.1:" + prom.getAddress().getPort() + "/metrics")))
        .withScrapePeriod(Duration.ofMillis(50))
        .withHostPeriod(Duration.ofMillis(100));
    CollectorSession session = CollectorSession.start(cfg, tmp.resolve("gpu-host"));
    try (CollectorServer server = CollectorServer.start(session, "127.0.0.1", 0)) {
      // OSHI's first start can take seconds on a loaded machine: wait for host rows, bounded
      Path hostCsv = tmp.resolve("gpu-host").resolve("host.csv");
      long deadline = System.nanoTime() + 15_000_000_000L;
      while (System.nanoTime() < deadline && Files.readAllLines(hostCsv).size() < 2) {
        Thread.sleep(50);
      }
      Thread.sleep(300); // samples before the run window, which the pull must leave out
      long start = System.currentTimeMillis();
      Thread.sleep(1_200);
      long end = System.currentTimeMillis();
      Thread.sleep(200);
      Path hw = tmp.resolve("run").resolve("hardware");
      RemoteCollector.Result r =
          RemoteCollector.pull(URI.create("http://127.0.0.1:" + server.port()), start, end, hw, Clock.systemUTC());
      assertNull(r.error());
      assertNotNull(r.offsetMs());
      System.out.printf(java.util.Locale.ROOT, "injected skew %d ms: offset %.3f ms, rtt %.3f ms%n", skewMs,
          r.offsetMs(), r.rttMs());
      assertTrue(Math.abs(r.offsetMs() - skewMs) <= Math.max(5.0, r.rttMs() / 2 + 1),
          "offset " + r.offsetMs() + " for a skew of " + skewMs + " (rtt " + r.rttMs() + ")");

      ObjectMapper om = new ObjectMapper();
      List<String> lines = Files.readAllLines(hw.resolve("server-metrics.jsonl"));
      assertTrue(lines.size() >= 15, "scrapes in 1.2 s at 50 ms: " + lines.size());
      for (String l : lines) {
        long t = om.readTree(l).get("epoch_ms").asLong();
        assertTrue(t >= start && t <= end, "sample at " + t + " on the load generator's clock, window "
            + start + ".." + end);
      }
      List<Map<String, String>> host = CsvRows.read(hw.resolve("host.csv"));
      assertTrue(host.size() >= 5, "host rows: " + host.size());
      for (Map<String, String> h : host) {
        long t = Long.parseLong(h.get("epoch_ms"));
        assertTrue(t >= start && t <= end, "host row at " + t);
      }
      JsonNode cj = om.readTree(hw.resolve("collector.json").toFile());
      assertEquals(r.offsetMs(), cj.get("clock_offset_ms").asDouble(), 0.051);
      assertTrue(cj.get("rtt_ms").asDouble() >= 0);
      assertEquals(start, cj.get("start_epoch_ms").asLong());
      boolean serverRunning = false;
      for (JsonNode s : cj.get("sources")) {
        serverRunning |= s.get("name").asText().equals("server") && s.get("status").asText().equals("running");
      }
      assertTrue(serverRunning, cj.toString());
    } finally {
      session.close();
      prom.stop(0);
    }
  }

  @Test
  void anUnreachableCollectorIsRecordedNotThrown() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path hw = tmp.resolve("hardware");
    RemoteCollector.Result r = RemoteCollector.pull(URI.create("http://127.0.0.1:" + port), 1, 2, hw);
    assertNotNull(r.error());
    JsonNode cj = new ObjectMapper().readTree(hw.resolve("collector.json").toFile());
    assertEquals("failed", cj.get("sources").get(0).get("status").asText());
    assertTrue(cj.get("clock_offset_ms").isNull());
  }

  @Test
  void aCollectorThatNeverAnswersHoldsThePullOnlyBriefly() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 8, java.net.InetAddress.getLoopbackAddress())) {
      Thread acceptor = new Thread(() -> {
        try {
          silent.accept(); // and never answer
          Thread.sleep(60_000);
        } catch (Exception e) {
          // closed by the test
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
      long t0 = System.nanoTime();
      RemoteCollector.Result r =
          RemoteCollector.pull(URI.create("http://127.0.0.1:" + silent.getLocalPort()), 1, 2, tmp.resolve("hw"));
      double s = (System.nanoTime() - t0) / 1e9;
      assertNotNull(r.error());
      assertTrue(s < 8, "pull gave up after " + s + " s");
    }
  }

  @Test
  void standaloneMainServesAndStops() throws Exception {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    java.io.PrintStream o = new java.io.PrintStream(out, true, StandardCharsets.UTF_8);
    java.io.PrintStream e = new java.io.PrintStream(err, true, StandardCharsets.UTF_8);
    assertEquals(0, CollectorMain.run(new String[] {"--help"}, o, e));
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("--port N"));
    assertEquals(2, CollectorMain.run(new String[] {"--port", "http"}, o, e));
    assertEquals("--port: expected 0 to 65535, got 'http'", err.toString(StandardCharsets.UTF_8).strip());
    assertEquals(2, CollectorMain.run(new String[] {"--fast-period", "soon"}, o, e));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("collector.fastPeriod: expected a duration"));
    Path dir = tmp.resolve("out");
    assertEquals(0, CollectorMain.run(new String[] {"--port", "0", "--duration", "700ms", "--out", dir.toString(),
        "--nvml", tmp.resolve("none").toString()}, o, e));
    assertTrue(Files.exists(dir.resolve("collector.json")));
    assertTrue(Files.exists(dir.resolve("host.csv")));
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("serving http://127.0.0.1:"));
  }
}
