package io.llmload.gate;

import java.util.Arrays;
import org.apache.commons.math3.distribution.HypergeometricDistribution;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.stat.inference.MannWhitneyUTest;

/** The tests and corrections the gate uses; pure functions over plain arrays. */
final class Stats {
  private static final NormalDistribution STANDARD_NORMAL = new NormalDistribution(null, 0, 1);

  private Stats() {}

  /**
   * Nearest-rank quantile of sorted values: the value at rank ceil(q n). The same definition is
   * used for samples and bootstrap resamples so that their ratio is unbiased by the definition.
   */
  static double quantileSorted(double[] sorted, double q) {
    int n = sorted.length;
    int rank = (int) Math.ceil(q * n);
    return sorted[Math.min(n - 1, Math.max(0, rank - 1))];
  }

  /** Two-sided p-value of the Mann-Whitney U test (normal approximation, average ranks; commons-math3 3.6 applies no tie correction, which errs conservative). */
  static double mannWhitneyP(double[] a, double[] b) {
    double p = new MannWhitneyUTest().mannWhitneyUTest(a, b);
    return Double.isNaN(p) ? 1.0 : Math.min(1.0, p);
  }

  /** Two-sided p-value from a z statistic. */
  static double twoSidedP(double z) {
    if (Double.isNaN(z)) {
      return 1.0;
    }
    return Math.min(1.0, 2 * STANDARD_NORMAL.cumulativeProbability(-Math.abs(z)));
  }

  /**
   * Two-sided Fisher exact test of a 2x2 table: {@code x1} of {@code n1} against {@code x2} of
   * {@code n2}. Sums the probabilities of all tables with the same margins that are no more likely
   * than the observed one.
   */
  static double fisherP(int x1, int n1, int x2, int n2) {
    int total = n1 + n2;
    int successes = x1 + x2;
    if (successes == 0 || successes == total) {
      return 1.0;
    }
    HypergeometricDistribution h = new HypergeometricDistribution(null, total, successes, n1);
    int lo = Math.max(0, successes - n2);
    int hi = Math.min(successes, n1);
    double observed = h.logProbability(x1);
    double p = 0;
    // a relative slack so that tables as likely as the observed one are not lost to rounding
    double limit = observed + 1e-7;
    for (int k = lo; k <= hi; k++) {
      double lp = h.logProbability(k);
      if (lp <= limit) {
        p += Math.exp(lp);
      }
    }
    return Math.min(1.0, p);
  }

  /**
   * A test for a change of a high quantile: the values of both samples above their pooled
   * q-quantile are counted, and the two counts compared by Fisher's exact test. This is Mood's
   * median test moved to the tail; unlike Mann-Whitney it reacts to the tail, which is what a p95
   * is about.
   */
  static double exceedanceP(double[] sortedA, double[] sortedB, double q) {
    double[] pooled = new double[sortedA.length + sortedB.length];
    System.arraycopy(sortedA, 0, pooled, 0, sortedA.length);
    System.arraycopy(sortedB, 0, pooled, sortedA.length, sortedB.length);
    Arrays.sort(pooled);
    double threshold = quantileSorted(pooled, q);
    return fisherP(countAbove(sortedA, threshold), sortedA.length, countAbove(sortedB, threshold), sortedB.length);
  }

  private static int countAbove(double[] sorted, double threshold) {
    int i = Arrays.binarySearch(sorted, threshold);
    if (i < 0) {
      return sorted.length - (-i - 1);
    }
    while (i < sorted.length && sorted[i] <= threshold) {
      i++;
    }
    return sorted.length - i;
  }

  /**
   * Holm's step-down adjusted p-values: the smallest raw p-value is multiplied by m, the next by
   * m - 1, and so on, kept monotone. Valid under any dependence between the tests. NaN entries are
   * not tests and stay NaN.
   */
  static double[] holm(double[] raw) {
    Integer[] order = new Integer[raw.length];
    int m = 0;
    for (int i = 0; i < raw.length; i++) {
      if (!Double.isNaN(raw[i])) {
        order[m++] = i;
      }
    }
    Integer[] idx = Arrays.copyOf(order, m);
    Arrays.sort(idx, (x, y) -> Double.compare(raw[x], raw[y]));
    double[] adjusted = new double[raw.length];
    Arrays.fill(adjusted, Double.NaN);
    double running = 0;
    for (int j = 0; j < m; j++) {
      double a = Math.min(1.0, (m - j) * raw[idx[j]]);
      running = Math.max(running, a);
      adjusted[idx[j]] = running;
    }
    return adjusted;
  }

  /** Wilson score interval of a proportion, {lower, upper}. */
  static double[] wilson(int x, int n, double z) {
    double p = (double) x / n;
    double z2 = z * z;
    double centre = (p + z2 / (2.0 * n)) / (1 + z2 / n);
    double half = z * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / (1 + z2 / n);
    return new double[] {Math.max(0, centre - half), Math.min(1, centre + half)};
  }

  /**
   * Newcombe's hybrid score interval for p1 - p2 (method 10 of Newcombe 1998): good coverage
   * near 0 failures, where the Wald interval collapses to a point.
   */
  static double[] newcombe(int x1, int n1, int x2, int n2, double z) {
    double p1 = (double) x1 / n1;
    double p2 = (double) x2 / n2;
    double[] w1 = wilson(x1, n1, z);
    double[] w2 = wilson(x2, n2, z);
    double d = p1 - p2;
    double lo = d - Math.sqrt(sq(p1 - w1[0]) + sq(w2[1] - p2));
    double hi = d + Math.sqrt(sq(w1[1] - p1) + sq(p2 - w2[0]));
    return new double[] {lo, hi};
  }

  static double zFor(double alpha) {
    return STANDARD_NORMAL.inverseCumulativeProbability(1 - alpha / 2);
  }

  private static double sq(double v) {
    return v * v;
  }

  /** Sample standard deviation. */
  static double sd(double[] v) {
    double mean = 0;
    for (double x : v) {
      mean += x;
    }
    mean /= v.length;
    double ss = 0;
    for (double x : v) {
      ss += (x - mean) * (x - mean);
    }
    return Math.sqrt(ss / (v.length - 1));
  }
}
