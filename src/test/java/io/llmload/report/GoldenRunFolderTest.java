package io.llmload.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed schema-1 golden run folder (synthetic, hand-made round numbers; see its README)
 * must keep giving these figures in every later version. Definitions 2 changed three of them on
 * purpose (docs/report.md): c4's warm-up request, sent at 10.5 s, delivers its last 20 tokens
 * (10.8 s + k·1.485 s/99, k = 80…99) and ends inside c4's measured window [12 s, 20 s), so the
 * window holds 820 tokens (102.5 tokens/s, 2400 J / 820 = 2.93 J/token) and 11 ended requests.
 */
class GoldenRunFolderTest {
  @TempDir Path tmp;

  private JsonNode aggregateGolden(ReportOptions opts) throws Exception {
    Path run = TestFolders.copyOfRun("golden-v1", tmp);
    Aggregator.aggregate(List.of(run), run, opts);
    // Read back with plain Jackson, as the regression gate does.
    return new ObjectMapper().readTree(run.resolve("summary.json").toFile());
  }

  private static JsonNode phase(JsonNode s, String name) {
    for (JsonNode p : s.path("phases")) if (name.equals(p.path("name").asText())) return p;
    throw new AssertionError("no phase " + name + " in " + s.path("phases"));
  }

  @Test
  void requestFiguresMatchTheHandComputedValues() throws Exception {
    JsonNode s = aggregateGolden(ReportOptions.defaults());
    assertEquals(1, s.path("schema").asInt());
    assertEquals(1, s.path("definitions").asInt(), "records without a definitions field follow version 1");
    assertTrue(s.path("complete").asBoolean());
    assertEquals(0, s.path("skipped_lines").asInt());
    assertEquals(200.0, s.path("slo").path("ttft_ms").asDouble(), "SLO from run.json");
    assertTrue(s.path("run").path("emulator").path("synthetic").asBoolean());
    assertEquals("***", s.path("run").path("parameters").path("api_key").asText());

    JsonNode c1 = phase(s, "c1");
    assertEquals(1.0, c1.path("level").asDouble());
    assertEquals(8.0, c1.path("window_s").asDouble(), 1e-9);
    assertEquals(4, c1.path("requests").asInt(), "warm-up excluded");
    assertEquals(1, c1.path("warmup_requests").asInt());
    assertEquals(400, c1.path("output_tokens").asLong());
    assertEquals(50.0, c1.path("output_tokens_per_s").asDouble(), 1e-9);
    assertEquals(0.5, c1.path("request_rate").asDouble(), 1e-9);
    assertEquals(1.0, c1.path("good_fraction").asDouble(), 1e-9);
    assertEquals(0.5, c1.path("goodput_rps").asDouble(), 1e-9);
    assertEquals(100.0, c1.path("ttft_ms").path("mean").asDouble(), 1e-9);
    assertEquals(100.0, c1.path("ttft_ms").path("p99").asDouble(), 0.1);
    assertEquals(1090.0, c1.path("e2e_ms").path("max").asDouble(), 1e-9);
    assertEquals(10.0, c1.path("itl_ms").path("mean").asDouble(), 1e-9);
    assertEquals(12.0, c1.path("itl_ms").path("max").asDouble(), 1e-9);
    assertEquals(100 / 1.09, c1.path("tokens_per_s").path("mean").asDouble(), 1e-3);
    assertEquals(4, c1.path("samples").path("ttft_ms").size());

    JsonNode c4 = phase(s, "c4");
    assertEquals(10, c4.path("requests").asInt());
    assertEquals(8, c4.path("ok").asInt());
    assertEquals(2, c4.path("failed").asInt());
    assertEquals(1, c4.path("failures").path("http_error").asInt());
    assertEquals(1, c4.path("failures").path("timeout").asInt());
    assertEquals(0.2, c4.path("error_rate").asDouble(), 1e-9);
    assertEquals(800, c4.path("output_tokens").asLong());
    assertEquals(820, c4.path("window_output_tokens").asLong());
    assertEquals(102.5, c4.path("output_tokens_per_s").asDouble(), 1e-9);
    assertEquals(11 / 8.0, c4.path("request_rate").asDouble(), 1e-9, "requests that ended in the window");
    assertEquals(0.5, c4.path("good_fraction").asDouble(), 1e-9, "5 of 10 met TTFT <= 200 ms");
    assertEquals(5 / 8.0, c4.path("goodput_rps").asDouble(), 1e-9);
    assertEquals((5 * 150 + 3 * 300) / 8.0, c4.path("ttft_ms").path("mean").asDouble(), 1e-9);
    assertEquals(300.0, c4.path("ttft_ms").path("max").asDouble(), 1e-9);
    assertEquals(150.0, c4.path("ttft_ms").path("p50").asDouble(), 0.1);
    assertEquals(0.5, c4.path("queue_delay_ms").path("p99").asDouble(), 0.01);
  }

