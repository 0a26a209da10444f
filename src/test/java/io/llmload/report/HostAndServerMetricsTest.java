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

/**
 * Issue #15, point 5: what the collector records is reported. SYNTHETIC host and server samples
 * with known answers: a 45 W CPU package (RAPL) over a 10 s window is 450 J; two engines each at
 * 80 % KV-cache use are 80 % each, not 160 %; token counters rising 100 and 25 tokens/s per engine
 * are 200 generation and 50 prompt tokens/s, beside the client's 100 output and 50 prompt tokens/s
 * (one request's 500 prompt tokens, its prefill done inside the 10 s window).
 */
class HostAndServerMetricsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long T0_MS = 1_800_000_000_000L;
  @TempDir Path tmp;

  @Test
  void cpuEnergyPerTokenGaugesPerEngineAndCountersAsRates() throws Exception {
    Path dir = tmp.resolve("run");
    Files.createDirectories(dir.resolve("hardware"));
    ObjectNode run = JSON.createObjectNode();
    run.put("schema", 1);
    run.put("note", "SYNTHETIC");
    run.put("complete", true);
    run.putArray("phases").addObject().put("name", "c1").put("level", 1).put("start_epoch_us", (T0_MS + 2000) * 1000)
        .put("end_epoch_us", (T0_MS + 12_000) * 1000).put("warmup_end_epoch_us", (T0_MS + 2000) * 1000);
    JSON.writeValue(dir.resolve("run.json").toFile(), run);
    Files.writeString(dir.resolve("requests.jsonl"), String.format(Locale.ROOT,
        "{\"phase\":\"c1\",\"level\":1,\"status\":\"ok\",\"sent_epoch_us\":%d,\"ttft_ms\":500,\"last_token_ms\":9500,"
            + "\"e2e_ms\":9500,\"output_tokens\":1000,\"prompt_tokens\":500}%n", (T0_MS + 2000) * 1000));
    StringBuilder host = new StringBuilder("epoch_ms,cpu_pct,mem_used_mib,mem_total_mib,load1,cpu_energy_uj\n");
    StringBuilder prom = new StringBuilder();
    for (long t = 300; t <= 14_000; t += 1000) {
      host.append(T0_MS + t).append(",25.0,8000,32000,1.0,").append(Math.round(7e9 + 45e6 * t / 1000.0)).append('\n');
      double s = t / 1000.0;
      prom.append(String.format(Locale.ROOT, "{\"schema\":1,\"epoch_ms\":%d,\"samples\":["
          + "{\"name\":\"vllm:gpu_cache_usage_perc\",\"labels\":{\"engine\":\"0\"},\"value\":0.8},"
          + "{\"name\":\"vllm:gpu_cache_usage_perc\",\"labels\":{\"engine\":\"1\"},\"value\":0.8},"
          + "{\"name\":\"sglang:token_usage\",\"labels\":{},\"value\":0.7},"
          + "{\"name\":\"vllm:generation_tokens_total\",\"labels\":{\"engine\":\"0\"},\"value\":%s},"
          + "{\"name\":\"vllm:generation_tokens_total\",\"labels\":{\"engine\":\"1\"},\"value\":%s},"
          + "{\"name\":\"vllm:prompt_tokens_total\",\"labels\":{\"engine\":\"0\"},\"value\":%s},"
          + "{\"name\":\"vllm:prompt_tokens_total\",\"labels\":{\"engine\":\"1\"},\"value\":%s}]}%n",
          T0_MS + t, 1000 + 100 * s, 5000 + 100 * s, 25 * s, 25 * s));
    }
    Files.writeString(dir.resolve("hardware/host.csv"), host);
    Files.writeString(dir.resolve("hardware/server-metrics.jsonl"), prom);

    JsonNode p = Aggregator.aggregate(List.of(dir), dir, ReportOptions.defaults().pngCharts(false)).path("phases").get(0);
    JsonNode h = p.path("host");
    assertEquals(450.0, h.path("cpu_energy_j").asDouble(), 0.005 * 450, h.toString());
    assertEquals(0.45, h.path("cpu_j_per_token").asDouble(), 0.005 * 0.45);
    assertEquals(25.0, h.path("cpu_avg_pct").asDouble(), 1e-9);
    assertEquals(8000.0, h.path("mem_used_max_mib").asDouble(), 1e-9);

    JsonNode g = p.path("server_metrics");
    assertEquals(0.8, g.path("vllm:gpu_cache_usage_perc{engine=0}").path("max").asDouble(), 1e-9, g.toString());
    assertEquals(0.8, g.path("vllm:gpu_cache_usage_perc{engine=1}").path("max").asDouble(), 1e-9);
    assertEquals(0.7, g.path("sglang:token_usage").path("avg").asDouble(), 1e-9, "SGLang's KV-cache gauge");
    assertTrue(!g.has("vllm:generation_tokens_total"), "counters are not gauges");

    JsonNode t = p.path("server_tokens");
    assertEquals(200.0, t.path("generation_tokens_per_s").asDouble(), 0.005 * 200, t.toString());
    assertEquals(50.0, t.path("prompt_tokens_per_s").asDouble(), 0.005 * 50);
    assertEquals(100.0, t.path("client_output_tokens_per_s").asDouble(), 1e-9);
    assertEquals(2.0, t.path("generation_vs_client").asDouble(), 0.01);
    assertEquals(50.0, t.path("client_prompt_tokens_per_s").asDouble(), 1e-9, t.toString());
    assertEquals(1.0, t.path("prompt_vs_client").asDouble(), 0.01, "client and server count the same prompts");
    assertEquals(50.0, p.path("prompt_tokens_per_s").asDouble(), 1e-9);
    assertEquals(500, p.path("window_prompt_tokens").asLong());
    assertEquals(200.0, p.path("server_counters").path("vllm:generation_tokens_total").asDouble(), 1.0);
  }
}
