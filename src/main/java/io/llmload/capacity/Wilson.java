package io.llmload.capacity;

/**
 * The Wilson score interval of a share (good requests out of n). Chosen over the normal
 * approximation because probes often see all or none of their requests meet the SLO, where the
 * normal interval collapses to a point and would call a verdict certain after one request.
 */
public final class Wilson {
  /** z for a two-sided 90 % interval: each bound is wrong at most 5 % of the time. */
  public static final double Z90 = 1.6449;

  private Wilson() {}

  /** {lower, upper} of the share {@code good / n}; {0, 1} without samples. */
  public static double[] interval(long good, long n, double z) {
    if (n <= 0) return new double[] {0, 1};
    double p = (double) good / n;
    double z2 = z * z;
    double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
    double half = z / (1 + z2 / n) * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
    return new double[] {Math.max(0, centre - half), Math.min(1, centre + half)};
  }
}
