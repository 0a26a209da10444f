package io.llmload.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shards' hardware series in the merged folder (SYNTHETIC steady GPU power with an energy
 * counter, the reference being watts x the 10 s window): each shard's files are kept under
 * hardware/shard-i/, GPUs are told apart by UUID, so two shards whose collectors watched the
 * same GPU count its energy once, and shards on two GPU hosts add their GPUs' energy. Each shard
 * sent 1,000 tokens in the window: 2,000 in all.
 */
class ShardHardwareMergeTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long T0_MS = 1_800_000_000_000L;
  private static final String HEADER = "epoch_ms,source,gpu_index,gpu_uuid,gpu_name,util_gpu_pct,util_mem_pct,"
      + "mem_used_mib,mem_total_mib,power_avg_w,power_instant_w,energy_mj,sm_clock_mhz,mem_clock_mhz,temp_c,power_limit_w\n";

  /** A shard folder: phase c2 measured over [T0 + 2 s, T0 + 12 s), one request of 1,000 tokens, its GPU's rows. */
  private static Path shard(Path dir, int index, String uuid, double watts, String host) throws Exception {
    Path f = dir.resolve("shard" + index);
    Files.createDirectories(f.resolve("hardware"));
    long s = (T0_MS + 2000) * 1000, e = (T0_MS + 12_000) * 1000;
    Files.writeString(f.resolve("run.json"), """
        {"schema":1,"simulation":"io.llmload.simulations.ConstantUsers","model":"m","protocol":"openai-chat",
         "parameters":{"users":"2","shards":2,"shard":"%d"},"start_epoch_us":%d,"end_epoch_us":%d,
         "phases":[{"name":"c2","level":1,"start_epoch_us":%d,"end_epoch_us":%d,"warmup_end_epoch_us":%d}],
         "shard":{"index":%d,"count":2,"start_at_epoch_ms":%d,"actual_start_epoch_us":%d},"complete":true}
        """.formatted(index, s, e, s, e, s, index, T0_MS + 2000, s));
    Files.writeString(f.resolve("requests.jsonl"), String.format(Locale.ROOT,
        "{\"request\":\"chat\",\"phase\":\"c2\",\"level\":1,\"status\":\"ok\",\"shard\":\"%d/2\",\"sent_epoch_us\":%d,"
            + "\"end_epoch_us\":%d,\"ttft_ms\":500,\"last_token_ms\":9500,\"e2e_ms\":9500,\"output_tokens\":1000}%n",
        index, s, s + 9_500_000));
    StringBuilder rows = new StringBuilder(HEADER);
    double mj = 5_000_000_000.0;
    for (long t = 137; t <= 20_000; t += 500) {
      if (t > 137) mj += watts * 500;
      rows.append(T0_MS + t).append(",synthetic,0,").append(uuid).append(",Synthetic GPU,50,,1000,80000,").append(watts)
          .append(',').append(watts).append(',').append(Math.round(mj)).append(",1500,,60,700\n");
    }
    Files.writeString(f.resolve("hardware/gpu.csv"), rows.toString());
    Files.writeString(f.resolve("hardware/host.csv"), "epoch_ms,cpu_pct,mem_used_mib,mem_total_mib,cpu_energy_uj\n"
        + (T0_MS + 3000) + ",10,1000,8000,\n" + (T0_MS + 4000) + ",10,1000,8000,\n");
    Files.writeString(f.resolve("hardware/collector.json"), "{\"schema\":1,\"host\":\"" + host + "\",\"sources\":[]}");
    return f;
  }

  private static JsonNode merge(Path out, Path... shards) throws Exception {
    String[] args = {shards[0].toString(), shards[1].toString(), "--out", out.toString()};
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    PrintStream p = new PrintStream(o, true, StandardCharsets.UTF_8);
    assertEquals(0, MergeShardsMain.run(args, p, p), o.toString(StandardCharsets.UTF_8));
    return JSON.readTree(out.resolve("summary.json").toFile());
  }

  @Test
  void shardsWatchingOneGpuHostCountItsEnergyOnce(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("merged");
    JsonNode s = merge(out, shard(dir, 0, "GPU-a", 300, "gpu-box"), shard(dir, 1, "GPU-a", 300, "gpu-box"));
    JsonNode g = s.path("phases").get(0).path("gpu");
    assertEquals(2000, s.path("phases").get(0).path("window_output_tokens").asLong());
    assertEquals(1, g.path("gpus").asInt(), g.toString());
    assertEquals(3000.0, g.path("energy_j").asDouble(), 0.005 * 3000, "300 W x 10 s, once: " + g);
    assertEquals(1.5, g.path("j_per_token").asDouble(), 0.005 * 1.5, "not 3.0 (one shard's tokens) nor double-counted");
    assertTrue(Files.isRegularFile(out.resolve("hardware/shard-0/gpu.csv")));
    assertTrue(Files.isRegularFile(out.resolve("hardware/shard-1/gpu.csv")));
    assertEquals("hardware/shard-1", JSON.readTree(out.resolve("run.json").toFile()).path("shards").path("merged").get(1)
        .path("hardware").asText());
    assertEquals("gpu-box", s.path("run").path("hardware_from").path("host").asText());
    assertFalse(s.path("warnings").toString().contains("not summed"), s.path("warnings").toString());
    assertTrue(s.path("phases").get(0).path("host").isObject(), "one host's series: " + s.path("phases").get(0));
  }

  @Test
  void shardsOnTwoGpuHostsAddTheirGpusEnergy(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("merged");
    JsonNode s = merge(out, shard(dir, 0, "GPU-a", 300, "box-a"), shard(dir, 1, "GPU-b", 200, "box-b"));
    JsonNode g = s.path("phases").get(0).path("gpu");
    assertEquals(2, g.path("gpus").asInt(), g.toString());
    assertEquals(5000.0, g.path("energy_j").asDouble(), 0.005 * 5000, "(300 + 200) W x 10 s: " + g);
    assertEquals(2.5, g.path("j_per_token").asDouble(), 0.005 * 2.5);
    // a CPU counter or a server's counters are one host's: the second host's are kept, not summed, and said
    assertTrue(s.path("warnings").toString().contains("are those of box-a; box-b's (shard-1) are kept"), s.path("warnings").toString());
  }
}
