package io.llmload.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Saturation findings come from aggregate throughput and the SLO, never from per-request speed. */
class FindingsTest {
  static final Path H100 = Path.of("gpu", "nvidia-h100", "llamacpp-cuda");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  private static ObjectNode phase(double level, double aggregate, double perRequest) {
    ObjectNode p = JSON.createObjectNode();
    p.put("name", "c" + (long) level);
    p.put("level", level);
    p.put("ok", 100);
    p.put("output_tokens_per_s", aggregate);
    p.putObject("tokens_per_s").put("mean", perRequest);
    return p;
  }

  private static double factorIn(String text, String before) {
    Matcher m = Pattern.compile(Pattern.quote(before) + " ([0-9.]+)×").matcher(text);
    assertTrue(m.find(), "no '" + before + " N×' in: " + text);
    return Double.parseDouble(m.group(1));
  }

  /** The seed that reported "optimal concurrency 1, scaling factor 1.0x" had data shaped like this. */
  @Test
  void perRequestSpeedFallingWhileAggregateGrowsIsNotOptimalAtOne() throws Exception {
    SyntheticRun s = new SyntheticRun();
    s.levels = new int[] {1, 2, 4, 8, 16};
    s.phaseSeconds = 6;
    s.gpu = false;
    Path run = s.write(tmp.resolve("seed-shaped"));
    JsonNode summary = Aggregator.aggregate(List.of(run), run, ReportOptions.defaults().pngCharts(false));
    JsonNode phases = summary.path("phases");
    double perRequestFirst = phases.get(0).path("tokens_per_s").path("mean").asDouble();
    double perRequestLast = phases.get(4).path("tokens_per_s").path("mean").asDouble();
    double aggFirst = phases.get(0).path("output_tokens_per_s").asDouble();
    double aggLast = phases.get(4).path("output_tokens_per_s").asDouble();
    assertTrue(perRequestFirst > 1.8 * perRequestLast, "data shape: per-request speed falls");
    assertTrue(aggLast > 5 * aggFirst, "data shape: aggregate grows several-fold");

    JsonNode f = summary.path("findings");
    assertEquals(16.0, f.path("best_throughput_level").asDouble());
    assertTrue(f.path("scaling_factor").asDouble() > 5, "scaling factor " + f.path("scaling_factor"));
    assertEquals(aggLast / aggFirst, f.path("scaling_factor").asDouble(), 0.01);
    assertTrue(f.path("saturation_level").isNull(), "still growing at 16");
    String text = f.path("text").toString();
    assertTrue(factorIn(text, "grows") > 5, text);
    assertTrue(text.contains("Per-request speed falls"), text);
    assertFalse(text.matches("(?s).*(optimal|best level) [a-z ]*\\(?1\\)?[ :].*"), text);
  }

  @Test
  void saturationSloBreakAndBestGoodputFromAggregateFigures() {
    ArrayNode phases = JSON.createArrayNode();
    double[][] rows = { // level, aggregate tok/s, per-request tok/s, goodput rps, good fraction
        {1, 100, 100, 0.8, 1.0}, {2, 190, 95, 1.5, 1.0}, {4, 380, 95, 2.9, 0.97}, {8, 390, 49, 2.7, 0.90},
        {16, 385, 24, 1.2, 0.50}};
    for (double[] r : rows) {
      ObjectNode p = phase(r[0], r[1], r[2]);
      p.put("goodput_rps", r[3]);
      p.put("good_fraction", r[4]);
      phases.add(p);
    }
    ObjectNode slo = JSON.createObjectNode().put("ttft_ms", 500.0);
    JsonNode f = Findings.compute(phases, slo, 0.95, "concurrency");
    assertEquals(4.0, f.path("saturation_level").asDouble(), "8 adds under 5% over 4: " + f);
    assertEquals(4.0, f.path("best_goodput_level").asDouble());
    assertEquals(3.8, f.path("scaling_factor").asDouble(), 1e-9);
    assertEquals(8.0, f.path("slo_break_level").asDouble());
    String text = f.path("text").toString();
    assertTrue(text.contains("stops growing beyond concurrency 4"), text);
    assertTrue(text.contains("first breaks at concurrency 8"), text);
  }

