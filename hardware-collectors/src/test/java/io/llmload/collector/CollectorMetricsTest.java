package io.llmload.collector;

import static org.junit.jupiter.api.Assertions.*;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The standalone collector's {@code GET /metrics}: a fake nvidia-smi prints known values (synthetic),
 * the exposition carries them in Prometheus units and passes {@code promtool check metrics}.
 */
class CollectorMetricsTest {
  @TempDir Path tmp;

  @Test
  void aGpuHostCanBeScrapedOnItsOwn() throws Exception {
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    Path exe = bin.resolve("nvidia-smi");
    Files.writeString(exe, "#!/bin/sh\n# fake nvidia-smi for tests (synthetic values)\nwhile true; do\n"
        + "  printf '%s, 0, GPU-fake-0, Fake GPU, 40, 5, 1000, 81559, 250.50, [N/A], 700.00, 1980, 2619, 50\\n'"
        + " \"$(date '+%Y/%m/%d %H:%M:%S.%3N')\"\n  sleep 0.05\ndone\n");
    Files.setPosixFilePermissions(exe, PosixFilePermissions.fromString("rwxr-xr-x"));
    CollectorConfig cfg = CollectorConfig.defaults()
        .withNvmlLibrary(tmp.resolve("no-nvml/libnvidia-ml.so.1").toString())
        .withToolPath(bin.toString())
        .withFastPeriod(Duration.ofMillis(50));
    CollectorSession session = CollectorSession.start(cfg, tmp.resolve("hardware"));
    try (CollectorServer server = CollectorServer.start(session, "127.0.0.1", 0)) {
      HttpClient http = HttpClient.newHttpClient();
      HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics")).build();
      String body = "";
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      while (System.nanoTime() < end && !body.contains("llm_load_gpu_power_watts{")) {
        body = http.send(req, HttpResponse.BodyHandlers.ofString()).body();
        Thread.sleep(100);
      }
      assertTrue(body.contains("llm_load_gpu_power_watts{gpu=\"0\",source=\"nvidia-smi\"} 250.5"), body);
      assertTrue(body.contains("llm_load_gpu_utilization_ratio{gpu=\"0\",source=\"nvidia-smi\"} 0.4"), body);
      assertTrue(body.contains("llm_load_gpu_memory_used_bytes{gpu=\"0\",source=\"nvidia-smi\"} 1.048576E9"), body);

      Path promtool = tool("promtool");
      Path file = tmp.resolve("exposition.txt");
      Files.writeString(file, body);
      Process check = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectInput(file.toFile())
          .redirectErrorStream(true).start();
      String said = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(check.waitFor(30, TimeUnit.SECONDS));
      assertEquals(0, check.exitValue(), "promtool check metrics: " + said + "\n" + body);
    } finally {
      session.close();
    }
  }

  /** Debian's tool, or skip (fail under CI=true, where the setup script installs it). */
  private static Path tool(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
      Path p = Path.of(dir, name);
      if (Files.isExecutable(p)) return p;
    }
    String why = name + " not found on PATH; install Debian's prometheus package (.ci/setup does)";
    if ("true".equalsIgnoreCase(System.getenv("CI"))) throw new AssertionError(why);
    Assumptions.abort(why);
    return null;
  }
}
