package io.llmload.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The energy arithmetic against real H100 captures (see src/test/resources/fixtures/gpu/nvidia-h100/README.md). */
class EnergyMathFixtureTest {

  @Test
  void integratedInstantPowerMatchesTheCounterWithinOnePercent() throws Exception {
    // t (epoch s), energy_mJ, powerUsage_mW (1 s avg), fi_instant_mW, fi_average_mW, util_gpu, util_mem, call_us
    List<String> lines = Files.readAllLines(Fixtures.h100("nvml-5ms-mixed-load.csv"));
    int n = lines.size() - 1;
    double[] t = new double[n];
    long[] mj = new long[n];
    double[] instant = new double[n];
    double[] avg = new double[n];
    for (int i = 0; i < n; i++) {
      String[] f = lines.get(i + 1).split(",");
      t[i] = Double.parseDouble(f[0]) * 1000.0;
      mj[i] = Long.parseLong(f[1]);
      avg[i] = Double.parseDouble(f[2]) / 1000.0;
      instant[i] = Double.parseDouble(f[3]) / 1000.0;
    }
    double counter = EnergyMath.counterDeltaJ(t, mj, t[0], t[n - 1]);
    double fromInstant = EnergyMath.integratePowerJ(t, instant, t[0], t[n - 1]);
    double fromAverage = EnergyMath.integratePowerJ(t, avg, t[0], t[n - 1]);
    // README: the counter moved 7936 J; instant power integrates to 7956 J (+0.25 %); the 1 s average to -1.9 %
    assertEquals(7936.2, counter, 0.5);
    assertEquals(0.0, (fromInstant - counter) / counter, 0.01, "instant-power integral vs counter");
    assertTrue(fromInstant > counter, "the README measured +0.25 %");
    double avgErr = (fromAverage - counter) / counter;
    assertTrue(avgErr < -0.01 && avgErr > -0.03, "1 s average integral is about -1.9 %, got " + avgErr);
  }

  @Test
  void perPhaseFiguresMatchTheLlamaCppReadmeTableWithinTwoPercent() throws Exception {
    // epoch_s,phase,energy_mj,power_mw,power_instant_mw,util_gpu,util_mem,sm_mhz
    List<String> lines = Files.readAllLines(Fixtures.h100("llamacpp-cuda/nvml-llamacpp-100ms.csv"));
    int n = lines.size() - 1;
    double[] t = new double[n];
    long[] mj = new long[n];
    Map<String, double[]> window = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      String[] f = lines.get(i + 1).split(",");
      t[i] = Double.parseDouble(f[0]) * 1000.0;
      mj[i] = Long.parseLong(f[2]);
      double ti = t[i];
      window.compute(f[1], (k, w) -> w == null ? new double[] {ti, ti} : new double[] {w[0], ti});
    }
    JsonNode levels = new ObjectMapper().readTree(Fixtures.h100("llamacpp-cuda/llamacpp-cuda-levels.json").toFile());
    List<String> checked = new ArrayList<>();
    for (JsonNode level : levels) {
      String phase = "c" + level.get("concurrency").asInt();
      double[] w = window.get(phase);
      assertNotNull(w, "phase " + phase + " in the capture");
      EnergyMath.Window r = EnergyMath.window(t, mj, null, w[0], w[1], level.get("output_tokens").asLong());
      assertEquals("energy_counter", r.method());
      assertClose(level.get("energy_j").asDouble(), r.energyJ(), phase + " energy J");
      assertClose(level.get("avg_power_w").asDouble(), r.avgPowerW(), phase + " average W");
      assertClose(level.get("joules_per_token").asDouble(), r.joulesPerToken(), phase + " J/token");
      checked.add(phase);
    }
    assertEquals(List.of("c1", "c2", "c4", "c8", "c16", "c32", "c64"), checked);
  }

  @Test
  void counterResetCountsFromZeroAndEdgesInterpolate() {
    // synthetic: a counter rising 100 mJ per 100 ms, reset to 0 by a driver reload between 200 and 300 ms
    double[] t = {0, 100, 200, 300, 400};
    long[] mj = {1000, 1100, 1200, 50, 150};
    assertEquals(0.35, EnergyMath.counterDeltaJ(t, mj, 0, 400), 1e-9);
    assertEquals(0.05, EnergyMath.counterDeltaJ(t, mj, 50, 100), 1e-9);
    double[] w = {100, 100, 200, 200, 200};
    // 100 W for 100 ms, ramp to 200 W over 100 ms, then 200 W for 200 ms: 10 + 15 + 40 J
    assertEquals(65.0, EnergyMath.integratePowerJ(t, w, 0, 400), 1e-9);
  }

  private static void assertClose(double expected, double actual, String what) {
    double rel = Math.abs(actual - expected) / Math.abs(expected);
    assertTrue(rel <= 0.02, what + ": expected " + expected + " within 2 %, got " + actual + " (" + rel * 100 + " %)");
  }
}