  /**
   * Issue #15, point 6: 60 % of requests met the SLO at concurrency 8, which had the most goodput.
   * The best goodput level is the highest at which slo.fraction of requests met it (4), and the
   * scaling factor is quoted to 4, never to 8.
   */
  @Test
  void bestGoodputLevelIsTheHighestLevelMeetingTheSloFraction() {
    ArrayNode phases = JSON.createArrayNode();
    double[][] rows = { // level, aggregate tok/s, per-request tok/s, goodput rps, good fraction
        {1, 100, 100, 0.8, 0.99}, {2, 190, 95, 1.5, 0.99}, {4, 360, 90, 2.5, 0.96}, {8, 700, 88, 3.0, 0.60}};
    for (double[] r : rows) {
      ObjectNode p = phase(r[0], r[1], r[2]);
      p.put("goodput_rps", r[3]);
      p.put("good_fraction", r[4]);
      phases.add(p);
    }
    ObjectNode slo = JSON.createObjectNode().put("ttft_ms", 500.0);
    JsonNode f = Findings.compute(phases, slo, 0.95, "concurrency");
    assertEquals(4.0, f.path("best_goodput_level").asDouble(), f.toString());
    assertEquals(3.6, f.path("scaling_factor").asDouble(), 1e-9);
    assertEquals(8.0, f.path("slo_break_level").asDouble());
    assertFalse(f.path("text").toString().contains("(8, by goodput"), f.toString());

    // A stricter fraction that no level meets: no best goodput level and no scaling factor.
    JsonNode none = Findings.compute(phases, slo, 0.999, "concurrency");
    assertTrue(none.path("best_goodput_level").isNull(), none.toString());
    assertTrue(none.path("scaling_factor").isNull(), none.toString());
    assertTrue(none.path("text").toString().contains("No level met the SLO"), none.toString());
    assertFalse(none.path("text").toString().contains("Scaling factor"), none.toString());
  }

  /** RampUsers records ramp steps and then a steady phase at the same level. */
  @Test
  void aRampStepAndTheSteadyPhaseAtOneLevelCountOnce() {
    ArrayNode phases = JSON.createArrayNode();
    phases.add(phase(4, 48, 62).put("window_s", 0.667).put("name", "ramp-4"));
    phases.add(phase(4, 728, 101).put("window_s", 1.0).put("name", "c4"));
    JsonNode f = Findings.compute(phases, null, 0.95, "concurrency");
    assertTrue(f.path("text").get(0).asText().contains("at least two levels"), f.toString());
    phases.add(phase(8, 1000, 80).put("window_s", 1.0));
    f = Findings.compute(phases, null, 0.95, "concurrency");
    assertEquals(1000 / 728.0, f.path("scaling_factor").asDouble(), 0.001, "from the steady c4, not the ramp step");
  }

  @Test
  void singleLevelGivesNoSaturationFinding() {
    ArrayNode phases = JSON.createArrayNode().add(phase(8, 500, 60));
    JsonNode f = Findings.compute(phases, null, 0.95, "concurrency");
    assertTrue(f.path("saturation_level").isNull());
    assertTrue(f.path("scaling_factor").isNull());
    assertTrue(f.path("text").get(0).asText().contains("at least two levels"));
  }

  /** The per-level table of the real llama.cpp H100 sweep, as published in its fixture. */
  @Test
  void realH100SweepTableGivesGrowthAndFallsInSpeedAndEnergy() throws Exception {
    JsonNode levels = JSON.readTree(TestFolders.sharedFixtures().resolve(H100).resolve("llamacpp-cuda-levels.json").toFile());
    ArrayNode phases = JSON.createArrayNode();
    for (JsonNode l : levels) {
      ObjectNode p = phase(l.path("concurrency").asDouble(), l.path("agg_tokens_per_s").asDouble(),
          l.path("per_request_tokens_per_s_avg").asDouble());
      p.putObject("gpu").put("j_per_token", l.path("joules_per_token").asDouble());
      phases.add(p);
    }
    JsonNode f = Findings.compute(phases, null, 0.95, "concurrency");
    assertEquals(64.0, f.path("best_throughput_level").asDouble());
    assertEquals(3231.0 / 169.5, f.path("scaling_factor").asDouble(), 0.01);
    assertTrue(f.path("saturation_level").isNull(), "still growing 27.7% from 32 to 64");
    String text = f.path("text").toString();
    assertEquals(19.1, factorIn(text, "grows"), 1e-9, text);
    assertTrue(text.contains("falls from 169.6 to 50.8 tokens/s"), text);
    assertEquals(33.4, factorIn(text, "falls"), 1e-9, text);
    assertTrue(text.contains("did not saturate"), text);
  }

