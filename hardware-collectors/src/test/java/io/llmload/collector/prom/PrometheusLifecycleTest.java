package io.llmload.collector.prom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.llmload.collector.CollectorConfig;
import io.llmload.collector.CollectorSession;
import io.llmload.collector.CsvRowsAccess;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scrapes of fake Prometheus endpoints on loopback: the real llama.cpp captures, a counter that counts
 * its own scrapes (to prove the hand-off to the run folder loses and repeats nothing), a synthetic DCGM
 * exporter, and an endpoint that fails.
 */
class PrometheusLifecycleTest {

  @TempDir Path tmp;
  private HttpServer server;
  private final AtomicInteger counter = new AtomicInteger();
  private final AtomicInteger llamaRequests = new AtomicInteger();

  private static final String DCGM = """
      # HELP DCGM_FI_DEV_POWER_USAGE Power draw (in W).
      # TYPE DCGM_FI_DEV_POWER_USAGE gauge
      DCGM_FI_DEV_POWER_USAGE{gpu="0",UUID="GPU-d",pci_bus_id="00000000:4E:00.0",device="nvidia0",modelName="NVIDIA H100 80GB HBM3",Hostname="n1"} 320.5
      DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION{gpu="0",UUID="GPU-d",device="nvidia0",modelName="NVIDIA H100 80GB HBM3"} 2201025
      DCGM_FI_DEV_GPU_UTIL{gpu="0",UUID="GPU-d",device="nvidia0",modelName="NVIDIA H100 80GB HBM3"} 97
      go_goroutines 12
      """;

