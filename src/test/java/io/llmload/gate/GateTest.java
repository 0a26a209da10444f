package io.llmload.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Gate decisions on SYNTHETIC summaries (see {@link SyntheticSummary}). */
class GateTest {
  private static final GateOptions OPTS = GateOptions.defaults();

  private static ObjectNode run(int n, double ttft, double tpot, long seed) {
    return SyntheticSummary.create().phase("c8", 8, n, ttft, tpot, 0, seed).build();
  }

  private static MetricResult find(GateResult r, String phase, ComparedMetric m) {
    return r.results().stream().filter(x -> x.phase().equals(phase) && x.metric() == m).findFirst()
        .orElseThrow(() -> new AssertionError("no result for " + phase + " " + m));
  }

  @Test
  void identicalSummariesAreUnchanged() {
    ObjectNode s = run(400, 300, 20, 1);
    GateResult r = Gate.compare(s, s.deepCopy(), OPTS);
    assertEquals(Verdict.UNCHANGED, r.verdict(), () -> GateReport.markdown(r));
    assertEquals(0, r.exitCode());
    // 7 metrics: no GPU in either run, so no energy per token
    assertEquals(7, r.results().size());
    for (MetricResult m : r.results()) {
      assertEquals(0.0, m.change(), 1e-12, m.metric().key());
      assertTrue(m.pAdjusted() >= m.pValue(), m.metric().key());
    }
  }

  @Test
  void sameDistributionOtherSeedRaisesNoRegression() {
    GateResult r = Gate.compare(run(600, 300, 20, 1), run(600, 300, 20, 2), OPTS);
    assertEquals(0, r.count(Verdict.REGRESSED), () -> GateReport.markdown(r));
  }

  @Test
  void tenPercentSlowerDecodeIsATpotRegression() {
    GateResult r = Gate.compare(run(400, 300, 20, 1), run(400, 300, 22, 2), OPTS);
    MetricResult tpot = find(r, "c8", ComparedMetric.TPOT_P50);
    assertEquals(Verdict.REGRESSED, tpot.verdict(), tpot.reason());
    assertEquals(0.10, tpot.change(), 0.02);
    assertTrue(tpot.ciLow() > 0.05 && tpot.ciHigh() < 0.15, tpot.ciLow() + " .. " + tpot.ciHigh());
    assertTrue(tpot.pAdjusted() < 1e-6);
    assertEquals("mann-whitney-u + bootstrap CI", tpot.test());
    // the same slowdown lowers throughput by about 9 %, beyond its 5 % tolerance
    MetricResult tput = find(r, "c8", ComparedMetric.THROUGHPUT);
    assertEquals(Verdict.REGRESSED, tput.verdict(), tput.reason());
    assertTrue(tput.change() < -0.05);
    assertEquals(Verdict.REGRESSED, r.verdict());
    assertEquals(ExitCodes.REGRESSED, r.exitCode());
    // TTFT did not move
    assertFalse(find(r, "c8", ComparedMetric.TTFT_P50).verdict() == Verdict.REGRESSED);
  }

  @Test
  void fasterRunIsAnImprovementWithItsInterval() {
    GateResult r = Gate.compare(run(400, 300, 22, 1), run(400, 300, 20, 2), OPTS);
    MetricResult tput = find(r, "c8", ComparedMetric.THROUGHPUT);
    assertEquals(Verdict.IMPROVED, tput.verdict(), tput.reason());
    assertTrue(tput.ciLow() > 0 && tput.ciLow() < tput.change() && tput.change() < tput.ciHigh());
    assertEquals(0, r.exitCode());
  }

  @Test
  void tooFewSamplesIsInconclusiveNeverAPass() {
    GateResult r = Gate.compare(run(12, 300, 20, 1), run(12, 300, 30, 2), OPTS);
    MetricResult tpot = find(r, "c8", ComparedMetric.TPOT_P50);
    assertEquals(Verdict.INCONCLUSIVE, tpot.verdict());
    assertTrue(tpot.reason().contains("too few samples"), tpot.reason());
    assertEquals(Verdict.INCONCLUSIVE, r.verdict());
    assertEquals(ExitCodes.INCONCLUSIVE, r.exitCode());
    GateResult allowed = Gate.compare(run(12, 300, 20, 1), run(12, 300, 30, 2), OPTS.allowInconclusive(true));
    assertEquals(ExitCodes.OK, allowed.exitCode());
  }

  @Test
  void p95NeedsEnoughTailValues() {
    // 60 samples pass minSamples (30) but hold 3 values above a p95: too few for the tail
    GateResult r = Gate.compare(run(60, 300, 20, 1), run(60, 300, 20, 2), OPTS);
    assertEquals(Verdict.INCONCLUSIVE, find(r, "c8", ComparedMetric.TTFT_P95).verdict());
    assertTrue(find(r, "c8", ComparedMetric.TTFT_P95).reason().contains("at least 100"));
  }

