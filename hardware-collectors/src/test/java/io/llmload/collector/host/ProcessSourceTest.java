package io.llmload.collector.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmload.collector.CollectorConfig;
import io.llmload.collector.CollectorSession;
import io.llmload.collector.CsvRowsAccess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessSourceTest {

  @TempDir Path tmp;

  @Test
  void parsesProcStatWithSpacesAndParenthesesInTheName() throws Exception {
    Path p = Files.createDirectories(tmp.resolve("4242"));
    // synthetic /proc/<pid>/stat in the kernel's layout: utime 1500, stime 500, 7 threads, start 12345
    Files.writeString(p.resolve("stat"), "4242 (my (odd) server) S 1 4242 4242 0 -1 4194560 100 0 0 0 1500 500 0 0"
        + " 20 0 7 0 12345 1000000 2500 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0\n");
    Files.writeString(p.resolve("status"), "Name:\tmy (odd) server\nVmRSS:\t  102400 kB\nThreads:\t7\n");
    ProcStat s = ProcStat.read(tmp, 4242);
    assertNotNull(s);
    assertEquals("my (odd) server", s.name());
    assertEquals(2000, s.cpuTicks());
    assertEquals(7, s.threads());
    assertEquals(100.0, s.rssMib());
    assertEquals(12345, s.startTicks());
    assertNull(ProcStat.read(tmp, 4243), "a gone process is null");
  }

  @Test
  void followsABusyServerProcessByRegexWithCpuRssThreadsAndARedactedCommandLine() throws Exception {
    Assumptions.assumeTrue(Files.isReadable(Path.of("/proc/self/stat")), "Linux /proc needed");
    String marker = "llmload-busy-" + UUID.randomUUID();
    Process busy = new ProcessBuilder("sh", "-c", "m=" + marker + "; k=--api-key; while :; do :; done",
        "fake-server", "--api-key", "sk-secretsecretsecret").start();
    try {
      CollectorConfig cfg = CollectorConfig.defaults()
          .withProcess(marker)
          .withHostPeriod(Duration.ofMillis(250))
          .withNvmlLibrary(tmp.resolve("none").toString())
          .withToolPath(tmp.toString());
      Path dir = tmp.resolve("hardware");
      CollectorSession s = CollectorSession.start(cfg, dir);
      // OSHI's first start can take seconds on a loaded machine: wait for rows, bounded
      long deadline = System.nanoTime() + 15_000_000_000L;
      while (System.nanoTime() < deadline
          && (!Files.exists(dir.resolve("process.csv")) || Files.readAllLines(dir.resolve("process.csv")).size() < 5)) {
        Thread.sleep(100);
      }
      s.close();
      List<Map<String, String>> rows = CsvRowsAccess.read(dir.resolve("process.csv"));
      assertTrue(rows.size() >= 3, rows + " " + Files.readString(dir.resolve("collector.json")));
      for (Map<String, String> r : rows) {
        assertEquals(Long.toString(busy.pid()), r.get("pid"));
        assertEquals("sh", r.get("name"));
        assertEquals("1", r.get("threads"));
        assertTrue(Double.parseDouble(r.get("rss_mib")) > 0);
      }
      assertNull(rows.get(0).get("cpu_pct"), "first sight has no interval");
      double cpu = Double.parseDouble(rows.get(rows.size() - 1).get("cpu_pct"));
      assertTrue(cpu > 10 && cpu < 150, "a busy loop on a shared 2-core machine: " + cpu + " %");
      JsonNode cj = new ObjectMapper().readTree(dir.resolve("collector.json").toFile());
      String cmd = cj.get("processes").get(0).get("command_line").asText();
      assertTrue(cmd.contains(marker) && cmd.contains("--api-key ***") && !cmd.contains("sk-secret"), cmd);
    } finally {
      busy.destroy();
      busy.waitFor(2, TimeUnit.SECONDS);
    }
  }
}
