package io.llmload.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Same seed without jitter repeats itself; jitter with different seeds does not. The emulated
 * timeline is read exactly from llama.cpp's {@code timings} (the scheduler's own instants); the
 * wall-clock write instants of ground truth are compared within a scheduling tolerance.
 */
class DeterminismTest {
  private static final ObjectMapper M = new ObjectMapper();
  private static final long MS = 1_000_000L;

  record Run(List<String> texts, List<Double> promptMs, List<Double> predictedMs, List<Long> prefill, List<Long> wallTtft) {}

  private static Run run(long seed, double jitter) throws Exception {
    EmulatorConfig cfg = EmulatorConfig.defaults().seed(seed).jitter(jitter)
        .with(Param.STEP_BASE_MS, 4).with(Param.STEP_PER_SEQ_MS, 0).with(Param.PREFILL_BASE_MS, 20).with(Param.PREFILL_PER_TOKEN_MS, 0);
    Run r = new Run(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    try (Emulator e = Emulator.start(cfg)) {
      // a first request warms up class loading and the JIT, which could delay a step beyond the
      // scheduler's catch-up window and stretch the emulated timeline
      RawHttp.post(e.port(), "/completion", "{\"prompt\":\"warm\",\"n_predict\":12}");
      for (int i = 0; i < 3; i++) {
        String id = "det-" + i;
        RawHttp.Response resp = RawHttp.post(e.port(), "/completion", "{\"prompt\":\"prompt number " + i + "\",\"n_predict\":12}",
            "x-request-id", id);
        JsonNode o = M.readTree(resp.body());
        r.texts().add(o.get("content").asText());
        r.promptMs().add(o.get("timings").get("prompt_ms").asDouble());
        r.predictedMs().add(o.get("timings").get("predicted_ms").asDouble());
        GroundTruth g = GroundTruthTest.awaitEnded(e, id);
        r.prefill().add(g.prefillNanos());
        r.wallTtft().add(g.firstTokenWrittenNanos() - g.receivedNanos());
      }
    }
    return r;
  }

  @Test
  void sameSeedNoJitterGivesSameTextAndTimings() throws Exception {
    Run a = run(7, 0);
    Run b = run(7, 0);
    assertEquals(a.texts(), b.texts());
    assertEquals(a.prefill(), b.prefill());
    for (int i = 0; i < 3; i++) {
      // emulated: 20 ms prefill + one 4 ms step to the first token, 11 steps of 4 ms after it
      assertEquals(24.0, a.promptMs().get(i), 0.01);
      assertEquals(44.0, a.predictedMs().get(i), 0.01);
      assertEquals(a.predictedMs().get(i), b.predictedMs().get(i), 0.01);
      // on the wire the whole response is written at the end; both runs within scheduling noise
      // (generous: the test machine is shared with other builds)
      assertEquals(a.wallTtft().get(i), b.wallTtft().get(i), 25 * MS, "wall " + i);
    }
    assertNotEquals(a.texts(), run(8, 0).texts(), "a different seed gives different text");
  }

  @Test
  void jitterWithDifferentSeedsGivesDifferentTimings() throws Exception {
    Run a = run(1, 0.2);
    Run b = run(2, 0.2);
    assertNotEquals(a.texts(), b.texts());
    int differing = 0;
    for (int i = 0; i < 3; i++) {
      if (Math.abs(a.predictedMs().get(i) - b.predictedMs().get(i)) > 0.01) {
        differing++;
      }
      // multiplicative noise around the model: exp(0.2 N(0,1)) per step, so 11 steps stay near 44 ms
      assertTrue(a.predictedMs().get(i) > 25 && a.predictedMs().get(i) < 75, "predicted " + a.predictedMs());
      assertTrue(a.prefill().get(i) > 8 * MS && a.prefill().get(i) < 50 * MS, "prefill " + a.prefill());
    }
    assertEquals(3, differing, a.predictedMs() + " vs " + b.predictedMs());
    assertNotEquals(a.prefill(), b.prefill());
    // the same seed with jitter repeats its noise exactly
    Run again = run(1, 0.2);
    assertEquals(a.prefill(), again.prefill());
    assertEquals(a.predictedMs(), again.predictedMs());
  }
}
