package io.llmload.collector.nvml;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #15, point 3: which GPUs are the server's. The stub (SYNTHETIC) has two GPUs; GPU 0 runs a
 * compute process with the pid the test gives it. Idle GPUs must not be counted as the server's.
 */
class ServerGpuSelectionTest {
  @TempDir Path tmp;

  public interface Hooks extends com.sun.jna.Library {
    void nvmlStubSetServerPid(int pid);
  }

  private Set<String> sampledUuids(CollectorConfig cfg, Path dir) throws Exception {
    CollectorSession s = CollectorSession.start(cfg, dir);
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (System.nanoTime() < deadline
        && (!Files.exists(dir.resolve("gpu.csv")) || Files.readAllLines(dir.resolve("gpu.csv")).size() < 30)) {
      Thread.sleep(50);
    }
    s.close();
    Set<String> uuids = new TreeSet<>();
    for (Map<String, String> r : CsvRowsAccess.read(dir.resolve("gpu.csv"))) uuids.add(r.get("gpu_uuid"));
    return uuids;
  }

  private CollectorConfig config(Path lib) throws Exception {
    return CollectorConfig.defaults().withNvmlLibrary(lib.toString())
        .withToolPath(Files.createDirectories(tmp.resolve("no-tools")).toString())
        .withPowercapRoot(tmp.resolve("no-powercap")).withFastPeriod(Duration.ofMillis(20))
        .withEnergyPeriod(Duration.ofMillis(50));
  }

  @Test
  void theWatchedServersGpuIsSampledAndTheIdleOneLeftOut() throws Exception {
    Path lib = NvmlStubTest.buildStub(tmp);
    Hooks hooks = com.sun.jna.Native.load(lib.toString(), Hooks.class);
    hooks.nvmlStubSetServerPid(424242);
    try {
      Path dir = tmp.resolve("hw");
      Set<String> uuids = sampledUuids(config(lib).withProcess("424242"), dir);
      assertEquals(Set.of("GPU-stub-0"), uuids);
      JsonNode cj = new ObjectMapper().readTree(dir.resolve("collector.json").toFile());
      String note = cj.path("gpu_selection").path("note").asText();
      assertTrue(note.contains("left out: [GPU-stub-1]"), cj.toString());
    } finally {
      hooks.nvmlStubSetServerPid(0);
    }
  }

  @Test
  void aServerOnNoListedGpuGetsEveryGpuWithTheIdleOnesNamed() throws Exception {
    Path lib = NvmlStubTest.buildStub(tmp);
    Path dir = tmp.resolve("hw");
    Set<String> uuids = sampledUuids(config(lib).withProcess("424242"), dir);
    assertEquals(Set.of("GPU-stub-0", "GPU-stub-1"), uuids);
    String note = new ObjectMapper().readTree(dir.resolve("collector.json").toFile()).path("gpu_selection")
        .path("note").asText();
    assertTrue(note.contains("in a container") && note.contains("idle (no compute process): [GPU-stub-0, GPU-stub-1]"),
        note);
  }

  @Test
  void collectorGpusKeepsOnlyTheChosenGpu() throws Exception {
    Path lib = NvmlStubTest.buildStub(tmp);
    Path dir = tmp.resolve("hw");
    Set<String> uuids = sampledUuids(config(lib).withGpus(List.of("1")), dir);
    assertEquals(Set.of("GPU-stub-1"), uuids);
    JsonNode g = new ObjectMapper().readTree(dir.resolve("collector.json").toFile()).path("gpu_selection");
    assertEquals("[\"GPU-stub-0\"]", g.path("left_out").toString());
  }
}
