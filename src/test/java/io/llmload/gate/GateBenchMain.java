package io.llmload.gate;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmload.emulator.EmulatorConfig;
import io.llmload.emulator.ModelParams;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The gate's error rates between separate runs, against the embedded emulator (SYNTHETIC server,
 * jitter on, a new seed for every run), closed loop as ConstantUsers runs it (every user starts at
 * once, every request asks for the same length). A rolling history of the last {@code --history}
 * runs of the base configuration is the baseline, as a store built by -DupdateBaseline is; then
 * for each of {@code --pairs} pairs it runs the base configuration again (a false alarm if any
 * metric regresses), one with a slower prefill (is TTFT p50 regressed?) and one with a slower
 * decode step (is output tokens/s regressed?), and prints the rates with Wilson 95 % intervals.
 * For comparison it also gates each identical run against the previous one alone, by resampling
 * within the runs (the method without a history).
 *
 * <p>{@code mvn -q -B test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.llmload.gate.GateBenchMain -Dexec.args="--pairs 60"}
 */
public final class GateBenchMain {
  private GateBenchMain() {}

  public static void main(String[] args) throws Exception {
    // defaults: a 1.5 s ramp and outputs of 6 to 12 tokens keep the users out of lock step; the
    // factors were calibrated on short trial runs to move TTFT p50 by about +10 % (the prefill is
    // part of TTFT, queueing behind decode steps the rest) and output tokens/s by about -10 %
    Map<String, String> a = new LinkedHashMap<>(Map.of("pairs", "60", "history", "20", "users", "16",
        "max-tokens", "12", "warmup-s", "1.5", "measure-s", "6", "jitter", "0.05", "profile", "seeds-7b",
        "prefill-factor", "1.18", "decode-factor", "1.15"));
    a.put("load", "staggered");
    a.put("experiments", "between");
    for (int i = 0; i < args.length; i++) {
      String k = args[i].startsWith("--") ? args[i].substring(2) : "";
      if (!a.containsKey(k) || i + 1 >= args.length) {
        throw new IllegalArgumentException("unknown argument or missing value: " + args[i] + "; allowed: --"
            + String.join(" V --", a.keySet()) + " V");
      }
      a.put(k, args[++i]);
    }
    PrintStream out = System.out;
    if (a.get("experiments").contains("devprod")) {
      devProd(Double.parseDouble(a.get("jitter")), out);
    }
    if (a.get("experiments").contains("between")) {
      between(a, out);
    }
  }