  @Test
  void hardwareFiguresMatchTheHandComputedValues() throws Exception {
    JsonNode s = aggregateGolden(ReportOptions.defaults().energyPrice(0.30).currency("EUR"));
    JsonNode g1 = phase(s, "c1").path("gpu");
    assertEquals("counter", g1.path("energy_source").asText());
    assertEquals(1600.0, g1.path("energy_j").asDouble(), 1e-6);
    assertEquals(4.0, g1.path("j_per_token").asDouble(), 1e-9);
    assertEquals(900.0, g1.path("tokens_per_wh").asDouble(), 1e-6);
    assertEquals(200.0, g1.path("power_avg_w").asDouble(), 1e-9);
    assertEquals(50.0, g1.path("util_avg_pct").asDouble(), 1e-9);
    assertEquals(1600 / 3.6e6 * 0.30, g1.path("energy_cost").path("value").asDouble(), 1e-7);
    assertEquals("EUR", g1.path("energy_cost").path("currency").asText());
    JsonNode g4 = phase(s, "c4").path("gpu");
    assertEquals(2400.0, g4.path("energy_j").asDouble(), 1e-6);
    assertEquals(2400 / 820.0, g4.path("j_per_token").asDouble(), 1e-3);
    assertEquals(90.0, g4.path("util_max_pct").asDouble(), 1e-9);

    JsonNode p1 = phase(s, "c1").path("process");
    assertEquals(110.0, p1.path("cpu_avg_pct").asDouble(), 1e-9, "processes summed per sample");
    assertEquals(2148.0, p1.path("rss_max_mib").asDouble(), 1e-9);
    assertEquals(45.0, p1.path("threads_max").asDouble(), 1e-9);
    assertEquals(360.0, phase(s, "c4").path("process").path("cpu_max_pct").asDouble(), 1e-9);

    JsonNode m4 = phase(s, "c4").path("server_metrics");
    // Per engine since issue #15 (summing two engines' gauges can exceed what any engine holds).
    assertEquals(2.5, m4.path("vllm:num_requests_running{engine=0}").path("avg").asDouble(), 1e-9, m4.toString());
    assertEquals(3.0, m4.path("vllm:num_requests_running{engine=0}").path("max").asDouble(), 1e-9);
    assertEquals(2.0, m4.path("vllm:num_requests_running{engine=1}").path("avg").asDouble(), 1e-9);
    assertEquals(0.5, m4.path("vllm:num_requests_waiting").path("avg").asDouble(), 1e-9, "one label set: bare name");
    assertFalse(m4.has("vllm:generation_tokens_total"), "counters are not gauges");
  }

  @Test
  void findingsAndReportsOfTheGoldenRun() throws Exception {
    JsonNode s = aggregateGolden(ReportOptions.defaults());
    JsonNode f = s.path("findings");
    assertTrue(f.path("saturation_level").isNull(), "throughput still grows at the top level");
    // c4 met the SLO for 5 of 10 requests (95 % needed): the best goodput level is c1, which met it
    // for all, and the scaling factor is quoted to c1 (issue #15, point 6).
    assertEquals(1.0, f.path("best_goodput_level").asDouble());
    assertEquals(1.0, f.path("scaling_factor").asDouble(), 1e-9);
    assertEquals(4.0, f.path("slo_break_level").asDouble());
    String text = f.path("text").toString();
    assertTrue(text.contains("grows 2.1×"), text);
    assertTrue(text.contains("falls 1.4×"), text);
    assertEquals(0, s.path("warnings").size(), s.path("warnings").toString());
    Path run = tmp.resolve("golden-v1");
    assertTrue(Files.size(run.resolve("report.html")) > 100_000, "Chart.js inlined");
    assertTrue(Files.readString(run.resolve("report.md")).contains("| c4 | 4 |"));
    assertTrue(Files.exists(run.resolve("charts/throughput-vs-level.png")));
    assertTrue(Files.exists(run.resolve("charts/gpu-timeline.png")));
  }
}
