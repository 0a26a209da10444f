package io.llmload.gate;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Seeded bootstrap replicates of a quantile or a mean. A quantile resample is found by counting
 * how often each rank of the sorted sample was drawn and walking the counts, O(n) per resample
 * with one reused array instead of sorting every resample.
 */
final class Resampler {
  private final SplittableRandom random;

  Resampler(long seed) {
    this.random = new SplittableRandom(seed);
  }

  /** {@code resamples} bootstrap replicates of the nearest-rank q-quantile of {@code sorted}. */
  double[] quantiles(double[] sorted, double q, int resamples) {
    int n = sorted.length;
    int rank = Math.min(n, Math.max(1, (int) Math.ceil(q * n)));
    int[] counts = new int[n];
    double[] out = new double[resamples];
    for (int r = 0; r < resamples; r++) {
      Arrays.fill(counts, 0);
      for (int i = 0; i < n; i++) {
        counts[random.nextInt(n)]++;
      }
      int seen = 0;
      int j = 0;
      while (true) {
        seen += counts[j];
        if (seen >= rank) {
          break;
        }
        j++;
      }
      out[r] = sorted[j];
    }
    return out;
  }

  /**
   * {@code resamples} bootstrap replicates of mean(num) / mean(den), resampling pairs (num[i],
   * den[i]) together so that their correlation is kept.
   */
  double[] pairedRatioOfMeans(double[] num, double[] den, int resamples) {
    int n = num.length;
    double[] out = new double[resamples];
    for (int r = 0; r < resamples; r++) {
      double sn = 0;
      double sd = 0;
      for (int i = 0; i < n; i++) {
        int j = random.nextInt(n);
        sn += num[j];
        sd += den[j];
      }
      out[r] = sn / sd;
    }
    return out;
  }

  /** {@code resamples} bootstrap replicates of the mean of {@code values}. */
  double[] means(double[] values, int resamples) {
    int n = values.length;
    double[] out = new double[resamples];
    for (int r = 0; r < resamples; r++) {
      double sum = 0;
      for (int i = 0; i < n; i++) {
        sum += values[random.nextInt(n)];
      }
      out[r] = sum / n;
    }
    return out;
  }
}