  private static void between(Map<String, String> a, PrintStream out) throws Exception {
    int pairs = Integer.parseInt(a.get("pairs"));
    int k = Integer.parseInt(a.get("history"));
    int users = Integer.parseInt(a.get("users"));
    int maxTokens = Integer.parseInt(a.get("max-tokens"));
    boolean together = a.get("load").equals("together");
    EmulatorRuns source = new EmulatorRuns(users, Duration.ofMillis((long) (Double.parseDouble(a.get("warmup-s")) * 1000)),
        Duration.ofMillis((long) (Double.parseDouble(a.get("measure-s")) * 1000)), maxTokens, together);
    Map<String, String> base = Map.of("profile", a.get("profile"), "jitter", a.get("jitter"));
    Map<String, String> slowPrefill = scaled(base, Double.parseDouble(a.get("prefill-factor")), true);
    Map<String, String> slowDecode = scaled(base, Double.parseDouble(a.get("decode-factor")), false);
    GateOptions opts = GateOptions.defaults().history(k);
    out.printf(Locale.ROOT, "SYNTHETIC server (embedded emulator %s, jitter %s), closed loop, %d users %s, %d output tokens,"
        + " %s s warm-up + %s s measured per run, a new seed per run; history of %d runs; %d pairs%n",
        a.get("profile"), a.get("jitter"), users, together ? "started together (ConstantUsers)" : "staggered",
        maxTokens, a.get("warmup-s"), a.get("measure-s"), k, pairs);
    out.println("slower prefill: " + slowPrefill + "; slower decode: " + slowDecode);
    long started = System.nanoTime();
    source.run(base, 1); // JVM warm-up: the first run in a fresh JVM is slower
    Deque<JsonNode> history = new ArrayDeque<>();
    long seed = 10_000;
    for (int i = 0; i < k; i++) {
      history.addLast(source.run(base, seed++));
    }
    out.printf(Locale.ROOT, "history spread between runs (sd of log): TTFT p50 %.1f %%, output tokens/s %.1f %%%n",
        100 * logSd(history, ComparedMetric.TTFT_P50), 100 * logSd(history, ComparedMetric.THROUGHPUT));
    int falseAlarms = 0;
    int withinFalseAlarms = 0;
    int inconclusive = 0;
    int ttftDetected = 0;
    int tputDetected = 0;
    List<Double> baseTtft = new ArrayList<>();
    List<Double> slowTtft = new ArrayList<>();
    List<Double> baseTput = new ArrayList<>();
    List<Double> slowTput = new ArrayList<>();
    JsonNode previous = history.peekLast();
    for (int i = 0; i < pairs; i++) {
      List<JsonNode> h = List.copyOf(history);
      JsonNode last = h.get(h.size() - 1);
      JsonNode same = source.run(base, seed++);
      JsonNode prefill = source.run(slowPrefill, seed++);
      JsonNode decode = source.run(slowDecode, seed++);
      GateResult rs = Gate.compare(last, h, "history", same, "same", opts);
      GateResult rp = Gate.compare(last, h, "history", prefill, "slower prefill", opts);
      GateResult rd = Gate.compare(last, h, "history", decode, "slower decode", opts);
      GateResult within = Gate.compare(previous, "previous run", same, "same", opts);
      boolean fa = rs.count(Verdict.REGRESSED) > 0;
      falseAlarms += fa ? 1 : 0;
      inconclusive += rs.verdict() == Verdict.INCONCLUSIVE ? 1 : 0;
      withinFalseAlarms += within.count(Verdict.REGRESSED) > 0 ? 1 : 0;
      MetricResult t = find(rp, ComparedMetric.TTFT_P50);
      MetricResult d = find(rd, ComparedMetric.THROUGHPUT);
      ttftDetected += t.verdict() == Verdict.REGRESSED ? 1 : 0;
      tputDetected += d.verdict() == Verdict.REGRESSED ? 1 : 0;
      baseTtft.add(value(same, ComparedMetric.TTFT_P50));
      slowTtft.add(value(prefill, ComparedMetric.TTFT_P50));
      baseTput.add(value(same, ComparedMetric.THROUGHPUT));
      slowTput.add(value(decode, ComparedMetric.THROUGHPUT));
      out.printf(Locale.ROOT, "pair %2d: same %s%s (within-run vs previous: %s); slower prefill ttft_p50 %s %s;"
          + " slower decode tokens/s %s %s; ttft_p50 %.2f ms, tokens/s %.1f, %d requests%n",
          i + 1, rs.verdict().label(), fa ? " " + rs.regressions().stream().map(x -> x.metric().key()).toList() : "",
          within.verdict().label(), Fmt.change(t.metric(), t.change()), t.verdict().label(),
          Fmt.change(d.metric(), d.change()), d.verdict().label(), baseTtft.get(i), baseTput.get(i),
          same.path("phases").path(0).path("requests").asInt());
      history.removeFirst();
      history.addLast(same);
      previous = same;
    }
    out.printf(Locale.ROOT, "the injected changes, measured over all runs (geometric means): TTFT p50 %+.1f %%,"
        + " output tokens/s %+.1f %%%n", 100 * (gmean(slowTtft) / gmean(baseTtft) - 1),
        100 * (gmean(slowTput) / gmean(baseTput) - 1));
    out.println("RESULT " + rate("false alarms, identical configuration vs history (any metric regressed)", falseAlarms, pairs));
    out.println("RESULT " + rate("detection, slower prefill: ttft_p50 regressed", ttftDetected, pairs));
    out.println("RESULT " + rate("detection, slower decode: output_tokens_per_s regressed", tputDetected, pairs));
    out.println("RESULT " + rate("inconclusive, identical configuration vs history", inconclusive, pairs));
    out.println("RESULT " + rate("false alarms without a history (resampling within runs, vs the previous run)",
        withinFalseAlarms, pairs));
    out.printf(Locale.ROOT, "RESULT %d runs in %.1f min%n", 1 + k + 3 * pairs, (System.nanoTime() - started) / 6e10);
  }

