package io.llmload.gate;

import java.util.Locale;

/**
 * The metrics the gate compares, per phase. Each one names where its value sits in a phase of
 * summary.json, which per-request sample backs it, how it is tested, and its default tolerance.
 *
 * <p>Default tolerances are fixed here, before any measurement, so that they cannot be tuned to
 * the data of the comparison they judge (docs/gate.md gives the reasons for each value).
 */
public enum Metric {
  TTFT_P50("ttft_p50", "ttft_ms", "p50", "ttft_ms", Kind.MEDIAN, 0.50, 0.05),
  TTFT_P95("ttft_p95", "ttft_ms", "p95", "ttft_ms", Kind.QUANTILE, 0.95, 0.15),
  TPOT_P50("tpot_p50", "tpot_ms", "p50", "tpot_ms", Kind.MEDIAN, 0.50, 0.05),
  TPOT_P95("tpot_p95", "tpot_ms", "p95", "tpot_ms", Kind.QUANTILE, 0.95, 0.10),
  E2E_P95("e2e_p95", "e2e_ms", "p95", "e2e_ms", Kind.QUANTILE, 0.95, 0.10),
  THROUGHPUT("output_tokens_per_s", "output_tokens_per_s", null, null, Kind.THROUGHPUT, 0, 0.05),
  /** Tolerance in absolute terms: 0.01 is one percentage point more failed requests. */
  ERROR_RATE("error_rate", "error_rate", null, null, Kind.PROPORTION, 0, 0.01),
  J_PER_TOKEN("j_per_token", "gpu", "j_per_token", null, Kind.ENERGY, 0, 0.10),
  /**
   * A capacity search's answer (summary.json {@code capacity}), for the whole run rather than a
   * phase: compared by its bracket ({@link CapacityComparison}). 10 %: the search's own default precision.
   */
  CAPACITY("capacity", "capacity", null, null, Kind.CAPACITY, 0, 0.10);

  /** How a metric is tested; see docs/gate.md. */
  public enum Kind { MEDIAN, QUANTILE, THROUGHPUT, PROPORTION, ENERGY, CAPACITY }

  private final String key;
  private final String field;
  private final String subField;
  private final String sampleKey;
  private final Kind kind;
  private final double quantile;
  private final double defaultTolerance;

  Metric(String key, String field, String subField, String sampleKey, Kind kind, double quantile,
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
  public boolean higherIsBetter() { return this == THROUGHPUT || this == CAPACITY; }

  /** True when the tolerance and change are absolute differences rather than ratios. */
  public boolean absolute() { return this == ERROR_RATE; }

  /** Looks a metric up by its key, accepting '-' for '_' and any case. */
  public static Metric byKey(String key) {
    String k = key.trim().toLowerCase(Locale.ROOT).replace('-', '_');
    for (Metric m : values()) {
      if (m.key.equals(k) || m.name().toLowerCase(Locale.ROOT).equals(k)) {
        return m;
      }
    }
    StringBuilder allowed = new StringBuilder();
    for (Metric m : values()) {
      allowed.append(allowed.length() == 0 ? "" : ", ").append(m.key);
    }
    throw new GateInputException("unknown metric '" + key + "'; allowed: " + allowed);
  }
}