  @Test
  void incompatibleBaselineIsRefusedUnlessForced() {
    ObjectNode base = SyntheticSummary.create().profile("dev-batch8").phase("c8", 8, 200, 300, 20, 0, 1).build();
    ObjectNode cur = SyntheticSummary.create().profile("prod-batch64").phase("c8", 8, 200, 300, 20, 0, 2).build();
    GateInputException e = assertThrows(GateInputException.class, () -> Gate.compare(base, cur, OPTS));
    assertTrue(e.getMessage().contains("emulator profile 'dev-batch8' vs 'prod-batch64'"), e.getMessage());
    assertTrue(e.getMessage().contains("-Dgate.force=true"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
    GateResult forced = Gate.compare(base, cur, OPTS.force(true));
    assertTrue(forced.warnings().get(0).contains("forced"));

    ObjectNode other = SyntheticSummary.create().simulation("io.llmload.simulations.Other")
        .phase("c8", 8, 200, 300, 20, 0, 2).build();
    GateInputException e2 = assertThrows(GateInputException.class, () -> Gate.compare(base, other, OPTS));
    assertTrue(e2.getMessage().contains("simulation"), e2.getMessage());
  }

  @Test
  void missingPhaseIsAnError() {
    ObjectNode base = SyntheticSummary.create().phase("c1", 1, 100, 100, 20, 0, 1)
        .phase("c8", 8, 100, 300, 20, 0, 2).build();
    ObjectNode cur = SyntheticSummary.create().phase("c1", 1, 100, 100, 20, 0, 3).build();
    GateInputException e = assertThrows(GateInputException.class, () -> Gate.compare(base, cur, OPTS));
    assertEquals("phase 'c8' of the baseline is missing from the current run (its phases: c1)", e.getMessage());
  }

  @Test
  void corruptSummaryFieldsAreErrorsNotZeros() {
    ObjectNode good = run(100, 300, 20, 1);
    ObjectNode badSample = good.deepCopy();
    ((com.fasterxml.jackson.databind.node.ArrayNode) badSample.get("phases").get(0).get("samples").get("tpot_ms"))
        .set(3, SyntheticSummary.MAPPER.getNodeFactory().textNode("fast"));
    GateInputException e = assertThrows(GateInputException.class, () -> Gate.compare(good, badSample, OPTS));
    assertEquals("current current: phases[0].samples.tpot_ms[3] is not a non-negative number", e.getMessage());

    ObjectNode noSchema = good.deepCopy();
    noSchema.remove("schema");
    assertThrows(GateInputException.class, () -> Gate.compare(noSchema, good, OPTS));
    ObjectNode noPhases = good.deepCopy();
    noPhases.putArray("phases");
    assertThrows(GateInputException.class, () -> Gate.compare(good, noPhases, OPTS));
    ObjectNode incomplete = good.deepCopy();
    incomplete.put("complete", false);
    GateInputException e3 = assertThrows(GateInputException.class, () -> Gate.compare(good, incomplete, OPTS));
    assertTrue(e3.getMessage().contains("incomplete"));
  }

  @Test
  void holmAdjustsEveryTestOfTheComparison() {
    // hand-computed: raw 0.01, 0.04, 0.03, 0.005 -> sorted 0.005*4, 0.01*3, 0.03*2, 0.04*1
    double[] adj = Stats.holm(new double[] {0.01, 0.04, 0.03, Double.NaN, 0.005});
    assertEquals(0.03, adj[0], 1e-12);
    assertEquals(0.06, adj[1], 1e-12); // monotone: max(0.04, 0.06)
    assertEquals(0.06, adj[2], 1e-12);
    assertTrue(Double.isNaN(adj[3]));
    assertEquals(0.02, adj[4], 1e-12);

    // in a comparison of 2 phases x 7 metrics, the smallest one-sided p-value (half the
    // two-sided one, in the direction of the change) is multiplied by 14
    ObjectNode base = SyntheticSummary.create().phase("a", 8, 300, 300, 20, 0, 1)
        .phase("b", 8, 300, 300, 20, 0, 2).build();
    ObjectNode cur = SyntheticSummary.create().phase("a", 8, 300, 300, 20, 0, 3)
        .phase("b", 8, 300, 300, 21, 0, 4).build();
    GateResult r = Gate.compare(base, cur, OPTS);
    List<MetricResult> tested = r.results().stream().filter(m -> m.pValue() != null).toList();
    assertEquals(14, tested.size());
    MetricResult smallest = tested.stream().min((x, y) -> Double.compare(x.pValue(), y.pValue())).orElseThrow();
    assertEquals(Math.min(1, 14 * smallest.pValue() / 2), smallest.pAdjusted(), 1e-12);
  }

  @Test
  void errorRateUsesFisherExactAndAnAbsoluteTolerance() {
    // R: fisher.test(matrix(c(1, 9, 11, 3), 2))$p.value = 0.002759
    assertEquals(0.002759, Stats.fisherP(1, 10, 11, 14), 1e-6);
    assertEquals(1.0, Stats.fisherP(0, 100, 0, 100), 0);
    ObjectNode base = SyntheticSummary.create().phase("c8", 8, 500, 300, 20, 0, 1).build();
    ObjectNode cur = SyntheticSummary.create().phase("c8", 8, 450, 300, 20, 50, 1).build();
    MetricResult e = find(Gate.compare(base, cur, OPTS), "c8", ComparedMetric.ERROR_RATE);
    assertEquals(Verdict.REGRESSED, e.verdict(), e.reason());
    assertEquals(0.10, e.change(), 1e-12);
    assertEquals("fisher-exact", e.test());
    assertTrue(e.ciLow() > 0.05 && e.ciHigh() < 0.15);
  }

  @Test
  void toleranceHidesASignificantButSmallChange() {
    // +10 % TPOT with a 15 % tolerance: significant, yet within the tolerance and its interval too
    GateOptions loose = OPTS.tolerance(ComparedMetric.TPOT_P50, 0.25).tolerance(ComparedMetric.TPOT_P95, 0.25)
        .tolerance(ComparedMetric.THROUGHPUT, 0.25).tolerance(ComparedMetric.E2E_P95, 0.25);
    GateResult r = Gate.compare(run(800, 300, 20, 1), run(800, 300, 22, 2), loose);
    MetricResult tpot = find(r, "c8", ComparedMetric.TPOT_P50);
    assertEquals(Verdict.UNCHANGED, tpot.verdict(), tpot.reason());
    assertTrue(tpot.pAdjusted() < 0.05);
    assertTrue(tpot.reason().startsWith("significant but within the tolerance"));
  }

  @Test
  void energyPerTokenIsComparedWhereBothRunsHaveIt() {
    ObjectNode base = run(400, 300, 20, 1);
    ObjectNode cur = run(400, 300, 20, 2);
    ((ObjectNode) base.get("phases").get(0)).putObject("gpu").put("j_per_token", 1.0);
    ((ObjectNode) cur.get("phases").get(0)).putObject("gpu").put("j_per_token", 1.3);
    MetricResult e = find(Gate.compare(base, cur, OPTS), "c8", ComparedMetric.J_PER_TOKEN);
    assertEquals(Verdict.REGRESSED, e.verdict(), e.reason());
    assertEquals(0.3, e.change(), 1e-9);
    ((ObjectNode) cur.get("phases").get(0)).putNull("gpu");
    MetricResult one = find(Gate.compare(base, cur, OPTS), "c8", ComparedMetric.J_PER_TOKEN);
    assertEquals(Verdict.INCONCLUSIVE, one.verdict());
    assertNotNull(one.baseline());
  }

  @Test
  void throughputIntervalKeepsTokensAndLatencyOfOneRequestTogether() {
    // SYNTHETIC: output lengths from 16 to 256 and E2E nearly proportional, so every request
    // runs at about the same speed and throughput has little sampling spread; resampled apart, the
    // lengths and latencies would look like a large spread
    ObjectNode base = run(200, 300, 20, 1);
    ObjectNode cur = run(200, 300, 20, 2);
    java.util.SplittableRandom r = new java.util.SplittableRandom(3);
    for (ObjectNode s : new ObjectNode[] {base, cur}) {
      ObjectNode samples = (ObjectNode) s.get("phases").get(0).get("samples");
      com.fasterxml.jackson.databind.node.ArrayNode tok = samples.putArray("output_tokens");
      com.fasterxml.jackson.databind.node.ArrayNode e2e = samples.putArray("e2e_ms");
      for (int i = 0; i < 200; i++) {
        int t = 16 + r.nextInt(241);
        tok.add(t);
        e2e.add(t * 20.0 * (1 + 0.01 * r.nextDouble()));
      }
    }
    MetricResult paired = find(Gate.compare(base, cur, OPTS), "c8", ComparedMetric.THROUGHPUT);
    // what is left is the window-edge term (8 users, 200 requests: about 0.7 % per run)
    assertTrue(paired.ciHigh() - paired.ciLow() < 0.05, paired.reason());
    // one value fewer: the lists are no longer rows of one reservoir, so they are resampled apart
    ((com.fasterxml.jackson.databind.node.ArrayNode) cur.get("phases").get(0).get("samples").get("e2e_ms")).remove(0);
    MetricResult apart = find(Gate.compare(base, cur, OPTS), "c8", ComparedMetric.THROUGHPUT);
    assertTrue(apart.ciHigh() - apart.ciLow() > 0.1, apart.reason());
  }

  @Test
  void resultsAreReproducibleForOneSeed() {
    ObjectNode a = run(300, 300, 20, 1);
    ObjectNode b = run(300, 300, 21, 2);
    assertEquals(GateReport.json(Gate.compare(a, b, OPTS)), GateReport.json(Gate.compare(a, b, OPTS)));
  }
}