  static String rate(String what, int x, int n) {
    double[] w = Stats.wilson(x, n, 1.959964);
    return String.format(Locale.ROOT, "%s: %d of %d = %.1f %% (Wilson 95 %% interval %.1f %% to %.1f %%)",
        what, x, n, 100.0 * x / n, 100 * w[0], 100 * w[1]);
  }

  private static MetricResult find(GateResult r, ComparedMetric m) {
    return r.results().stream().filter(x -> x.metric() == m).findFirst().orElseThrow();
  }

  private static double value(JsonNode summary, ComparedMetric m) {
    JsonNode v = summary.path("phases").path(0).path(m.field());
    return m.subField() == null ? v.asDouble(Double.NaN) : v.path(m.subField()).asDouble(Double.NaN);
  }

  private static double logSd(Iterable<JsonNode> runs, ComparedMetric m) {
    List<Double> logs = new ArrayList<>();
    runs.forEach(r -> logs.add(Math.log(value(r, m))));
    double mean = logs.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    return Math.sqrt(logs.stream().mapToDouble(x -> (x - mean) * (x - mean)).sum() / (logs.size() - 1));
  }

  private static double gmean(List<Double> v) {
    return Math.exp(v.stream().mapToDouble(Math::log).average().orElse(Double.NaN));
  }

  /** dev-batch8 against prod-batch64 at 32 users, one pair, forced (the profiles differ): docs/gate.md. */
  private static void devProd(double jitter, PrintStream out) throws Exception {
    EmulatorRuns wide = new EmulatorRuns(32, Duration.ofMillis(2000), Duration.ofMillis(30000), 64);
    Map<String, String> dev = Map.of("profile", "dev-batch8", "jitter", Double.toString(jitter));
    Map<String, String> prod = Map.of("profile", "prod-batch64", "jitter", Double.toString(jitter));
    GateResult r = Gate.compare(wide.run(dev, 9001), "dev-batch8", wide.run(prod, 9002), "prod-batch64",
        GateOptions.defaults().force(true));
    out.println(GateReport.markdown(r));
  }

  /** The configuration with the prefill (or decode-step) time parameters of its profile scaled by {@code factor}. */
  static Map<String, String> scaled(Map<String, String> config, double factor, boolean prefill) {
    Properties p = new Properties();
    config.forEach((k, v) -> p.setProperty(EmulatorConfig.PROPERTY_PREFIX + k, v));
    ModelParams m = EmulatorConfig.fromProperties(p).params();
    Map<String, String> out = new LinkedHashMap<>(config);
    if (prefill) {
      out.put("prefillBaseMs", Double.toString(m.prefillBaseMs() * factor));
      out.put("prefillPerTokenMs", Double.toString(m.prefillPerTokenMs() * factor));
      if (m.prefillMs() != null) {
        out.put("prefillMs", Double.toString(m.prefillMs() * factor));
      }
      return out;
    }
    out.put("stepBaseMs", Double.toString(m.stepBaseMs() * factor));
    out.put("stepPerSeqMs", Double.toString(m.stepPerSeqMs() * factor));
    if (m.stepSingleMs() != null) {
      out.put("stepSingleMs", Double.toString(m.stepSingleMs() * factor));
    }
    return out;
  }

  /** The configuration with every decode-step time parameter of its profile scaled by {@code factor}. */
  static Map<String, String> slower(Map<String, String> config, double factor) {
    return scaled(config, factor, false);
  }
}
