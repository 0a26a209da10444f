package io.llmload.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Same seed without jitter repeats itself; jitter with different seeds does not. */
class DeterminismTest {
  private static final long MS = 1_000_000L;

  record Run(List<String> bodies, List<Long> ttft, List<Long> decode, List<Long> prefill) {}

  private static Run run(long seed, double jitter) throws Exception {
    EmulatorConfig cfg = EmulatorConfig.defaults().seed(seed).jitter(jitter)
        .with(Param.STEP_BASE_MS, 4).with(Param.STEP_PER_SEQ_MS, 0).with(Param.PREFILL_BASE_MS, 20).with(Param.PREFILL_PER_TOKEN_MS, 0);
    List<String> bodies = new ArrayList<>();
    List<Long> ttft = new ArrayList<>();
    List<Long> decode = new ArrayList<>();
    List<Long> prefill = new ArrayList<>();
    try (Emulator e = Emulator.start(cfg)) {
      // a first request warms up class loading and the JIT, which would otherwise delay writes
      RawHttp.post(e.port(), "/generate_stream", "{\"inputs\":\"warm\",\"parameters\":{\"max_new_tokens\":12}}");
      for (int i = 0; i < 3; i++) {
        String id = "det-" + i;
        RawHttp.post(e.port(), "/generate_stream", "{\"inputs\":\"prompt number " + i + "\",\"parameters\":{\"max_new_tokens\":12}}",
            "x-request-id", id);
        RawHttp.Response r = RawHttp.post(e.port(), "/v1/completions",
            "{\"prompt\":\"prompt number " + i + "\",\"max_tokens\":12}", "x-request-id", id + "b");
        bodies.add(M.readTree(r.body()).get("choices").get(0).get("text").asText());
        GroundTruth g = GroundTruthTest.awaitEnded(e, id);
        ttft.add(g.firstTokenWrittenNanos() - g.receivedNanos());
        decode.add(g.lastTokenWrittenNanos() - g.firstTokenWrittenNanos());
        prefill.add(g.prefillNanos());
      }
    }
    return new Run(bodies, ttft, decode, prefill);
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper M = new com.fasterxml.jackson.databind.ObjectMapper();

  @Test
  void sameSeedNoJitterGivesSameTextAndTimings() throws Exception {
    Run a = run(7, 0);
    Run b = run(7, 0);
    assertEquals(a.bodies(), b.bodies());
    assertEquals(a.prefill(), b.prefill());
    for (int i = 0; i < 3; i++) {
      // emulated: 20 ms prefill + 4 ms step to the first token, 11 steps of 4 ms after it;
      // what differs between runs is only thread wake-up latency
      // tolerances allow for a CPU shared with the build of several other projects
      assertEquals(a.ttft().get(i), b.ttft().get(i), 8 * MS, "ttft " + i);
      assertEquals(a.decode().get(i), b.decode().get(i), 8 * MS, "decode " + i);
      assertEquals(24 * MS, a.ttft().get(i), 8 * MS);
      assertEquals(44 * MS, a.decode().get(i), 8 * MS);
    }
    // a different seed gives different text
    assertNotEquals(a.bodies(), run(8, 0).bodies());
  }

  @Test
  void jitterWithDifferentSeedsGivesDifferentTimings() throws Exception {
    Run a = run(1, 0.2);
    Run b = run(2, 0.2);
    assertNotEquals(a.bodies(), b.bodies());
    int differing = 0;
    for (int i = 0; i < 3; i++) {
      if (Math.abs(a.prefill().get(i) - b.prefill().get(i)) > MS / 2) {
        differing++;
      }
      // the noise is multiplicative around the model: exp(0.2 N(0,1)) stays within 0.4..2.5
      assertTrue(a.prefill().get(i) > 8 * MS && a.prefill().get(i) < 50 * MS, "prefill " + a.prefill());
    }
    assertTrue(differing >= 2, "prefills " + a.prefill() + " vs " + b.prefill());
    long decodeA = a.decode().stream().mapToLong(Long::longValue).sum();
    long decodeB = b.decode().stream().mapToLong(Long::longValue).sum();
    assertTrue(Math.abs(decodeA - decodeB) > MS, "decode sums " + decodeA + " vs " + decodeB);
    // and the same seed with jitter repeats its noise
    assertEquals(a.prefill(), run(1, 0.2).prefill());
  }
}
