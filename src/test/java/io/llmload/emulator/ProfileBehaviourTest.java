package io.llmload.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The profiles deliver the per-user speeds they are documented with, measured on the wire. */
class ProfileBehaviourTest {
  private static final String CHAT = "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":%d,\"stream\":true}";

  /** Decode tokens/s of each request from ground truth: (tokens − 1) / (last − first write). */
  private static List<Double> decodeRates(Emulator e, int users, int tokens, String... headers) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(users);
    List<String> ids = new ArrayList<>();
    try {
      List<Future<RawHttp.Response>> fs = new ArrayList<>();
      for (int u = 0; u < users; u++) {
        String id = "rate-" + u + "-" + System.nanoTime();
        ids.add(id);
        String[] h = new String[headers.length + 2];
        h[0] = "x-request-id";
        h[1] = id;
        System.arraycopy(headers, 0, h, 2, headers.length);
        fs.add(pool.submit(() -> RawHttp.post(e.port(), "/v1/chat/completions", String.format(CHAT, tokens), h)));
      }
      for (Future<RawHttp.Response> f : fs) {
        assertTrue(f.get().complete());
      }
    } finally {
      pool.shutdownNow();
    }
    List<Double> rates = new ArrayList<>();
    for (String id : ids) {
      GroundTruth g = GroundTruthTest.awaitEnded(e, id);
      assertEquals(tokens, g.outputTokens());
      rates.add((tokens - 1) / ((g.lastTokenWrittenNanos() - g.firstTokenWrittenNanos()) / 1e9));
    }
    return rates;
  }

  private static double mean(List<Double> xs) {
    return xs.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
  }

  @Test
  void seeds7bRuns55TokensPerSecondAloneAnd35PercentOfThatAtTenUsers() throws Exception {
    try (Emulator e = Emulator.start(EmulatorConfig.defaults())) {
      double one = mean(decodeRates(e, 1, 30));
      assertEquals(55.0, one, 55.0 * 0.1, "one user");
      // prefill off: the ten users' prefills would stall each other's decode and blur the step model
      double ten = mean(decodeRates(e, 10, 20, "x-emulator-prefill-ms", "0"));
      assertEquals(55.0 * 0.35, ten, 55.0 * 0.35 * 0.1, "per user at ten users");
    }
  }

  /**
   * A request that arrives 30 ms into another's 200 ms prefill: with joinDuringPrefill it is
   * launched in the same step and both get their first token together; without, it waits for that
   * step to end and pays its own prefill after it.
   */
  @Test
  void joinDuringPrefillAdmitsALateArrivalIntoTheRunningLaunch() throws Exception {
    for (boolean join : new boolean[] {true, false}) {
      EmulatorConfig cfg = EmulatorConfig.defaults().with(Param.PREFILL_MS, 200).with(Param.MAX_ADMIT_PER_STEP, 8)
          .with(Param.JOIN_DURING_PREFILL, String.valueOf(join));
      try (Emulator e = Emulator.start(cfg)) {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
          Future<RawHttp.Response> a = pool.submit(() -> RawHttp.post(e.port(), "/v1/chat/completions", String.format(CHAT, 2), "x-request-id", "a"));
          Thread.sleep(30);
          Future<RawHttp.Response> b = pool.submit(() -> RawHttp.post(e.port(), "/v1/chat/completions", String.format(CHAT, 2), "x-request-id", "b"));
          assertTrue(a.get().complete() && b.get().complete());
        } finally {
          pool.shutdownNow();
        }
        GroundTruth ga = GroundTruthTest.awaitEnded(e, "a");
        GroundTruth gb = GroundTruthTest.awaitEnded(e, "b");
        double apartMs = (gb.firstTokenWrittenNanos() - ga.firstTokenWrittenNanos()) / 1e6;
        if (join) {
          assertEquals(0.0, apartMs, 1.0, "joined: first tokens together");
        } else {
          assertTrue(apartMs > 150, "not joined: b's own prefill after a's step, got " + apartMs + " ms apart");
        }
      }
    }
  }

  @Test
  void fixedRateGivesEveryStreamItsRateWhateverTheLoad() throws Exception {
    try (Emulator e = Emulator.start(EmulatorConfig.defaults().profile("fixed-rate").with(Param.TOKENS_PER_SECOND, 50))) {
      int streams = 100;
      ExecutorService pool = Executors.newFixedThreadPool(streams);
      List<String> ids = new ArrayList<>();
      List<Future<RawHttp.Response>> fs = new ArrayList<>();
      try {
        for (int i = 0; i < streams; i++) {
          String id = "fixed-" + i;
          ids.add(id);
          fs.add(pool.submit(() -> RawHttp.post(e.port(), "/api/generate", "{\"prompt\":\"x\",\"options\":{\"num_predict\":20}}",
              "x-request-id", id)));
        }
        for (Future<RawHttp.Response> f : fs) {
          RawHttp.Response r = f.get();
          List<String> lines = r.lines();
          assertEquals(21, lines.size());
          // the emulated timeline is exact: 19 intervals of 20 ms between first and last token
          long evalNs = new com.fasterxml.jackson.databind.ObjectMapper().readTree(lines.get(20)).get("eval_duration").asLong();
          assertEquals(380_000_000L, evalNs, 10_000L);
        }
      } finally {
        pool.shutdownNow();
      }
      // on the wire, whatever else the (shared) CPU does, the typical stream keeps its rate
      List<Double> rates = new ArrayList<>();
      for (String id : ids) {
        GroundTruth g = GroundTruthTest.awaitEnded(e, id);
        rates.add(19 / ((g.lastTokenWrittenNanos() - g.firstTokenWrittenNanos()) / 1e9));
      }
      rates.sort(null);
      assertEquals(50.0, rates.get(streams / 2), 5.0, rates.toString());
    }
  }
}
