package io.llmload.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.llmload.config.Params;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** A non-streaming run refuses, before load and in one line, objectives on figures it cannot have. */
class NonStreamingRunTest {

  private static Params params(String... kv) {
    Properties p = new Properties();
    for (int i = 0; i < kv.length; i += 2) p.setProperty(kv[i], kv[i + 1]);
    return new Params(p, m -> {});
  }

  @Test
  void ttftAndTpotObjectivesAreRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> NonStreamingRun.refuseStreamingObjectives(params("slo.ttft.p95", "2s")));
    assertEquals("slo.ttft.p95: a non-streaming run (stream=false) has no TTFT; allowed objectives: slo.e2e.pNN, slo.errorRate",
        e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> NonStreamingRun.refuseStreamingObjectives(params("slo.tpot", "50ms")));
  }

  @Test
  void e2eAndErrorObjectivesStay() {
    NonStreamingRun.refuseStreamingObjectives(params("slo.e2e.p99", "30s", "slo.errorRate", "1%"));
  }
}
