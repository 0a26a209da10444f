package io.llmload.collector.smi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmload.collector.CollectorConfig;
import io.llmload.collector.CollectorSession;
import io.llmload.collector.CsvRowsAccess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The nvidia-smi fallback with fake nvidia-smi scripts on the collector's PATH (synthetic output). */
class NvidiaSmiLifecycleTest {

  @TempDir Path tmp;

  private static final String ROW =
      "printf '%s, 0, GPU-fake-0, Fake GPU, %d, 5, 100, 81559, 250.50, [N/A], 700.00, 1980, 2619, 50\\n'"
          + " \"$(date '+%Y/%m/%d %H:%M:%S.%3N')\" \"$i\"";

  private Path fake(String body) throws Exception {
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    Path exe = bin.resolve("nvidia-smi");
    Files.writeString(exe, "#!/bin/sh\n# fake nvidia-smi for tests (synthetic values)\n" + body);
    Files.setPosixFilePermissions(exe, PosixFilePermissions.fromString("rwxr-xr-x"));
    return bin;
  }

  private JsonNode run(Path toolPath, long millis) throws Exception {
    CollectorConfig cfg = CollectorConfig.defaults()
        .withNvmlLibrary(tmp.resolve("no-nvml/libnvidia-ml.so.1").toString())
        .withToolPath(toolPath.toString())
        .withFastPeriod(Duration.ofMillis(50));
    long t0 = System.nanoTime();
    CollectorSession s = CollectorSession.start(cfg, tmp.resolve("hardware"));
    // start() waits for no source (it may load classes on first use on a busy machine)
    assertTrue((System.nanoTime() - t0) / 1e6 < 1_000, "start() returns at once");
    Thread.sleep(millis);
    long t1 = System.nanoTime();
    s.close();
    assertTrue((System.nanoTime() - t1) / 1e6 < 5_000, "close() is bounded");
    return source(new ObjectMapper().readTree(tmp.resolve("hardware/collector.json").toFile()), "nvidia-smi");
  }

  private static JsonNode source(JsonNode cj, String name) {
    for (JsonNode n : cj.get("sources")) {
      if (n.get("name").asText().equals(name)) {
        return n;
      }
    }
    throw new AssertionError("no source " + name + " in " + cj);
  }

  private List<Map<String, String>> rows() throws Exception {
    return CsvRowsAccess.read(tmp.resolve("hardware/gpu.csv"));
  }

  @Test
  void aPrintingNvidiaSmiIsParsedAsItPrints() throws Exception {
    Path bin = fake("i=0\nwhile true; do\n  " + ROW + "\n  i=$((i+1))\n  sleep 0.05\ndone\n");
    long before = System.currentTimeMillis();
    JsonNode st = run(bin, 1_200);
    assertEquals("running", st.get("status").asText(), st.toString());
    assertEquals(50, st.get("period_ms").asInt());
    List<Map<String, String>> rows = rows();
    assertTrue(rows.size() >= 5, "rows: " + rows.size());
    for (int i = 0; i < rows.size(); i++) {
      Map<String, String> r = rows.get(i);
      assertEquals("nvidia-smi", r.get("source"));
      assertEquals("GPU-fake-0", r.get("gpu_uuid"));
      assertEquals("250.5", r.get("power_avg_w"));
      assertNull(r.get("power_instant_w"), "[N/A] is empty, not 0");
      assertNull(r.get("energy_mj"));
      assertEquals(Integer.toString(i), r.get("util_gpu_pct"), "every line, in order");
      long t = Long.parseLong(r.get("epoch_ms"));
      assertTrue(t >= before - 1_000 && t <= System.currentTimeMillis(), "timestamp from the printed local time");
    }
  }

  @Test
  void anNvidiaSmiThatDiesMidRunIsRecordedAsFailedAndItsRowsKept() throws Exception {
    Path bin = fake("for i in 0 1 2; do\n  " + ROW + "\n  sleep 0.05\ndone\n"
        + "echo 'Unable to determine the device handle for GPU0000:4E:00.0: GPU is lost.'\nexit 15\n");
    JsonNode st = run(bin, 800);
    assertEquals("failed", st.get("status").asText(), st.toString());
    String reason = st.get("reason").asText();
    assertTrue(reason.contains("exited with code 15 after 3 rows") && reason.contains("GPU is lost"), reason);
    assertEquals(3, rows().size());
  }

  @Test
  void aSlowNvidiaSmiDelaysNeitherStartNorClose() throws Exception {
    Path bin = fake("sleep 3\ni=0\n" + ROW + "\n");
    JsonNode st = run(bin, 200);
    assertTrue(st.get("status").asText().matches("running|failed"), st.toString());
    assertEquals(0, rows().size());
  }

  @Test
  void aMissingNvidiaSmiIsUnsupported() throws Exception {
    JsonNode st = run(Files.createDirectories(tmp.resolve("empty")), 100);
    assertEquals("unsupported", st.get("status").asText());
    assertEquals("nvidia-smi not found on PATH", st.get("reason").asText());
    assertEquals(0, rows().size());
  }

  @Test
  void anNvidiaSmiWithoutDriverIsUnsupportedWithItsMessage() throws Exception {
    Path bin = fake("echo \"NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.\"\nexit 9\n");
    JsonNode st = run(bin, 300);
    assertEquals("unsupported", st.get("status").asText());
    assertTrue(st.get("reason").asText().contains("couldn't communicate with the NVIDIA driver"), st.toString());
  }

  @Test
  void anOldDriverWithoutAveragePowerFallsBackToPowerDraw() throws Exception {
    Path bin = fake("case \"$*\" in *power.draw.average*)\n"
        + "  echo 'Field \"power.draw.average\" is not a valid field to query.'; exit 2;;\nesac\n"
        + "i=0\nwhile true; do\n"
        + "  printf '%s, 0, GPU-old, Tesla V100, 7, 1, 100, 16160, 55.25, 300.00, 1380, 877, 40\\n'"
        + " \"$(date '+%Y/%m/%d %H:%M:%S.%3N')\"\n  sleep 0.05\ndone\n");
    JsonNode st = run(bin, 600);
    assertEquals("running", st.get("status").asText(), st.toString());
    Map<String, String> r = rows().get(0);
    assertEquals("55.25", r.get("power_avg_w"));
    assertEquals("300", r.get("power_limit_w"));
    assertEquals("Tesla V100", r.get("gpu_name"));
  }
}