  @BeforeEach
  void serve() throws IOException {
    String c1 = Files.readString(PromTextTest.fixture("gpu", "nvidia-h100", "llamacpp-cuda", "metrics-c1.prom"));
    String c64 = Files.readString(PromTextTest.fixture("gpu", "nvidia-h100", "llamacpp-cuda", "metrics-c64.prom"));
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    server.createContext("/llamacpp", x -> send(x, 200, llamaRequests.getAndIncrement() == 0 ? c1 : c64));
    server.createContext("/counter", x -> send(x, 200,
        "# TYPE vllm:generation_tokens_total counter\nvllm:generation_tokens_total{model_name=\"m\"} "
            + counter.incrementAndGet() + ".0\nvllm:num_requests_running{model_name=\"m\"} 3.0\n"));
    server.createContext("/dcgm", x -> send(x, 200, DCGM));
    server.createContext("/broken", x -> send(x, 500, "oops"));
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private static void send(HttpExchange x, int code, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    x.sendResponseHeaders(code, b.length);
    try (OutputStream o = x.getResponseBody()) {
      o.write(b);
    }
  }

  private URI url(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  @Test
  void scrapesIntoTheStagingFolderThenTheRunFolderWithNothingLostOrRepeated() throws Exception {
    CollectorConfig cfg = CollectorConfig.defaults()
        .withNvmlLibrary(tmp.resolve("no-nvml").toString())
        .withToolPath(tmp.toString())
        .withMetrics(List.of(url("/llamacpp"), url("/counter"), url("/broken")))
        .withDcgm(url("/dcgm"))
        .withScrapePeriod(Duration.ofMillis(20));
    Path staging = tmp.resolve("staging");
    Path hardware = tmp.resolve("run").resolve("hardware");
    CollectorSession s = CollectorSession.start(cfg, staging);
    // the first scrape loads the HTTP and JSON classes: on a loaded machine that can take a while (bounded)
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (System.nanoTime() < deadline && Files.readAllLines(staging.resolve("server-metrics.jsonl")).size() < 10) {
      Thread.sleep(20);
    }
    assertTrue(Files.readAllLines(staging.resolve("server-metrics.jsonl")).size() >= 10, "writes into staging");
    // Gatling created the run folder: two threads hand off at once, as a simulation's hooks might
    Thread a = new Thread(() -> s.moveTo(hardware));
    Thread b = new Thread(() -> s.moveTo(hardware));
    a.start();
    b.start();
    a.join();
    b.join();
    assertEquals(hardware, s.directory());
    Thread.sleep(500);
    s.close();
    assertFalse(Files.exists(staging.resolve("server-metrics.jsonl")), "moved, not copied");

    ObjectMapper om = new ObjectMapper();
    List<Long> counts = new ArrayList<>();
    List<Double> predicted = new ArrayList<>();
    int dcgmLines = 0;
    for (String line : Files.readAllLines(hardware.resolve("server-metrics.jsonl"))) {
      JsonNode n = om.readTree(line);
      assertEquals(1, n.get("schema").asInt());
      String url = n.get("url").asText();
      for (JsonNode m : n.get("samples")) {
        String name = m.get("name").asText();
        if (url.endsWith("/counter") && name.equals("vllm:generation_tokens_total")) {
          counts.add(m.get("value").asLong());
          assertEquals("m", m.get("labels").get("model_name").asText());
        }
        if (url.endsWith("/llamacpp") && name.equals("llamacpp:tokens_predicted_total")) {
          predicted.add(m.get("value").asDouble());
        }
      }
      if (n.get("source").asText().equals("dcgm")) {
        dcgmLines++;
        assertEquals(3, n.get("samples").size(), "only DCGM_FI_* series");
      }
    }
    assertTrue(counts.size() >= 10, "scrapes: " + counts.size());
    for (int i = 1; i < counts.size(); i++) {
      assertTrue(counts.get(i) > counts.get(i - 1), "each scrape written once, in order: " + counts);
    }
    // a scrape the endpoint counted but the client timed out on (a cold JVM on a loaded machine) is a
    // recorded error, not a line: every other scrape the endpoint served must be in the file
    long missing = counter.get() - counts.size();
    assertEquals(List.of(2576.0), predicted.subList(0, 1), "first scrape: metrics-c1.prom");
    assertEquals(139536.0, predicted.get(predicted.size() - 1));
    assertTrue(dcgmLines >= 10);

    List<Map<String, String>> gpu = CsvRowsAccess.read(hardware.resolve("gpu.csv"));
    assertEquals(dcgmLines, gpu.size());
    assertEquals("dcgm", gpu.get(0).get("source"));
    assertEquals("320.5", gpu.get(0).get("power_avg_w"));
    assertEquals("2201025", gpu.get(0).get("energy_mj"));

    JsonNode cj = om.readTree(hardware.resolve("collector.json").toFile());
    int servers = 0;
    for (JsonNode src : cj.get("sources")) {
      if (!src.get("name").asText().equals("server")) {
        continue;
      }
      servers++;
      String u = src.get("url").asText();
      if (u.endsWith("/counter")) {
        assertTrue(missing <= src.get("errors").asLong(), "lines missing: " + missing + ", errors: " + src);
      }
      if (u.endsWith("/broken")) {
        assertEquals("failed", src.get("status").asText());
        assertTrue(src.get("reason").asText().contains("HTTP 500"), src.toString());
      } else {
        assertEquals("running", src.get("status").asText(), src.toString());
      }
      assertEquals(20, src.get("period_ms").asInt());
    }
    assertEquals(3, servers);
  }

  @Test
  void aMoveAfterCloseTakesCollectorJsonAlong() throws Exception {
    CollectorConfig cfg = CollectorConfig.defaults().withNvmlLibrary(tmp.resolve("no-nvml").toString())
        .withToolPath(tmp.toString()).withMetrics(List.of(url("/counter"))).withScrapePeriod(Duration.ofMillis(50));
    Path staging = tmp.resolve("staging");
    CollectorSession s = CollectorSession.start(cfg, staging);
    Thread.sleep(300);
    s.close();
    Path hardware = tmp.resolve("late").resolve("hardware");
    s.moveTo(hardware);
    assertTrue(Files.exists(hardware.resolve("collector.json")));
    assertTrue(Files.readAllLines(hardware.resolve("server-metrics.jsonl")).size() >= 2);
    assertFalse(Files.exists(staging), "an emptied staging folder is removed");
  }
}
