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
 * jitter on, a new seed for every run), closed loop as ConstantUsers runs it (with a ramp by
 * default; {@code --load together} starts every user at once). A rolling history of the last
 * {@code --history} passed runs of the base configuration is the baseline, as a store built by
 * -DupdateBaseline is (an identical run that regressed does not join it; {@code --admit all}); then
 * for each of {@code --pairs} pairs it runs the base configuration again (a false alarm if any
 * metric regresses), one with a slower prefill (is TTFT p50 regressed?) and one with a slower
 * decode step (is output tokens/s regressed?), and prints the rates with Wilson 95 % intervals and
 * the changes the injections made, measured in its own runs.
 * For comparison it also gates each identical run against the previous one alone, by resampling
 * within the runs (the method without a history).
 * With {@code --confirm yes} a run that regressed is run again (a new seed) against the same
 * history and counts only when the same metric regressed in both ({@link Confirmation}, the rule
 * of scripts/nightly.sh); it prints the confirmed rates, and the ones the single-run rates imply
 * for independent runs (p squared), labelled as derived.
 *
 * <p>{@code mvn -q -B test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.llmload.gate.GateBenchMain -Dexec.args="--pairs 60"}
 */
public final class GateBenchMain {
  /** Calibrated by {@code --experiments calibrate} on seeds the benchmark does not use (docs/gate.md). */
  static final String PREFILL_FACTOR = "1.20";
  static final String DECODE_FACTOR = "1.195";

  private GateBenchMain() {}

  public static void main(String[] args) throws Exception {
    // defaults: a 1.5 s ramp and outputs of 6 to 12 tokens keep the users out of lock step; the
    // factors were calibrated on short trial runs to move TTFT p50 by about +10 % (the prefill is
    // part of TTFT, queueing behind decode steps the rest) and output tokens/s by about -10 %
    Map<String, String> a = new LinkedHashMap<>(Map.of("pairs", "60", "history", "20", "users", "16",
        "max-tokens", "12", "warmup-s", "1.5", "measure-s", "8.5", "jitter", "0.05", "profile", "seeds-7b",
        "prefill-factor", PREFILL_FACTOR, "decode-factor", DECODE_FACTOR));
    a.put("load", "staggered");
    a.put("experiments", "between");
    a.put("admit", "passed");
    a.put("detect", "yes");
    a.put("confirm", "no");
    a.put("seed", "10000");
    a.put("calibration-runs", "6");
    a.put("calibration-seed", "500000");
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
    if (a.get("experiments").contains("calibrate")) {
      calibrate(a, out);
    }
    if (a.get("experiments").contains("between")) {
      between(a, out);
    }
  }

  private static EmulatorRuns source(Map<String, String> a) {
    return new EmulatorRuns(Integer.parseInt(a.get("users")),
        Duration.ofMillis((long) (Double.parseDouble(a.get("warmup-s")) * 1000)),
        Duration.ofMillis((long) (Double.parseDouble(a.get("measure-s")) * 1000)),
        Integer.parseInt(a.get("max-tokens")), a.get("load").equals("together"));
  }

  /**
   * Measures the change each factor makes, on seeds the benchmark never uses (500,000 up): base,
   * slower prefill and slower decode runs interleaved so that a drift of the machine hits all
   * three alike, and the factor that would make a 10 % change if the log change grows in
   * proportion to the log factor (the emulator's times are sums of scaled and unscaled parts).
   */
  private static void calibrate(Map<String, String> a, PrintStream out) throws Exception {
    int n = Integer.parseInt(a.get("calibration-runs"));
    EmulatorRuns source = source(a);
    Map<String, String> base = Map.of("profile", a.get("profile"), "jitter", a.get("jitter"));
    double fp = Double.parseDouble(a.get("prefill-factor"));
    double fd = Double.parseDouble(a.get("decode-factor"));
    source.run(base, 1);
    List<Double> bt = new ArrayList<>();
    List<Double> bs = new ArrayList<>();
    List<Double> pt = new ArrayList<>();
    List<Double> ds = new ArrayList<>();
    long seed = Long.parseLong(a.get("calibration-seed"));
    for (int i = 0; i < n; i++) {
      JsonNode b = source.run(base, seed++);
      bt.add(value(b, ComparedMetric.TTFT_P50));
      bs.add(value(b, ComparedMetric.THROUGHPUT));
      pt.add(value(source.run(scaled(base, fp, true), seed++), ComparedMetric.TTFT_P50));
      ds.add(value(source.run(scaled(base, fd, false), seed++), ComparedMetric.THROUGHPUT));
    }
    double cp = change(pt, bt)[0];
    double cd = change(ds, bs)[0];
    out.printf(Locale.ROOT, "CALIBRATION %d runs each: prefill x%.3f: TTFT p50 %s; decode x%.3f: output tokens/s %s;"
        + " base spread (sd of log) TTFT p50 %.1f %%, tokens/s %.1f %%%n", n, fp, changeText(pt, bt), fd,
        changeText(ds, bs), 100 * sdLog(bt), 100 * sdLog(bs));
    out.printf(Locale.ROOT, "CALIBRATION factors for a 10 %% change: prefill x%.3f, decode x%.3f%n",
        Math.exp(Math.log(fp) * Math.log(1.10) / Math.log(1 + cp)),
        Math.exp(Math.log(fd) * Math.log(0.90) / Math.log(1 + cd)));
  }

