package io.llmload.collector.amd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.llmload.collector.GpuSample;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Samples shaped after the key names documented in hardware-facts.md section 7 (amd-smi metric --json,
 * rocm-smi --json); synthetic values, not captures from an AMD machine.
 */
class AmdSmiParserTest {

  @Test
  void amdSmiList() throws Exception {
    String json = """
        [{"gpu": 0,
          "usage": {"gfx_activity": {"value": 87, "unit": "%"}, "umc_activity": {"value": 40, "unit": "%"},
                    "mm_activity": "N/A"},
          "power": {"socket_power": {"value": 512, "unit": "W"}, "gfx_voltage": "N/A"},
          "mem_usage": {"used_vram": {"value": 1024, "unit": "MB"}, "total_vram": {"value": 196592, "unit": "MB"}}},
         {"gpu": 1, "usage": {"gfx_activity": "N/A"}, "power": {"socket_power": "N/A"}, "mem_usage": {}}]
        """;
    List<GpuSample> s = AmdSmiParser.amdSmi(json, 7);
    assertEquals(2, s.size());
    assertEquals(87.0, s.get(0).utilGpuPct());
    assertEquals(40.0, s.get(0).utilMemPct());
    assertEquals(512.0, s.get(0).powerAvgW());
    assertEquals(1024.0, s.get(0).memUsedMib());
    assertEquals("amd-smi", s.get(0).source());
    assertNull(s.get(1).utilGpuPct());
    assertNull(s.get(1).powerAvgW());
    assertEquals(1, AmdSmiParser.amdSmi("{\"gpu_data\": [{\"gpu\": 3}]}", 0).size());
  }

  @Test
  void rocmSmiCards() throws Exception {
    String json = """
        {"card0": {"GPU use (%)": "12", "Average Graphics Package Power (W)": "35.0",
                   "GPU Memory Allocated (VRAM%)": "3", "VRAM Total Memory (B)": "68702699520",
                   "VRAM Total Used Memory (B)": "1073741824", "Temperature (Sensor edge) (C)": "41.0"},
         "card1": {"GPU use (%)": "N/A", "Current Socket Graphics Package Power (W)": "301.0"},
         "system": {"Driver version": "6.8"}}
        """;
    List<GpuSample> s = AmdSmiParser.rocmSmi(json, 7);
    assertEquals(2, s.size());
    assertEquals(0, s.get(0).gpuIndex());
    assertEquals(12.0, s.get(0).utilGpuPct());
    assertEquals(35.0, s.get(0).powerAvgW());
    assertEquals(1024.0, s.get(0).memUsedMib());
    assertEquals(65520.0, s.get(0).memTotalMib());
    assertEquals(41.0, s.get(0).tempC());
    assertNull(s.get(1).utilGpuPct());
    assertEquals(301.0, s.get(1).powerAvgW());
  }
}
