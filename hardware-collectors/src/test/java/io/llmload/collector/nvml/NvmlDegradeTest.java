package io.llmload.collector.nvml;

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
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #15, point 4: NVML on real drivers, simulated by the stub library (SYNTHETIC values, see
 * nvml_stub.c): a missing symbol, NO_PERMISSION, one lost GPU, slow energy reads, and NVML failing
 * mid-run with nvidia-smi taking over. Each optional read degrades on its own.
 */
class NvmlDegradeTest {
  @TempDir Path tmp;

  /** The stub's test hooks (not NVML). */
  public interface StubHooks extends com.sun.jna.Library {
    void nvmlStubSetLost(int value);

    void nvmlStubSetLostGpu(int index);

    void nvmlStubSetNoPermission(int value);

    void nvmlStubSetEnergyDelayMs(int ms);

    void nvmlStubSetMigGpu(int index);
  }

  private CollectorConfig config(Path lib, Path tools) {
    return CollectorConfig.defaults()
        .withNvmlLibrary(lib.toString())
        .withToolPath(tools.toString())
        .withPowercapRoot(tmp.resolve("no-powercap"))
        .withFastPeriod(Duration.ofMillis(20))
        .withEnergyPeriod(Duration.ofMillis(50));
  }

  private static List<Map<String, String>> waitForRows(Path dir, Predicate<List<Map<String, String>>> enough)
      throws Exception {
    long deadline = System.nanoTime() + 10_000_000_000L; // a loaded machine may start slowly: bounded
    List<Map<String, String>> rows = List.of();
    while (System.nanoTime() < deadline) {
      if (Files.exists(dir.resolve("gpu.csv"))) {
        rows = CsvRowsAccess.read(dir.resolve("gpu.csv"));
        if (enough.test(rows)) break;
      }
      Thread.sleep(50);
    }
    return rows;
  }

  private static Map<String, JsonNode> sources(Path dir) throws Exception {
    JsonNode cj = new ObjectMapper().readTree(dir.resolve("collector.json").toFile());
    Map<String, JsonNode> byName = new HashMap<>();
    cj.get("sources").forEach(n -> byName.put(n.get("name").asText(), n));
    return byName;
  }

  private static List<Map<String, String>> fast(List<Map<String, String>> rows, String index) {
    List<Map<String, String>> out = new ArrayList<>();
    for (Map<String, String> r : rows) {
      if (r.get("energy_mj") == null && index.equals(r.get("gpu_index")) && "nvml".equals(r.get("source"))) out.add(r);
    }
    return out;
  }

  /** A driver without nvmlDeviceGetMemoryInfo_v2 and field values: JNA throws at the call, every other read goes on. */
  @Test
  void anOldDriverWithoutNewerSymbolsStillGivesPowerUtilisationAndEnergy() throws Exception {
    Path lib = NvmlStubTest.buildStub(tmp, "-DOLD_DRIVER");
    Path dir = tmp.resolve("hardware");
    CollectorSession s = CollectorSession.start(config(lib, Files.createDirectories(tmp.resolve("no-tools"))), dir);
    List<Map<String, String>> rows = waitForRows(dir, r -> fast(r, "0").size() >= 15);
    s.close();
    List<Map<String, String>> f0 = fast(rows, "0");
    assertTrue(f0.size() >= 15, "rows kept coming: " + f0.size());
    Map<String, String> last = f0.get(f0.size() - 1);
    assertEquals("300", last.get("power_avg_w"), "nvmlDeviceGetPowerUsage stands in for the field values");
    assertNull(last.get("power_instant_w"));
    assertNull(last.get("mem_used_mib"), "no _v2 memory call on this driver");
    assertEquals("42", last.get("util_gpu_pct"));
    assertEquals("55", last.get("temp_c"));
    assertEquals("running", sources(dir).get("nvml").get("status").asText());
    assertTrue(rows.stream().anyMatch(r -> r.get("energy_mj") != null), "the energy counter is read");
  }

  @Test
  void noPermissionOnSomeReadsAndOneLostGpuLeaveTheRest() throws Exception {
    Path lib = NvmlStubTest.buildStub(tmp);
    StubHooks hooks = com.sun.jna.Native.load(lib.toString(), StubHooks.class);
    hooks.nvmlStubSetNoPermission(1);
    Path dir = tmp.resolve("hardware");
    CollectorSession s = CollectorSession.start(config(lib, Files.createDirectories(tmp.resolve("no-tools"))), dir);
    try {
      waitForRows(dir, r -> fast(r, "1").size() >= 5);
      hooks.nvmlStubSetLostGpu(1);
      int gpu1AtLoss = fast(CsvRowsAccess.read(dir.resolve("gpu.csv")), "1").size();
      int gpu0AtLoss = fast(CsvRowsAccess.read(dir.resolve("gpu.csv")), "0").size();
      List<Map<String, String>> rows = waitForRows(dir, r -> fast(r, "0").size() >= gpu0AtLoss + 15);
      s.close();
      List<Map<String, String>> f0 = fast(rows, "0");
      assertTrue(f0.size() >= gpu0AtLoss + 15, "GPU 0 goes on after GPU 1 is lost");
      assertTrue(fast(rows, "1").size() <= gpu1AtLoss + 2, "no rows of the lost GPU");
      Map<String, String> last = f0.get(f0.size() - 1);
      assertNull(last.get("util_gpu_pct"), "NO_PERMISSION: left empty, not 0");
      assertNull(last.get("temp_c"));
      assertEquals("312.345", last.get("power_instant_w"));
      assertEquals("1139", last.get("mem_used_mib"));
      assertEquals("running", sources(dir).get("nvml").get("status").asText());
    } finally {
      s.close();
      hooks.nvmlStubSetNoPermission(0);
      hooks.nvmlStubSetLostGpu(-2);
    }
  }

