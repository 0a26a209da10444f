package io.llmload.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue #15, point 2: GPU energy of a phase from the counter interpolated at the window's edges,
 * per GPU. SYNTHETIC GPUs with a known answer: a steady 300 W GPU uses exactly 3,000 J in a 10 s
 * window, wherever its 500 ms samples fall. Taking the last minus the first reading inside the
 * window gave 2,850 J (one period short).
 */
class GpuEnergyTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long T0_MS = 1_800_000_000_000L;
  private static final String HEADER = "epoch_ms,source,gpu_index,gpu_uuid,gpu_name,util_gpu_pct,util_mem_pct,"
      + "mem_used_mib,mem_total_mib,power_avg_w,power_instant_w,energy_mj,sm_clock_mhz,mem_clock_mhz,temp_c,power_limit_w\n";
  @TempDir Path tmp;

  /** One phase whose measured window is [T0 + 2 s, T0 + 12 s); GPU rows as given. */
  private JsonNode aggregate(String name, String gpuRows) throws Exception {
    Path dir = tmp.resolve(name);
    Files.createDirectories(dir.resolve("hardware"));
    ObjectNode run = JSON.createObjectNode();
    run.put("schema", 1);
    run.put("note", "SYNTHETIC");
    run.put("complete", true);
    run.putArray("phases").addObject().put("name", "c1").put("level", 1).put("start_epoch_us", (T0_MS + 2000) * 1000)
        .put("end_epoch_us", (T0_MS + 12_000) * 1000).put("warmup_end_epoch_us", (T0_MS + 2000) * 1000);
    JSON.writeValue(dir.resolve("run.json").toFile(), run);
    // 1,000 tokens evenly from 2.5 s to 11.5 s.
    Files.writeString(dir.resolve("requests.jsonl"), String.format(Locale.ROOT,
        "{\"phase\":\"c1\",\"level\":1,\"status\":\"ok\",\"sent_epoch_us\":%d,\"ttft_ms\":500,\"last_token_ms\":9500,"
            + "\"e2e_ms\":9500,\"output_tokens\":1000}%n", (T0_MS + 2000) * 1000));
    Files.writeString(dir.resolve("hardware/gpu.csv"), HEADER + gpuRows);
    return Aggregator.aggregate(List.of(dir), dir, ReportOptions.defaults().pngCharts(false)).path("phases").get(0)
        .path("gpu");
  }

  /** Rows every {@code periodMs} from T0 + offset to T0 + 20 s; counter of {@code watts} from 5 MJ, or none. */
  private static String rows(String uuid, double watts, long periodMs, long offsetMs, boolean counter, long resetAtMs) {
    StringBuilder b = new StringBuilder();
    double mj = 5_000_000_000.0;
    for (long t = offsetMs; t <= 20_000; t += periodMs) {
      if (t > offsetMs) mj += watts * periodMs;
      if (resetAtMs > 0 && t == resetAtMs) mj = watts * periodMs; // driver reload: back to 0 at the previous sample
      b.append(T0_MS + t).append(",synthetic,0,").append(uuid).append(",Synthetic GPU,50,,1000,80000,")
          .append(watts).append(',').append(watts).append(',').append(counter ? Long.toString(Math.round(mj)) : "")
          .append(",1500,,60,700\n");
    }
    return b.toString();
  }

  @ParameterizedTest
  @ValueSource(longs = {0, 1, 137, 250, 333, 499})
  void steady300WattsGivesExactEnergyForAnySampleOffset(long offsetMs) throws Exception {
    JsonNode g = aggregate("offset" + offsetMs, rows("GPU-a", 300, 500, offsetMs, true, 0));
    assertEquals("counter", g.path("energy_source").asText());
    assertEquals(3000.0, g.path("energy_j").asDouble(), 0.005 * 3000, g.toString());
    assertEquals(3.0, g.path("j_per_token").asDouble(), 0.005 * 3.0);
    assertTrue(g.path("energy_covers_window").asBoolean());
    assertEquals(700.0, g.path("power_limit_w").asDouble());
    assertEquals(1000.0, g.path("mem_used_max_mib").asDouble());
    assertEquals(60.0, g.path("temp_max_c").asDouble());
  }

  @Test
  void aCounterResetInsideTheWindowStillGivesTheEnergy() throws Exception {
    JsonNode g = aggregate("reset", rows("GPU-a", 300, 500, 137, true, 6137));
    assertEquals("counter", g.path("energy_source").asText());
    assertEquals(3000.0, g.path("energy_j").asDouble(), 0.005 * 3000, g.toString());
  }

  /** GPU rows of a MIG-split GPU (collector: "(whole GPU…)") make the energy's scope explicit. */
  @Test
  void wholeGpuEnergyUnderMigIsSaid() throws Exception {
    String rows = rows("GPU-a", 300, 500, 137, true, 0).replace("Synthetic GPU", "Synthetic GPU (whole GPU, MIG on)");
    Path dir = tmp.resolve("mig");
    JsonNode g = aggregate("mig", rows);
    assertEquals("whole_gpu_under_mig", g.path("energy_scope").asText(), g.toString());
    JsonNode summary = JSON.readTree(dir.resolve("summary.json").toFile());
    assertTrue(summary.path("warnings").toString().contains("whole GPU's, shared by all its MIG instances"),
        summary.path("warnings").toString());
  }

  /** The collector could not tell the server's GPUs apart: the report says every GPU was counted. */
  @Test
  void gpuSelectionNoteOfTheCollectorBecomesAWarning() throws Exception {
    Path dir = tmp.resolve("note");
    Files.createDirectories(dir.resolve("hardware"));
    Files.writeString(dir.resolve("hardware/collector.json"), "{\"schema\":1,\"host\":\"gpu-box\",\"sources\":[],"
        + "\"gpu_selection\":{\"note\":\"the watched server (pids [7]) runs on no GPU NVML lists; sampling every GPU;"
        + " idle (no compute process): [GPU-b]\"}}");
    aggregate("note", rows("GPU-a", 300, 500, 0, true, 0));
    JsonNode s = JSON.readTree(dir.resolve("summary.json").toFile());
    assertTrue(s.path("warnings").toString().contains("idle (no compute process): [GPU-b]"), s.path("warnings").toString());
    assertEquals("gpu-box", s.path("run").path("hardware_from").path("host").asText());
  }

  /** Only the GPU without a counter falls back to integrated power; the other keeps its counter. */
  @Test
  void aGpuWithoutCounterFallsBackToPowerForThatGpuOnly() throws Exception {
    JsonNode g = aggregate("mixed", rows("GPU-a", 300, 500, 137, true, 0) + rows("GPU-b", 200, 100, 30, false, 0));
    assertEquals(2, g.path("gpus").asInt());
    assertEquals("counter_and_integrated_power", g.path("energy_source").asText());
    assertEquals(5000.0, g.path("energy_j").asDouble(), 0.005 * 5000, g.toString());
    JsonNode per = g.path("per_gpu");
    assertEquals("counter", per.get(0).path("energy_source").asText());
    assertEquals(3000.0, per.get(0).path("energy_j").asDouble(), 15);
    assertEquals("integrated_power", per.get(1).path("energy_source").asText());
    assertEquals(2000.0, per.get(1).path("energy_j").asDouble(), 10);
  }
}
