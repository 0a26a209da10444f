package io.llmload.metrics;

/**
 * The classic-histogram bucket layout of every latency the suite exports: upper bounds in seconds,
 * four per octave (each bound 2^(1/4) ≈ 1.19 times the one before) from 1 ms to about 262 s. LLM
 * latencies span that range: ITL and TPOT of a few ms, TTFT of tens of ms to tens of seconds under
 * queueing, E2E of minutes for long outputs. A quantile read from these buckets is off by at most
 * one bucket, 19 % of the value, which is what the Prometheus test holds it to.
 */
public final class LatencyBuckets {
  public static final double FIRST_SECONDS = 0.001;
  public static final int PER_OCTAVE = 4;
  public static final int OCTAVES = 18;

  private LatencyBuckets() {}

  public static double[] upperBounds() {
    double[] b = new double[PER_OCTAVE * OCTAVES + 1];
    for (int i = 0; i < b.length; i++) {
      // rounded to 6 significant digits so the `le` labels read well
      double v = FIRST_SECONDS * Math.pow(2, (double) i / PER_OCTAVE);
      b[i] = Double.parseDouble(String.format(java.util.Locale.ROOT, "%.6g", v));
    }
    return b;
  }

  /** The ratio between neighbouring bounds: a value read from the buckets is within it. */
  public static double step() {
    return Math.pow(2, 1.0 / PER_OCTAVE);
  }
}
