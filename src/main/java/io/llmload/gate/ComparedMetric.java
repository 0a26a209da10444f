package io.llmload.gate;

import io.llmload.collector.runfolder.SummaryJson;
import io.llmload.collector.runfolder.SummaryJson.Gpu;
import io.llmload.collector.runfolder.SummaryJson.Phase;
import io.llmload.collector.runfolder.SummaryJson.Samples;
import io.llmload.collector.runfolder.SummaryJson.Stats;
import java.util.Locale;

/**
 * The metrics the gate compares, per phase. Each one names where its value sits in a phase of
 * summary.json, which per-request sample backs it, how it is tested, and its default tolerance.
 *
 * <p>Default tolerances are fixed here, before any measurement, so that they cannot be tuned to
 * the data of the comparison they judge (docs/gate.md gives the reasons for each value).
 */
public enum ComparedMetric {
  TTFT_P50("ttft_p50", Phase.TTFT_MS, Stats.P50, Phase.TTFT_MS, Kind.MEDIAN, 0.50, 0.05),
  TTFT_P95("ttft_p95", Phase.TTFT_MS, Stats.P95, Phase.TTFT_MS, Kind.QUANTILE, 0.95, 0.15),
  TPOT_P50("tpot_p50", Phase.TPOT_MS, Stats.P50, Phase.TPOT_MS, Kind.MEDIAN, 0.50, 0.05),
  TPOT_P95("tpot_p95", Phase.TPOT_MS, Stats.P95, Phase.TPOT_MS, Kind.QUANTILE, 0.95, 0.10),
  E2E_P95("e2e_p95", Phase.E2E_MS, Stats.P95, Phase.E2E_MS, Kind.QUANTILE, 0.95, 0.10),
  THROUGHPUT("output_tokens_per_s", Phase.OUTPUT_TOKENS_PER_S, null, null, Kind.THROUGHPUT, 0, 0.05),
  /** Embeddings: inputs embedded per second; rerank: documents ranked per second. */
  INPUTS_PER_S("inputs_per_s", Phase.INPUTS_PER_S, null, Samples.INPUTS, Kind.THROUGHPUT, 0, 0.05),
  /** Tolerance in absolute terms: 0.01 is one percentage point more failed requests. */
  ERROR_RATE("error_rate", Phase.ERROR_RATE, null, null, Kind.PROPORTION, 0, 0.01),
  J_PER_TOKEN("j_per_token", Phase.GPU, Gpu.J_PER_TOKEN, null, Kind.ENERGY, 0, 0.10),
  /**
   * A capacity search's answer (summary.json {@code capacity}), for the whole run rather than a
   * phase: compared by its bracket ({@link CapacityComparison}). 10 %: the search's own default precision.
   */
  CAPACITY("capacity", SummaryJson.CAPACITY, null, null, Kind.CAPACITY, 0, 0.10);

  /** How a metric is tested; see docs/gate.md. */
  public enum Kind { MEDIAN, QUANTILE, THROUGHPUT, PROPORTION, ENERGY, CAPACITY }

  private final String key;
  private final String field;
  private final String subField;
  private final String sampleKey;
  private final Kind kind;
  private final double quantile;
  private final double defaultTolerance;

  ComparedMetric(String key, String field, String subField, String sampleKey, Kind kind, double quantile,
      double defaultTolerance) {
    this.key = key;
    this.field = field;
    this.subField = subField;
    this.sampleKey = sampleKey;
    this.kind = kind;
    this.quantile = quantile;
    this.defaultTolerance = defaultTolerance;
  }

  /** Name used in properties ({@code gate.tolerance.<key>}), verdict files and JUnit test cases. */
  public String key() { return key; }

  /** Field of a summary.json phase holding the value (an object when {@link #subField()} is set). */
  public String field() { return field; }

  public String subField() { return subField; }

  /** Key under a phase's {@code samples} holding the per-request values, or null. */
  public String sampleKey() { return sampleKey; }

  public Kind kind() { return kind; }

  public double quantile() { return quantile; }

  /** Relative tolerance (0.05 = 5 %), or absolute for {@link #ERROR_RATE}. */
  public double defaultTolerance() { return defaultTolerance; }

  /** True when a larger value is better (throughput). */
  public boolean higherIsBetter() { return kind == Kind.THROUGHPUT || kind == Kind.CAPACITY; }

  /** True when the tolerance and change are absolute differences rather than ratios. */
  public boolean absolute() { return this == ERROR_RATE; }

  /** Looks a metric up by its key, accepting '-' for '_' and any case. */
  public static ComparedMetric byKey(String key) {
    String k = key.trim().toLowerCase(Locale.ROOT).replace('-', '_');
    for (ComparedMetric m : values()) {
      if (m.key.equals(k) || m.name().toLowerCase(Locale.ROOT).equals(k)) {
        return m;
      }
    }
    StringBuilder allowed = new StringBuilder();
    for (ComparedMetric m : values()) {
      allowed.append(allowed.length() == 0 ? "" : ", ").append(m.key);
    }
    throw new GateInputException("unknown metric '" + key + "'; allowed: " + allowed);
  }
}
