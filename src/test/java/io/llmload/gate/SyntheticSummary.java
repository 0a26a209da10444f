package io.llmload.gate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * SYNTHETIC summary.json trees for gate tests: per-request latencies drawn from seeded
 * log-normal distributions, not measured anywhere. Marked as such in "generator" and "warnings".
 */
final class SyntheticSummary {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private String simulation = "io.llmload.simulations.ConstantUsers";
  private String profile = "seeds-7b";
  private final List<ObjectNode> phases = new ArrayList<>();

  static SyntheticSummary create() {
    return new SyntheticSummary();
  }

  SyntheticSummary simulation(String s) {
    this.simulation = s;
    return this;
  }

  SyntheticSummary profile(String p) {
    this.profile = p;
    return this;
  }

  /**
   * Adds a closed-loop phase of {@code n} ok requests at {@code level} concurrency with median TTFT
   * and TPOT as given, 128 output tokens each, and {@code failed} extra failed requests.
   */
  SyntheticSummary phase(String name, int level, int n, double ttftMs, double tpotMs, int failed, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] ttft = new double[n];
    double[] tpot = new double[n];
    double[] e2e = new double[n];
    double[] tokens = new double[n];
    for (int i = 0; i < n; i++) {
      ttft[i] = ttftMs * Math.exp(0.3 * gaussian(r));
      tpot[i] = tpotMs * Math.exp(0.08 * gaussian(r));
      tokens[i] = 128;
      e2e[i] = ttft[i] + tpot[i] * (tokens[i] - 1);
    }
    ObjectNode p = MAPPER.createObjectNode();
    p.put("name", name);
    p.put("level", level);
    int requests = n + failed;
    p.put("requests", requests);
    p.put("ok", n);
    p.put("failed", failed);
    p.put("error_rate", requests == 0 ? 0 : (double) failed / requests);
    double meanE2eS = mean(e2e) / 1000;
    p.put("output_tokens_per_s", n == 0 ? 0 : level * mean(tokens) / meanE2eS);
    p.set("ttft_ms", stats(ttft));
    p.set("tpot_ms", stats(tpot));
    p.set("e2e_ms", stats(e2e));
    ObjectNode samples = p.putObject("samples");
    samples.put("seed", 42);
    samples.set("ttft_ms", array(ttft));
    samples.set("tpot_ms", array(tpot));
    samples.set("e2e_ms", array(e2e));
    samples.set("output_tokens", array(tokens));
    p.putNull("gpu");
    phases.add(p);
    return this;
  }

  /** The last phase added, to edit in a test. */
  ObjectNode lastPhase() {
    return phases.get(phases.size() - 1);
  }

  ObjectNode build() {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("schema", 1);
    root.put("generator", "llm-load-suite SYNTHETIC test data (io.llmload.gate.SyntheticSummary)");
    ObjectNode run = root.putObject("run");
    run.put("folder", "synthetic");
    run.put("simulation", simulation);
    run.put("protocol", "openai-chat");
    run.put("model", "emulated-llm");
    run.put("target", "http://127.0.0.1:1");
    ObjectNode em = run.putObject("emulator");
    em.put("profile", profile);
    em.put("seed", 1);
    em.put("jitter", 0.05);
    em.put("synthetic", true);
    run.put("max_tokens", 128);
    root.put("complete", true);
    root.put("skipped_lines", 0);
    ArrayNode ph = root.putArray("phases");
    phases.forEach(p -> ph.add(p.deepCopy()));
    root.putArray("warnings").add("synthetic test data");
    return root;
  }

  private static ObjectNode stats(double[] v) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("n", v.length);
    if (v.length == 0) {
      return o;
    }
    double[] s = v.clone();
    Arrays.sort(s);
    o.put("mean", mean(v));
    o.put("p50", Stats.quantileSorted(s, 0.50));
    o.put("p90", Stats.quantileSorted(s, 0.90));
    o.put("p95", Stats.quantileSorted(s, 0.95));
    o.put("p99", Stats.quantileSorted(s, 0.99));
    o.put("max", s[s.length - 1]);
    return o;
  }

  private static ArrayNode array(double[] v) {
    ArrayNode a = MAPPER.createArrayNode();
    for (double x : v) {
      a.add(x);
    }
    return a;
  }

  private static double mean(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x;
    }
    return v.length == 0 ? 0 : s / v.length;
  }

  /** Box-Muller: a standard normal draw from the seeded generator. */
  private static double gaussian(SplittableRandom r) {
    double u = 1 - r.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.nextDouble());
  }
}