  /** The ratio of geometric means minus 1, and its 95 % interval (Welch on the logs). */
  static double[] change(List<Double> changed, List<Double> base) {
    double[] x = changed.stream().mapToDouble(Math::log).toArray();
    double[] y = base.stream().mapToDouble(Math::log).toArray();
    double d = mean(x) - mean(y);
    double vx = sdLogOf(x) * sdLogOf(x) / x.length;
    double vy = sdLogOf(y) * sdLogOf(y) / y.length;
    double df = (vx + vy) * (vx + vy) / (vx * vx / (x.length - 1) + vy * vy / (y.length - 1));
    double q = new org.apache.commons.math3.distribution.TDistribution(df).inverseCumulativeProbability(0.975);
    double se = Math.sqrt(vx + vy);
    return new double[] {Math.exp(d) - 1, Math.exp(d - q * se) - 1, Math.exp(d + q * se) - 1};
  }

  private static String changeText(List<Double> changed, List<Double> base) {
    double[] c = change(changed, base);
    return String.format(Locale.ROOT, "%+.1f %% (95 %% interval %+.1f %% to %+.1f %%)", 100 * c[0], 100 * c[1], 100 * c[2]);
  }

  private static double mean(double[] v) {
    return java.util.Arrays.stream(v).average().orElse(Double.NaN);
  }

  private static double sdLogOf(double[] logs) {
    double m = mean(logs);
    return Math.sqrt(java.util.Arrays.stream(logs).map(x -> (x - m) * (x - m)).sum() / (logs.length - 1));
  }

  private static double sdLog(List<Double> v) {
    return sdLogOf(v.stream().mapToDouble(Math::log).toArray());
  }