  /**
   * The real NVML samples of that sweep (energy counter, power, utilisation, clocks) through the
   * aggregator, with request records reconstructed (synthetic) from the per-level table.
   */
  @Test
  void realH100NvmlSamplesGiveThePublishedEnergyPerPhase() throws Exception {
    Path fx = TestFolders.sharedFixtures().resolve(H100);
    JsonNode levels = JSON.readTree(fx.resolve("llamacpp-cuda-levels.json").toFile());
    Path run = tmp.resolve("h100-llamacpp");
    Files.createDirectories(run.resolve("hardware"));
    Map<String, long[]> spans = new LinkedHashMap<>();
    try (BufferedWriter out = Files.newBufferedWriter(run.resolve("hardware/gpu.csv"))) {
      out.write("epoch_ms,source,gpu_index,gpu_uuid,gpu_name,util_gpu_pct,util_mem_pct,mem_used_mib,mem_total_mib,"
          + "power_avg_w,power_instant_w,energy_mj,sm_clock_mhz,mem_clock_mhz,temp_c,power_limit_w\n");
      List<String> lines = Files.readAllLines(fx.resolve("nvml-llamacpp-100ms.csv"));
      for (String line : lines.subList(1, lines.size())) {
        String[] c = line.split(",");
        long ms = Math.round(Double.parseDouble(c[0]) * 1000);
        spans.computeIfAbsent(c[1], k -> new long[] {ms, ms})[1] = ms;
        out.write(String.format(Locale.ROOT, "%d,nvml,0,GPU-h100-fixture,NVIDIA H100,%s,%s,,,%.3f,%.3f,%s,%s,,,%n",
            ms, c[5], c[6], Long.parseLong(c[3]) / 1000.0, Long.parseLong(c[4]) / 1000.0, c[2], c[7]));
      }
    }
    ObjectNode runJson = JSON.createObjectNode();
    runJson.put("schema", 1);
    runJson.put("note", "GPU samples real (H100 fixture); request records SYNTHETIC, rebuilt from its per-level table");
    runJson.put("protocol", "openai-chat");
    runJson.put("complete", true);
    ArrayNode ph = runJson.putArray("phases");
    List<String> records = new ArrayList<>();
    for (JsonNode l : levels) {
      int c = l.path("concurrency").asInt();
      long[] span = spans.get("c" + c);
      long startUs = span[0] * 1000, endUs = span[1] * 1000;
      ph.addObject().put("name", "c" + c).put("level", c).put("start_epoch_us", startUs).put("end_epoch_us", endUs)
          .put("warmup_end_epoch_us", startUs);
      int n = l.path("requests").asInt();
      long tokens = l.path("output_tokens").asLong() / n;
      double tps = l.path("per_request_tokens_per_s_avg").asDouble();
      double e2e = tokens / tps * 1000;
      for (int i = 0; i < n; i++) {
        long sent = startUs + (long) ((endUs - startUs - e2e * 1000) * i / n);
        records.add(String.format(Locale.ROOT,
            "{\"schema\":1,\"phase\":\"c%d\",\"level\":%d,\"warmup\":false,\"status\":\"ok\",\"sent_epoch_us\":%d,"
                + "\"end_epoch_us\":%d,\"queue_delay_ms\":0.1,\"ttft_ms\":%s,\"e2e_ms\":%s,\"output_tokens\":%d,"
                + "\"max_tokens\":128,\"tokens_per_s\":%s}",
            c, c, sent, sent + (long) (e2e * 1000), l.path("ttft_ms_p50").asText(), e2e, tokens, tps));
      }
    }
    JSON.writeValue(run.resolve("run.json").toFile(), runJson);
    Files.write(run.resolve("requests.jsonl"), (String.join("\n", records) + "\n").getBytes());

    JsonNode s = Aggregator.aggregate(List.of(run), run, ReportOptions.defaults().pngCharts(false));
    int i = 0;
    for (JsonNode l : levels) {
      JsonNode g = s.path("phases").get(i++).path("gpu");
      assertEquals("counter", g.path("energy_source").asText());
      assertEquals(l.path("energy_j").asDouble(), g.path("energy_j").asDouble(), 0.03 * l.path("energy_j").asDouble(),
          "energy of c" + l.path("concurrency"));
      assertEquals(l.path("joules_per_token").asDouble(), g.path("j_per_token").asDouble(),
          0.03 * l.path("joules_per_token").asDouble());
    }
    String text = s.path("findings").path("text").toString();
    assertEquals(19.1, factorIn(text, "grows"), 0.3, text);
    assertTrue(text.contains("falls from 169.6 to 50.8 tokens/s"), text);
    assertEquals(33.4, factorIn(text, "falls"), 0.5, text);
    assertEquals(64.0, s.path("findings").path("best_throughput_level").asDouble());
  }
}
