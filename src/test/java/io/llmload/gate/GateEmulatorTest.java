package io.llmload.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The gate on real runs against the embedded emulator (a SYNTHETIC server over real loopback
 * HTTP, jitter on, a new seed per run), aggregated by the suite's aggregator: one pair with a
 * 25 % slower decode step, one pair of identical configurations. Runs are kept short (4 s
 * measured) for a unit test, hence the larger step change and 20 samples as the minimum; the
 * acceptance figures (10 % slower step, 20 pairs, default options) come from {@link GateBenchMain}.
 */
class GateEmulatorTest {
  private static final Map<String, String> BASE = Map.of("profile", "seeds-7b", "jitter", "0.05");

  @Test
  void slowerDecodeIsATpotRegressionAndIdenticalRunsRaiseNone() throws Exception {
    EmulatorRuns runs = new EmulatorRuns(16, Duration.ofMillis(1000), Duration.ofMillis(4000), 24);
    new EmulatorRuns(16, Duration.ofMillis(200), Duration.ofMillis(800), 8).run(BASE, 1); // JIT warm-up
    GateOptions opts = GateOptions.defaults().minSamples(20);

    JsonNode base = runs.run(BASE, 101);
    JsonNode slow = runs.run(GateBenchMain.scaled(BASE, 1.25, false), 102);
    GateResult power = Gate.compare(base, "seed 101", slow, "seed 102 slow", opts);
    MetricResult tpot = power.results().stream().filter(m -> m.metric() == ComparedMetric.TPOT_P50).findFirst().orElseThrow();
    assertTrue(tpot.nBaseline() >= 20 && tpot.nCurrent() >= 20, "too few requests: " + tpot.reason());
    assertEquals(Verdict.REGRESSED, tpot.verdict(), () -> GateReport.markdown(power));
    assertEquals(ExitCodes.REGRESSED, power.exitCode());

    JsonNode again = runs.run(BASE, 103);
    GateResult same = Gate.compare(base, "seed 101", again, "seed 103", opts);
    assertEquals(0, same.count(Verdict.REGRESSED), () -> GateReport.markdown(same));
  }
}
