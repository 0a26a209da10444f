package io.llmload.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Embeddings and rerank phases (SYNTHETIC summaries): the gate judges inputs/s as it judges
 * output tokens/s, and leaves out the figures such a run has not (output tokens/s of 0, TTFT,
 * TPOT); a chat run gets no inputs/s result.
 */
class InputsThroughputGateTest {
  private static final GateOptions OPTS = GateOptions.defaults();

  /** A closed-loop embeddings phase: 8 users, batches of 1 to 8 inputs, E2E log-normal around e2eMs. */
  private static ObjectNode embeddings(double e2eMs, long seed) {
    int n = 600, level = 8;
    SplittableRandom r = new SplittableRandom(seed);
    ObjectNode root = SyntheticSummary.create().phase("c8", level, n, 300, 20, 0, seed).build();
    ObjectNode p = (ObjectNode) root.path("phases").get(0);
    ObjectNode samples = (ObjectNode) p.path("samples");
    ArrayNode e2e = samples.putArray("e2e_ms"), inputs = samples.putArray("inputs");
    ArrayNode ttft = samples.putArray("ttft_ms"), tpot = samples.putArray("tpot_ms"), out = samples.putArray("output_tokens");
    double sumE2e = 0, sumInputs = 0;
    double[] sorted = new double[n];
    for (int i = 0; i < n; i++) {
      int batch = 1 + r.nextInt(8);
      // latency grows with the batch, as a pooling server's does
      double e = e2eMs * (0.5 + 0.1 * batch) * Math.exp(0.1 * (r.nextDouble() - 0.5));
      e2e.add(e);
      inputs.add(batch);
      ttft.addNull();
      tpot.addNull();
      out.add(0);
      sumE2e += e;
      sumInputs += batch;
      sorted[i] = e;
    }
    java.util.Arrays.sort(sorted);
    p.putNull("ttft_ms");
    p.putNull("tpot_ms");
    p.putObject("e2e_ms").put("p50", Stats.quantileSorted(sorted, 0.5)).put("p95", Stats.quantileSorted(sorted, 0.95));
    p.put("output_tokens_per_s", 0.0);
    // Little's law, the reference the summary's window count approximates
    p.put("inputs_per_s", level * sumInputs / (sumE2e / 1000));
    return root;
  }

  private static MetricResult find(GateResult r, ComparedMetric m) {
    return r.results().stream().filter(x -> x.metric() == m).findFirst().orElse(null);
  }

  @Test
  void slowerEmbeddingsAreAnInputsPerSecondRegression() {
    GateResult r = Gate.compare(embeddings(100, 1), embeddings(120, 2), OPTS);
    MetricResult in = find(r, ComparedMetric.INPUTS_PER_S);
    assertEquals(Verdict.REGRESSED, in.verdict(), () -> GateReport.markdown(r));
    assertEquals(100.0 / 120 - 1, in.change(), 0.03);
    assertTrue(in.ciHigh() < -0.05, "the interval lies past the 5 % tolerance: " + in.ciHigh());
    assertEquals(Verdict.REGRESSED, r.verdict());
    assertEquals(ExitCodes.REGRESSED, r.exitCode());
    assertEquals(null, find(r, ComparedMetric.THROUGHPUT), "no output tokens on either side: not compared");
    assertEquals(null, find(r, ComparedMetric.TTFT_P50), "not streamed: no TTFT to compare");
    assertEquals(null, find(r, ComparedMetric.TPOT_P95));
  }

  @Test
  void theSameLoadPassesAndAFasterOneImproves() {
    GateResult same = Gate.compare(embeddings(100, 1), embeddings(100, 2), OPTS);
    assertEquals(Verdict.UNCHANGED, find(same, ComparedMetric.INPUTS_PER_S).verdict(), () -> GateReport.markdown(same));
    assertFalse(same.count(Verdict.REGRESSED) > 0);
    assertEquals(0, same.exitCode(), () -> GateReport.markdown(same));
    GateResult faster = Gate.compare(embeddings(120, 1), embeddings(100, 2), OPTS);
    assertEquals(Verdict.IMPROVED, find(faster, ComparedMetric.INPUTS_PER_S).verdict());
  }

  @Test
  void aChatRunHasNoInputsPerSecondResult() {
    ObjectNode chat = SyntheticSummary.create().phase("c8", 8, 400, 300, 20, 0, 1).build();
    GateResult r = Gate.compare(chat, chat.deepCopy(), OPTS);
    assertEquals(null, find(r, ComparedMetric.INPUTS_PER_S));
    assertEquals(7, r.results().size());
  }
}
