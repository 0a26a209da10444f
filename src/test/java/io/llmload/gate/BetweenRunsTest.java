package io.llmload.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Judging against a history of baseline runs, on SYNTHETIC runs whose latency has a run-level
 * factor (as when a closed loop settles one way or another for a whole run) on top of the noise
 * between requests: the level of the test is checked against its nominal alpha, which shares no
 * code with it.
 */
class BetweenRunsTest {
  private static final GateOptions OPTS = GateOptions.defaults();

  /** One run of 400 requests whose TTFT and TPOT medians carry a run-level log-normal factor of sd {@code runSd}. */
  private static ObjectNode run(SplittableRandom r, double runSd, double ttftScale) {
    double f = Math.exp(runSd * gaussian(r));
    double g = Math.exp(runSd * gaussian(r));
    return SyntheticSummary.create().phase("c8", 8, 400, 300 * f * ttftScale, 20 * g, 0, r.nextLong()).build();
  }

  private static List<JsonNode> history(SplittableRandom r, int k, double runSd) {
    List<JsonNode> h = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      h.add(run(r, runSd, 1));
    }
    return h;
  }

  private static MetricResult find(GateResult g, ComparedMetric m) {
    return g.results().stream().filter(x -> x.metric() == m).findFirst().orElseThrow();
  }

  @Test
  void runLevelNoiseFoolsResamplingWithinARunButNotTheHistory() {
    SplittableRandom r = new SplittableRandom(11);
    int trials = 40;
    int withinAlarms = 0;
    int betweenAlarms = 0;
    for (int i = 0; i < trials; i++) {
      List<JsonNode> h = history(r, 10, 0.15);
      JsonNode cur = run(r, 0.15, 1);
      JsonNode last = h.get(h.size() - 1);
      withinAlarms += Gate.compare(last, cur, OPTS.resamples(200)).count(Verdict.REGRESSED) > 0 ? 1 : 0;
      betweenAlarms += Gate.compare(last, h, "store", cur, "current", OPTS).count(Verdict.REGRESSED) > 0 ? 1 : 0;
    }
    // identical configurations: a run-level 15 % spread is a "significant" change to a test that
    // treats 400 requests as independent; against the history's spread it is ordinary
    assertTrue(withinAlarms >= 10, "within-run alarms " + withinAlarms + " of " + trials);
    assertTrue(betweenAlarms <= 4, "between-run alarms " + betweenAlarms + " of " + trials);
  }

  @Test
  void pValuesHoldTheirNominalLevelBetweenRuns() {
    SplittableRandom r = new SplittableRandom(5);
    int trials = 400;
    int below = 0;
    for (int i = 0; i < trials; i++) {
      GateResult g = Gate.compare(run(r, 0.05, 1), history(r, 8, 0.05), "store", run(r, 0.05, 1), "cur", OPTS);
      below += find(g, ComparedMetric.TTFT_P50).pValue() < 0.05 ? 1 : 0;
    }
    // Binomial(400, 0.05): mean 20, sd 4.4
    assertTrue(below >= 8 && below <= 33, below + " of " + trials + " below 0.05");
  }

  @Test
  void aRealTenPercentChangeIsARegression() {
    SplittableRandom r = new SplittableRandom(3);
    int detected = 0;
    for (int i = 0; i < 40; i++) {
      List<JsonNode> h = history(r, 20, 0.015); // a full history (gate.history)
      GateResult g = Gate.compare(h.get(19), h, "store", run(r, 0.015, 1.10), "slow", OPTS);
      MetricResult ttft = find(g, ComparedMetric.TTFT_P50);
      assertTrue(ttft.test().startsWith("between-run t over 20 baseline runs"), ttft.test());
      assertEquals(20, ttft.nBaseline());
      detected += ttft.verdict() == Verdict.REGRESSED ? 1 : 0;
    }
    // run-level spread 1.5 % plus the median's own (about 1.9 % at 400 requests): a 10 % change
    // is about 4 standard errors, against a one-sided Holm threshold near 2.8 for 7 tests
    assertTrue(detected >= 30, detected + " of 40");
  }

  /** A run whose TTFT p50 is exactly {@code value} (the requests behind it keep their own noise for the other metrics). */
  private static ObjectNode runWithTtftP50(SplittableRandom r, double value) {
    ObjectNode s = run(r, 0.02, 1);
    ((ObjectNode) s.get("phases").get(0).get("ttft_ms")).put("p50", value);
    return s;
  }

  /**
   * Power at a run-level spread where it is neither near 0 nor near 1, against the theory of the
   * test worked out apart from its code: the new run's log deviation from the history's mean is
   * normal with sd sigma sqrt(1 + 1/k), independent of the history's sd s ((k - 1) s^2 / sigma^2 is
   * chi-square with k - 1 degrees of freedom); a regression needs it above both the one-sided
   * Bonferroni threshold t s sqrt(1 + 1/k) over the 7 tests (the gate's family of harms) and the
   * 5 % tolerance. Averaged over s by
   * quantiles of the chi-square. Holm can only lower the threshold, by a hair here.
   */
  @Test
  void powerMatchesTheTheoryOfTheTest() {
    double sigma = 0.03;
    double delta = Math.log(1.10);
    int k = 20;
    int metrics = 7;
    double c = Math.sqrt(1 + 1.0 / k);
    double tc = new org.apache.commons.math3.distribution.TDistribution(k - 1)
        .inverseCumulativeProbability(1 - OPTS.alpha() / metrics);
    var chi = new org.apache.commons.math3.distribution.ChiSquaredDistribution(k - 1);
    var z = new org.apache.commons.math3.distribution.NormalDistribution();
    int grid = 2000;
    double theory = 0;
    for (int i = 0; i < grid; i++) {
      double s = sigma * Math.sqrt(chi.inverseCumulativeProbability((i + 0.5) / grid) / (k - 1));
      double need = Math.max(tc * s * c, Math.log(1 + ComparedMetric.TTFT_P50.defaultTolerance()));
      theory += (1 - z.cumulativeProbability((need - delta) / (sigma * c))) / grid;
    }
    SplittableRandom r = new SplittableRandom(21);
    int trials = 300;
    int detected = 0;
    for (int i = 0; i < trials; i++) {
      List<JsonNode> h = new ArrayList<>();
      for (int j = 0; j < k; j++) {
        h.add(runWithTtftP50(r, 100 * Math.exp(sigma * gaussian(r))));
      }
      JsonNode cur = runWithTtftP50(r, 100 * Math.exp(delta + sigma * gaussian(r)));
      detected += find(Gate.compare(h.get(k - 1), h, "store", cur, "slow", OPTS), ComparedMetric.TTFT_P50).verdict()
          == Verdict.REGRESSED ? 1 : 0;
    }
    double sd = Math.sqrt(theory * (1 - theory) / trials);
    double rate = (double) detected / trials;
    assertTrue(theory > 0.3 && theory < 0.9, "theory " + theory);
    assertTrue(rate > theory - 3 * sd && rate < theory + 3 * sd + 0.02,
        "detected " + detected + " of " + trials + ", theory " + theory);
  }

  @Test
  void tooShortAHistoryFallsBackWithAWarning() {
    SplittableRandom r = new SplittableRandom(9);
    List<JsonNode> h = history(r, 3, 0.02);
    GateResult g = Gate.compare(h.get(2), h, "store", run(r, 0.02, 1), "cur", OPTS);
    assertTrue(find(g, ComparedMetric.TTFT_P50).test().startsWith("mann-whitney"), find(g, ComparedMetric.TTFT_P50).test());
    assertTrue(g.warnings().stream().anyMatch(w -> w.contains("3 comparable history runs, 5 needed")),
        g.warnings().toString());
  }

  @Test
  void historyRunsOfAnotherSetupAreLeftOut() {
    SplittableRandom r = new SplittableRandom(4);
    List<JsonNode> h = history(r, 6, 0.02);
    for (int i = 0; i < 2; i++) {
      ((ObjectNode) h.get(i).get("run").get("emulator")).put("profile", "dev-batch8");
    }
    GateResult g = Gate.compare(h.get(5), h, "store", run(r, 0.02, 1), "cur", OPTS);
    assertTrue(g.warnings().stream().anyMatch(w -> w.startsWith("2 of the baseline's 6 history runs left out")),
        g.warnings().toString());
    // 4 left, under the 5 needed
    assertTrue(find(g, ComparedMetric.TTFT_P50).test().startsWith("mann-whitney"));
  }

  @Test
  void errorRatePoolsTheHistorysRequests() {
    SplittableRandom r = new SplittableRandom(8);
    List<JsonNode> h = history(r, 10, 0.02);
    GateResult g = Gate.compare(h.get(9), h, "store", run(r, 0.02, 1), "cur", OPTS);
    MetricResult e = find(g, ComparedMetric.ERROR_RATE);
    assertEquals(4000, e.nBaseline());
    assertEquals("fisher-exact, baseline pooled over 10 runs", e.test());
  }

  private static double gaussian(SplittableRandom r) {
    double u = 1 - r.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.nextDouble());
  }
}