  /** Energy reads of 30 ms (real GPUs: 3 to 18 ms) at a 100 ms period neither fail the source nor bend the counter. */
  @Test
  void slowEnergyReadsKeepTheCounterInStep() throws Exception {
    Path lib = NvmlStubTest.buildStub(tmp);
    StubHooks hooks = com.sun.jna.Native.load(lib.toString(), StubHooks.class);
    hooks.nvmlStubSetEnergyDelayMs(30);
    Path dir = tmp.resolve("hardware");
    CollectorSession s = CollectorSession.start(
        config(lib, Files.createDirectories(tmp.resolve("no-tools"))).withEnergyPeriod(Duration.ofMillis(100)), dir);
    try {
      List<Map<String, String>> rows = waitForRows(dir, r -> r.stream().filter(x -> x.get("energy_mj") != null).count() >= 8);
      s.close();
      List<Map<String, String>> energy = new ArrayList<>();
      for (Map<String, String> r : rows) if (r.get("energy_mj") != null) energy.add(r);
      assertTrue(energy.size() >= 8, "energy rows: " + energy.size());
      // 30 ms reads every 100 ms: rows still come at the period, in order, and the counter over their
      // stamps is the stub's 300 W.
      Map<String, String> a = energy.get(1), b = energy.get(energy.size() - 1);
      double watts = (Long.parseLong(b.get("energy_mj")) - Long.parseLong(a.get("energy_mj")))
          / (double) (Long.parseLong(b.get("epoch_ms")) - Long.parseLong(a.get("epoch_ms")));
      assertEquals(300.0, watts, 30.0);
      assertEquals("running", sources(dir).get("nvml-energy").get("status").asText());
    } finally {
      s.close();
      hooks.nvmlStubSetEnergyDelayMs(0);
    }
  }

  /** A GPU in MIG mode: NVML's power and energy are the whole GPU's, and its rows say so. */
  @Test
  void aGpuInMigModeIsLabelledWholeGpu() throws Exception {
    Path lib = NvmlStubTest.buildStub(tmp);
    StubHooks hooks = com.sun.jna.Native.load(lib.toString(), StubHooks.class);
    hooks.nvmlStubSetMigGpu(1);
    Path dir = tmp.resolve("hardware");
    CollectorSession s = CollectorSession.start(config(lib, Files.createDirectories(tmp.resolve("no-tools"))), dir);
    try {
      List<Map<String, String>> rows = waitForRows(dir, r -> fast(r, "1").size() >= 3);
      s.close();
      assertEquals("Stub GPU 1 (whole GPU, MIG on)", fast(rows, "1").get(0).get("gpu_name"));
      assertEquals("Stub GPU 0", fast(rows, "0").get(0).get("gpu_name"));
    } finally {
      s.close();
      hooks.nvmlStubSetMigGpu(-1);
    }
  }

  /** NVML fails mid-run (every GPU lost): nvidia-smi, not needed at start, takes over. */
  @Test
  void nvidiaSmiTakesOverWhenNvmlFailsMidRun() throws Exception {
    Path lib = NvmlStubTest.buildStub(tmp);
    StubHooks hooks = com.sun.jna.Native.load(lib.toString(), StubHooks.class);
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    Path smi = bin.resolve("nvidia-smi");
    Files.writeString(smi, "#!/bin/sh\n# fake nvidia-smi for tests (synthetic values)\nwhile true; do\n"
        + "  printf '%s, 0, GPU-stub-0, Stub GPU 0, 40, 5, 100, 81559, 250.50, [N/A], 700.00, 1980, 2619, 50\\n'"
        + " \"$(date '+%Y/%m/%d %H:%M:%S.000')\"\n  sleep 0.05\ndone\n");
    smi.toFile().setExecutable(true);
    Path dir = tmp.resolve("hardware");
    CollectorSession s = CollectorSession.start(config(lib, bin), dir);
    try {
      waitForRows(dir, r -> fast(r, "0").size() >= 5);
      hooks.nvmlStubSetLost(1);
      List<Map<String, String>> rows =
          waitForRows(dir, r -> r.stream().filter(x -> "nvidia-smi".equals(x.get("source"))).count() >= 5);
      s.close();
      assertTrue(rows.stream().filter(x -> "nvidia-smi".equals(x.get("source"))).count() >= 5,
          "nvidia-smi rows after NVML failed");
      assertEquals("running", sources(dir).get("nvidia-smi").get("status").asText());
    } finally {
      s.close();
      hooks.nvmlStubSetLost(0);
    }
  }
}
