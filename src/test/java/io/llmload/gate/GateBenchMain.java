package io.llmload.gate;

import io.llmload.emulator.EmulatorConfig;
import io.llmload.emulator.ModelParams;
import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The gate's acceptance benchmark against the embedded emulator (SYNTHETIC server):
 * power (a 10 % slower decode step is a TPOT regression), false alarms (identical configurations),
 * and the dev-batch8 against prod-batch64 throughput comparison. Every run gets a new seed.
 *
 * <p>{@code mvn -q -B test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.llmload.gate.GateBenchMain -Dexec.args="--pairs 20"}
 */
public final class GateBenchMain {
  private GateBenchMain() {}

  public static void main(String[] args) throws Exception {
    int pairs = 20;
    int users = 16;
    int maxTokens = 40;
    double measureS = 8;
    double jitter = 0.05;
    String experiments = "power,false,devprod";
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--pairs" -> pairs = Integer.parseInt(args[++i]);
        case "--users" -> users = Integer.parseInt(args[++i]);
        case "--max-tokens" -> maxTokens = Integer.parseInt(args[++i]);
        case "--measure-s" -> measureS = Double.parseDouble(args[++i]);
        case "--jitter" -> jitter = Double.parseDouble(args[++i]);
        case "--experiments" -> experiments = args[++i];
        default -> throw new IllegalArgumentException("unknown argument " + args[i]
            + "; allowed: --pairs N --users N --max-tokens N --measure-s S --jitter J --experiments power,false,devprod");
      }
    }
    PrintStream out = System.out;
    EmulatorRuns source = new EmulatorRuns(users, Duration.ofMillis(1500), Duration.ofMillis((long) (measureS * 1000)),
        maxTokens);
    Map<String, String> base = Map.of("profile", "seeds-7b", "jitter", Double.toString(jitter));
    out.printf(Locale.ROOT, "SYNTHETIC server (embedded emulator), closed loop, %d users, output %d to %d tokens, 1.5 s warm-up"
        + " + %.1f s measured per run, jitter %.2f, a new seed per run%n", users, maxTokens / 2, maxTokens, measureS, jitter);
    source.run(base, 1); // JVM warm-up: the first run in a fresh JVM is slower, and would bias pair 1
    GateOptions opts = GateOptions.defaults();
    if (experiments.contains("devprod")) {
      // 32 users, 4 times dev's batch slots; outputs long enough (32 to 64 tokens) that decoding,
      // not the prefill stalls of admissions, sets the throughput; a window of about 4 request
      // lifetimes, so that which requests fall into it (its edges) does not swamp the difference
      EmulatorRuns wide = new EmulatorRuns(32, Duration.ofMillis(2000), Duration.ofMillis(30000), 64);
      Map<String, String> dev = Map.of("profile", "dev-batch8", "jitter", Double.toString(jitter));
      Map<String, String> prod = Map.of("profile", "prod-batch64", "jitter", Double.toString(jitter));
      GateResult r = Gate.compare(wide.run(dev, 9001), "dev-batch8", wide.run(prod, 9002), "prod-batch64",
          opts.force(true));
      out.println(GateReport.markdown(r));
      MetricResult t = r.results().stream().filter(m -> m.metric() == Metric.THROUGHPUT).findFirst().orElseThrow();
      out.printf(Locale.ROOT, "RESULT dev-batch8 -> prod-batch64 at 32 users, 32-64 output tokens, 30 s measured:"
          + " output tokens/s %s -> %s, %s (CI %s to %s), verdict %s%n", Gate.Fmt.value(t.baseline()), Gate.Fmt.value(t.current()),
          Gate.Fmt.change(t.metric(), t.change()), Gate.Fmt.change(t.metric(), t.ciLow()),
          Gate.Fmt.change(t.metric(), t.ciHigh()), t.verdict().label());
    }
    if (experiments.contains("power")) {
      Map<String, String> slow = slower(base, 1.10);
      out.println("power: baseline " + base + ", current " + slow);
      GatePowerBench.Counts c = GatePowerBench.pairs(source, base, slow, pairs, 1000, opts, Metric.TPOT_P50, out);
      out.println("RESULT " + c.line("power (10 % slower decode step)", Metric.TPOT_P50));
    }
    if (experiments.contains("false")) {
      GatePowerBench.Counts c = GatePowerBench.pairs(source, base, base, pairs, 5000, opts, Metric.TPOT_P50, out);
      out.println("RESULT " + c.line("false alarms (identical configurations)", Metric.TPOT_P50));
    }
  }

  /** The configuration with every decode-step time parameter of its profile scaled by {@code factor}. */
  static Map<String, String> slower(Map<String, String> config, double factor) {
    Properties p = new Properties();
    config.forEach((k, v) -> p.setProperty(EmulatorConfig.PROPERTY_PREFIX + k, v));
    ModelParams m = EmulatorConfig.fromProperties(p).params();
    Map<String, String> out = new LinkedHashMap<>(config);
    out.put("stepBaseMs", Double.toString(m.stepBaseMs() * factor));
    out.put("stepPerSeqMs", Double.toString(m.stepPerSeqMs() * factor));
    if (m.stepSingleMs() != null) {
      out.put("stepSingleMs", Double.toString(m.stepSingleMs() * factor));
    }
    return out;
  }
}
