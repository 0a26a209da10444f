package io.llmload.collector.prom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmload.collector.GpuSample;
import io.llmload.collector.MetricSample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PromTextTest {

  static Path fixture(String... parts) {
    Path p = Path.of("src", "test", "resources", "fixtures").resolve(Path.of("", parts)).toAbsolutePath().normalize();
    if (!Files.exists(p)) {
      throw new AssertionError("fixture missing: " + p + " (run from the repository root)");
    }
    return p;
  }

  private static double value(List<MetricSample> s, String name) {
    return s.stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow(() -> new AssertionError(name))
        .value();
  }

  @Test
  void llamaCppMetricsFromTheH100Run() throws Exception {
    List<MetricSample> s = PromText.parse(
        Files.readString(fixture("gpu", "nvidia-h100", "llamacpp-cuda", "metrics-c64.prom")), MetricFamilies::server);
    assertEquals(139536.0, value(s, "llamacpp:tokens_predicted_total"));
    assertEquals(12.2314, value(s, "llamacpp:n_busy_slots_per_decode"));
    assertEquals(0.0, value(s, "llamacpp:requests_processing"));
    assertEquals(15, s.size(), "every llamacpp: series is kept");
  }

  @Test
  void llamaCppMetricsFromTheTinyServer() throws Exception {
    List<MetricSample> s = PromText.parse(
        Files.readString(fixture("streams", "llamacpp-server", "metrics.prom")), MetricFamilies::server);
    assertEquals(44.0, value(s, "llamacpp:tokens_predicted_total"));
    assertEquals(36.0, value(s, "llamacpp:prompt_tokens_cached_total"));
  }

  @Test
  void labelsEscapesAndFiltering() {
    // lines in vLLM's and the DCGM exporter's documented shapes (see hardware-facts.md 3.2 and 4.1)
    String text = """
        # HELP vllm:num_requests_running Number of requests in model execution batches.
        # TYPE vllm:num_requests_running gauge
        vllm:num_requests_running{engine="0",model_name="m,1 \\"q\\""} 7.0
        vllm:time_to_first_token_seconds_bucket{le="+Inf",model_name="m"} 40.0
        vllm:time_to_first_token_seconds_count{model_name="m"} 40.0
        vllm:generation_tokens_total{model_name="m"} 1.2345e+06 1700000000000
        python_gc_objects_collected_total{generation="0"} 12.0
        garbage line without value {
        DCGM_FI_DEV_POWER_USAGE{gpu="0",UUID="GPU-1",modelName="NVIDIA H100 80GB HBM3",Hostname="n1"} 320.5
        """;
    List<MetricSample> s = PromText.parse(text, MetricFamilies::server);
    assertEquals(4, s.size(), s.toString());
    assertEquals(Map.of("engine", "0", "model_name", "m,1 \"q\""), s.get(0).labels());
    assertEquals(7.0, s.get(0).value());
    assertEquals(1234500.0, value(s, "vllm:generation_tokens_total"));
    assertTrue(s.stream().noneMatch(m -> m.name().endsWith("_bucket")), "histogram buckets are dropped");
  }

  @Test
  void dcgmSeriesBecomeGpuRowsWithSentinelsAsNull() {
    // the exposition sample of hardware-facts.md 3.2, extended to the default counters (synthetic values)
    String text = """
        DCGM_FI_DEV_POWER_USAGE{gpu="0",UUID="GPU-a",device="nvidia0",modelName="NVIDIA H100 80GB HBM3"} 320.5
        DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION{gpu="0",UUID="GPU-a",modelName="NVIDIA H100 80GB HBM3"} 2201025
        DCGM_FI_DEV_GPU_UTIL{gpu="0",UUID="GPU-a",modelName="NVIDIA H100 80GB HBM3"} 97
        DCGM_FI_DEV_FB_USED{gpu="0",UUID="GPU-a",modelName="NVIDIA H100 80GB HBM3"} 1139
        DCGM_FI_DEV_FB_FREE{gpu="0",UUID="GPU-a",modelName="NVIDIA H100 80GB HBM3"} 79940
        DCGM_FI_DEV_FB_RESERVED{gpu="0",UUID="GPU-a",modelName="NVIDIA H100 80GB HBM3"} 480
        DCGM_FI_DEV_MEMORY_TEMP{gpu="0",UUID="GPU-a",modelName="NVIDIA H100 80GB HBM3"} 9223372036854775794
        DCGM_FI_DEV_GPU_TEMP{gpu="1",UUID="GPU-b",modelName="NVIDIA H100 80GB HBM3"} 41
        """;
    List<MetricSample> s = PromText.parse(text, MetricFamilies::dcgm);
    List<GpuSample> rows = PrometheusSource.dcgmRows(5, s);
    assertEquals(2, rows.size());
    GpuSample a = rows.get(0);
    assertEquals("GPU-a", a.gpuUuid());
    assertEquals(0, a.gpuIndex());
    assertEquals(320.5, a.powerAvgW());
    assertEquals(2201025L, a.energyMj());
    assertEquals(97.0, a.utilGpuPct());
    assertEquals(81559.0, a.memTotalMib());
    assertNull(a.tempC());
    assertEquals(41.0, rows.get(1).tempC());
    assertEquals("dcgm", a.source());
  }

  /** Issue #15, point 4: MIG instances per instance; the GPU's power and energy labelled as the whole GPU's. */
  @Test
  void dcgmMigInstancesGetTheirOwnRowsAndTheGpuRowIsLabelledWholeGpu() {
    String text = """
        DCGM_FI_DEV_POWER_USAGE{gpu="0",UUID="GPU-a",modelName="NVIDIA H100 80GB HBM3"} 350
        DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION{gpu="0",UUID="GPU-a",modelName="NVIDIA H100 80GB HBM3"} 2201025
        DCGM_FI_DEV_FB_USED{gpu="0",UUID="GPU-a",modelName="NVIDIA H100 80GB HBM3",GPU_I_PROFILE="3g.40gb",GPU_I_ID="1"} 9000
        DCGM_FI_DEV_FB_FREE{gpu="0",UUID="GPU-a",modelName="NVIDIA H100 80GB HBM3",GPU_I_PROFILE="3g.40gb",GPU_I_ID="1"} 31000
        DCGM_FI_PROF_GR_ENGINE_ACTIVE{gpu="0",UUID="GPU-a",modelName="NVIDIA H100 80GB HBM3",GPU_I_PROFILE="3g.40gb",GPU_I_ID="1"} 0.75
        DCGM_FI_DEV_FB_USED{gpu="0",UUID="GPU-a",modelName="NVIDIA H100 80GB HBM3",GPU_I_PROFILE="4g.40gb",GPU_I_ID="2"} 100
        """;
    List<GpuSample> rows = PrometheusSource.dcgmRows(5, PromText.parse(text, MetricFamilies::dcgm));
    assertEquals(3, rows.size(), rows.toString());
    GpuSample whole = rows.get(0);
    assertEquals("GPU-a", whole.gpuUuid());
    assertEquals("NVIDIA H100 80GB HBM3 (whole GPU)", whole.gpuName());
    assertEquals(350.0, whole.powerAvgW());
    assertEquals(2201025L, whole.energyMj());
    GpuSample i1 = rows.get(1);
    assertEquals("GPU-a/mig1", i1.gpuUuid());
    assertEquals("NVIDIA H100 80GB HBM3 MIG 3g.40gb instance 1", i1.gpuName());
    assertEquals(9000.0, i1.memUsedMib());
    assertEquals(75.0, i1.utilGpuPct(), 1e-9);
    assertNull(i1.powerAvgW(), "an instance has no power of its own");
    assertNull(i1.energyMj());
    assertEquals(100.0, rows.get(2).memUsedMib());
  }

  @Test
  void userInfoIsNotShown() {
    assertEquals("http://h:9400/metrics",
        PrometheusSource.withoutUserInfo(java.net.URI.create("http://u:secret@h:9400/metrics?token=x")));
    assertNull(PromText.line("x{a=\"1\" 2", n -> true));
  }
}
