package io.llmload.e2e;

import static org.junit.jupiter.api.Assertions.*;

import io.llmload.testing.SimulationRunner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Percentile objectives become Gatling assertions on the request's own rows. */
class SloAssertionsTest {
  private static final Map<String, String> FAST = Map.of(
      "users", "2", "duration", "2s", "maxTokens", "8", "emulator.mode", "fixed-rate",
      "emulator.tokensPerSecond", "100", "emulator.prefillMs", "50");

  private static Map<String, String> with(String... kv) {
    var m = new java.util.HashMap<>(FAST);
    for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
    return m;
  }

  @Test
  void aBreachedObjectiveFailsTheRunAndSaysWhich(@TempDir Path dir) throws Exception {
    var r = SimulationRunner.run("io.llmload.simulations.ConstantUsers",
        with("slo.ttft.p95", "10ms", "slo.tpot.p95", "10s"), dir, Duration.ofSeconds(120));
    assertNotEquals(0, r.exitCode(), "a breached objective fails the run");
    String out = r.output();
    assertTrue(out.contains("chat ttft: 95th percentile of response time is less than or equal to 10.0 : false"), out);
    assertTrue(out.contains("chat tpot: 95th percentile of response time is less than or equal to 10000.0 : true"), out);
    assertNotNull(r.gatlingCount("chat tpot"), "the TPOT row exists when a TPOT objective is set");
  }

  @Test
  void objectivesThatHoldPass(@TempDir Path dir) throws Exception {
    var r = SimulationRunner.run("io.llmload.simulations.ConstantUsers",
        with("slo.ttft.p95", "2s", "slo.tpot.p99", "1s", "slo.errorRate", "1%"), dir, Duration.ofSeconds(120));
    assertEquals(0, r.exitCode(), SimulationRunner.tail(r.output()));
  }
}