  private static void between(Map<String, String> a, PrintStream out) throws Exception {
    int pairs = Integer.parseInt(a.get("pairs"));
    int k = Integer.parseInt(a.get("history"));
    int users = Integer.parseInt(a.get("users"));
    int maxTokens = Integer.parseInt(a.get("max-tokens"));
    boolean together = a.get("load").equals("together");
    boolean passedOnly = a.get("admit").equals("passed");
    EmulatorRuns source = source(a);
    Map<String, String> base = Map.of("profile", a.get("profile"), "jitter", a.get("jitter"));
    Map<String, String> slowPrefill = scaled(base, Double.parseDouble(a.get("prefill-factor")), true);
    Map<String, String> slowDecode = scaled(base, Double.parseDouble(a.get("decode-factor")), false);
    GateOptions opts = GateOptions.defaults().history(k);
    out.printf(Locale.ROOT, "SYNTHETIC server (embedded emulator %s, jitter %s), closed loop, %d users %s, %d output tokens,"
        + " %s s warm-up + %s s measured per run, a new seed per run; history of %d runs (%s); %d pairs%n",
        a.get("profile"), a.get("jitter"), users, together ? "started together (ConstantUsers)" : "staggered",
        maxTokens, a.get("warmup-s"), a.get("measure-s"), k,
        passedOnly ? "an identical run joins it only when no metric regressed" : "every identical run joins it", pairs);
    out.println("slower prefill: " + slowPrefill + "; slower decode: " + slowDecode);
    long started = System.nanoTime();
    source.run(base, 1); // JVM warm-up: the first run in a fresh JVM is slower
    Deque<JsonNode> history = new ArrayDeque<>();
    long seed = Long.parseLong(a.get("seed"));
    boolean detect = a.get("detect").equals("yes"); // "no": identical runs only, a third of the time
    // "yes": a regressed run is run again (new seed) against the same history, reported only when
    // the same metric regressed in both (Confirmation, as scripts/nightly.sh --confirm does)
    boolean confirm = a.get("confirm").equals("yes");
    ConfirmTally tally = new ConfirmTally();
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
    int admitted = 0;
    List<Double> baseTtft = new ArrayList<>();
    List<Double> slowTtft = new ArrayList<>();
    List<Double> baseTput = new ArrayList<>();
    List<Double> slowTput = new ArrayList<>();
    JsonNode previous = history.peekLast();
    for (int i = 0; i < pairs; i++) {
      List<JsonNode> h = List.copyOf(history);
      JsonNode last = h.get(h.size() - 1);
      JsonNode same = source.run(base, seed++);
      JsonNode prefill = detect ? source.run(slowPrefill, seed++) : same;
      JsonNode decode = detect ? source.run(slowDecode, seed++) : same;
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
      JsonNode admit = joinsHistory(rs, passedOnly) ? same : null;
      if (confirm) {
        tally.single(rs, t, d);
        String note = "";
        if (fa) {
          JsonNode second = source.run(base, seed++);
          GateResult again = Gate.compare(last, h, "history", second, "same again", opts);
          Confirmation c = Confirmation.of("same", rs, again);
          tally.falseAlarm(!c.confirmed().isEmpty());
          note += " | same again: " + c.reason();
          if (joinsHistory(again, passedOnly)) {
            admit = second; // the store's rule: the confirmation run passed, so it may join
          }
        }
        if (detect && t.verdict() == Verdict.REGRESSED) {
          GateResult again = Gate.compare(last, h, "history", source.run(slowPrefill, seed++), "slower prefill again", opts);
          boolean both = find(again, ComparedMetric.TTFT_P50).verdict() == Verdict.REGRESSED;
          tally.ttft(both);
          note += " | slower prefill again: ttft_p50 " + find(again, ComparedMetric.TTFT_P50).verdict().label();
        }
        if (detect && d.verdict() == Verdict.REGRESSED) {
          GateResult again = Gate.compare(last, h, "history", source.run(slowDecode, seed++), "slower decode again", opts);
          boolean both = find(again, ComparedMetric.THROUGHPUT).verdict() == Verdict.REGRESSED;
          tally.tput(both);
          note += " | slower decode again: tokens/s " + find(again, ComparedMetric.THROUGHPUT).verdict().label();
        }
        if (!note.isEmpty()) {
          out.println("  confirmation" + note);
        }
      }
      if (admit != null) {
        history.removeFirst();
        history.addLast(admit);
        admitted++;
      }
      previous = same;
    }
    if (detect) {
      out.printf(Locale.ROOT, "RESULT the injected changes, measured over the %d pairs (ratio of geometric means,"
          + " Welch 95 %% interval): slower prefill TTFT p50 %s, slower decode output tokens/s %s%n", pairs,
          changeText(slowTtft, baseTtft), changeText(slowTput, baseTput));
    }
    out.printf(Locale.ROOT, "RESULT identical runs admitted to the history: %d of %d; spread of the identical runs"
        + " (sd of log): TTFT p50 %.1f %%, output tokens/s %.1f %%%n", admitted, pairs, 100 * sdLog(baseTtft),
        100 * sdLog(baseTput));
    out.println("RESULT " + rate("false alarms, identical configuration vs history (any metric regressed)", falseAlarms, pairs));
    if (detect) {
      out.println("RESULT " + rate("detection, slower prefill: ttft_p50 regressed", ttftDetected, pairs));
      out.println("RESULT " + rate("detection, slower decode: output_tokens_per_s regressed", tputDetected, pairs));
    }
    out.println("RESULT " + rate("inconclusive, identical configuration vs history", inconclusive, pairs));
    if (confirm) {
      tally.print(pairs, detect, out);
    }
    out.println("RESULT " + rate("false alarms without a history (resampling within runs, vs the previous run)",
        withinFalseAlarms, pairs));
    out.printf(Locale.ROOT, "RESULT %d runs in %.1f min%n", 1 + k + (detect ? 3 : 1) * pairs + tally.extraRuns(),
        (System.nanoTime() - started) / 6e10);
  }

  /**
   * Whether an identical run joins the rolling history: as in a store, only when it passed; here
   * "passed" is "nothing regressed", because a run this short is inconclusive on the error rate
   * alone (0 failures in ~100 requests cannot rule out a 2-point rise).
   */
  static boolean joinsHistory(GateResult r, boolean passedOnly) {
    return !passedOnly || r.count(Verdict.REGRESSED) == 0;
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

  /** The spread (sd of the log) of one metric over runs. */
  private static double logSd(Iterable<JsonNode> runs, ComparedMetric m) {
    List<Double> v = new ArrayList<>();
    runs.forEach(r -> v.add(value(r, m)));
    return sdLog(v);
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
}
