package io.llmload.gate;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/**
 * Power and false-alarm benchmark of the gate: runs pairs of short runs, each with a new seed,
 * and counts verdicts. A {@link RunSource} makes one run's summary.json for a configuration and
 * a seed: {@link EmulatorRuns} drives the embedded emulator, {@link #SYNTHETIC} draws numbers.
 */
public final class GatePowerBench {
  /** Produces the summary.json of one run of {@code config} (emulator.* properties) with {@code seed}. */
  @FunctionalInterface
  public interface RunSource {
    JsonNode run(Map<String, String> config, long seed) throws Exception;
  }

  /**
   * SYNTHETIC source for checking the driver: 300 log-normal requests; the TPOT median is
   * 20 ms times {@code stepScale} (default 1).
   */
  public static final RunSource SYNTHETIC = (config, seed) -> {
    double scale = Double.parseDouble(config.getOrDefault("stepScale", "1"));
    return SyntheticSummary.create().phase("c16", 16, 300, 300, 20 * scale, 0, seed).build();
  };

  /** Verdict counts over pairs. */
  public record Counts(int pairs, int metricRegressed, int anyRegressed, int metricInconclusive,
      int anyInconclusive, int metricImproved) {
    String line(String what, ComparedMetric metric) {
      return String.format(Locale.ROOT,
          "%s: %d pairs; %s regressed in %d, any metric regressed in %d; %s inconclusive in %d,"
              + " any inconclusive in %d; %s improved in %d",
          what, pairs, metric.key(), metricRegressed, anyRegressed, metric.key(), metricInconclusive,
          anyInconclusive, metric.key(), metricImproved);
    }
  }

  private GatePowerBench() {}

  /**
   * Runs {@code pairs} pairs: a baseline of {@code baseConfig} and a current run of {@code
   * curConfig}, every run with its own seed, and counts what the gate says of {@code metric}.
   */
  public static Counts pairs(RunSource source, Map<String, String> baseConfig, Map<String, String> curConfig,
      int pairs, long firstSeed, GateOptions opts, ComparedMetric metric, PrintStream log) throws Exception {
    int metricRegressed = 0;
    int anyRegressed = 0;
    int metricInconclusive = 0;
    int anyInconclusive = 0;
    int metricImproved = 0;
    for (int i = 0; i < pairs; i++) {
      long seed = firstSeed + 2L * i;
      JsonNode base = source.run(baseConfig, seed);
      JsonNode cur = source.run(curConfig, seed + 1);
      GateResult r = Gate.compare(base, "seed " + seed, cur, "seed " + (seed + 1), opts);
      boolean mReg = r.results().stream().anyMatch(m -> m.metric() == metric && m.verdict() == Verdict.REGRESSED);
      boolean mInc = r.results().stream().anyMatch(m -> m.metric() == metric && m.verdict() == Verdict.INCONCLUSIVE);
      boolean mImp = r.results().stream().anyMatch(m -> m.metric() == metric && m.verdict() == Verdict.IMPROVED);
      metricRegressed += mReg ? 1 : 0;
      anyRegressed += r.count(Verdict.REGRESSED) > 0 ? 1 : 0;
      metricInconclusive += mInc ? 1 : 0;
      anyInconclusive += r.count(Verdict.INCONCLUSIVE) > 0 ? 1 : 0;
      metricImproved += mImp ? 1 : 0;
      MetricResult m = r.results().stream().filter(x -> x.metric() == metric).findFirst().orElseThrow();
      log.printf(Locale.ROOT, "pair %2d: %s %s %s (n %s/%s); overall %s; regressed: %s; failed requests %s/%s%n",
          i + 1, metric.key(), m.verdict().label(), Fmt.change(metric, m.change()), m.nBaseline(), m.nCurrent(),
          r.verdict().label(), r.regressions().stream().map(x -> x.phase() + "/" + x.metric().key()).toList(),
          base.path("phases").path(0).path("failures"), cur.path("phases").path(0).path("failures"));
    }
    return new Counts(pairs, metricRegressed, anyRegressed, metricInconclusive, anyInconclusive, metricImproved);
  }
}
