package io.llmload.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The benchmark's own figures: the change it says it injected, and which runs join its history. */
class GateBenchMainTest {
  @Test
  void realisedChangeIsTheRatioOfGeometricMeansWithAnIntervalThatHoldsIt() {
    SplittableRandom r = new SplittableRandom(17);
    List<Double> base = new ArrayList<>();
    List<Double> slow = new ArrayList<>();
    int covered = 0;
    for (int trial = 0; trial < 200; trial++) {
      base.clear();
      slow.clear();
      for (int i = 0; i < 30; i++) {
        base.add(100 * Math.exp(0.03 * r.nextGaussian()));
        slow.add(110 * Math.exp(0.03 * r.nextGaussian()));
      }
      double[] c = GateBenchMain.change(slow, base);
      covered += c[1] < 0.10 && 0.10 < c[2] ? 1 : 0;
    }
    // a 95 % interval holds the true +10 % in about 190 of 200 trials (Binomial sd 3.1)
    assertTrue(covered >= 180, covered + " of 200");
    // without noise the figure is exact: 99, 121 against 90, 110 is a ratio of geometric means of 1.1
    assertEquals(0.10, GateBenchMain.change(List.of(99.0, 121.0), List.of(90.0, 110.0))[0], 1e-12);
  }

  @Test
  void derivedConfirmationRatesAreTheSingleRunRatesSquared() {
    // 56 of 60 detected once: 0.9333^2 = 0.8711; the Wilson bounds 84.1 % and 97.4 % squared
    // (0.8411^2 = 0.7075, 0.9738^2 = 0.9483), hand-computed
    assertEquals("(56/60)^2 = 87.1 % (from the Wilson 95 % interval: 70.7 % to 94.8 %)", ConfirmTally.squared(56, 60));
    assertEquals("(0/60)^2 = 0.0 % (from the Wilson 95 % interval: 0.0 % to 0.4 %)", ConfirmTally.squared(0, 60));
  }

  @Test
  void onlyARunWithoutARegressionJoinsTheHistory() {
    SplittableRandom r = new SplittableRandom(2);
    List<JsonNode> h = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      h.add(SyntheticSummary.create().phase("c8", 8, 400, 300 * Math.exp(0.02 * r.nextGaussian()), 20, 0, i).build());
    }
    JsonNode same = SyntheticSummary.create().phase("c8", 8, 400, 300, 20, 0, 99).build();
    JsonNode slow = SyntheticSummary.create().phase("c8", 8, 400, 450, 20, 0, 98).build();
    GateResult passed = Gate.compare(h.get(9), h, "history", same, "same", GateOptions.defaults());
    GateResult regressed = Gate.compare(h.get(9), h, "history", slow, "slow", GateOptions.defaults());
    assertEquals(0, passed.count(Verdict.REGRESSED));
    assertTrue(regressed.count(Verdict.REGRESSED) > 0);
    assertTrue(GateBenchMain.joinsHistory(passed, true));
    assertFalse(GateBenchMain.joinsHistory(regressed, true));
    assertTrue(GateBenchMain.joinsHistory(regressed, false));
  }

  @Test
  void factorsScaleOnlyTheChosenTimes() {
    Map<String, String> base = Map.of("profile", "seeds-7b", "jitter", "0.05");
    Map<String, String> prefill = GateBenchMain.scaled(base, 1.20, true);
    Map<String, String> decode = GateBenchMain.scaled(base, 1.195, false);
    // the seeds-7b profile's own figures (Profiles): prefill 30 ms + 0.25 ms/token, step 14.43 + 3.752 ms/seq
    assertEquals(36.0, Double.parseDouble(prefill.get("prefillBaseMs")), 1e-9);
    assertEquals(0.30, Double.parseDouble(prefill.get("prefillPerTokenMs")), 1e-9);
    assertFalse(prefill.containsKey("stepBaseMs"));
    assertEquals(3.752 * 1.195, Double.parseDouble(decode.get("stepPerSeqMs")), 0.01);
    assertFalse(decode.containsKey("prefillBaseMs"));
  }
}
