package io.llmload.capacity;

import io.llmload.record.Definitions;
import io.llmload.record.RequestRecord;
import java.util.Arrays;

/**
 * What one probe's measured window saw so far: requests sent in it that have ended, how many met
 * every bound of the SLO, their SLO margins, output tokens, and the in-flight count sampled through
 * the window (the backlog). Fed from the recorder's thread, read by the controller's.
 */
final class ProbeStats {
  private final SearchSpec.Slo slo;
  private long n;
  private long good;
  private long tokens;
  private double[] margins = new double[64];
  private double[] backlogT = new double[64];
  private double[] backlogN = new double[64];
  private int samples;
  private double e2eSum;
  private long e2eCount;

  ProbeStats(SearchSpec.Slo slo) {
    this.slo = slo;
  }

  synchronized void add(RequestRecord r) {
    boolean ok = io.llmload.client.Status.OK.id().equals(r.status);
    double m = ok
        ? Definitions.sloMargin(nan(r.ttftFromScheduledMs), nan(r.tpotMs), nan(r.e2eFromScheduledMs),
            slo.ttftMs(), slo.tpotMs(), slo.e2eMs())
        : Double.POSITIVE_INFINITY; // a failed request meets no SLO
    if (n == margins.length) margins = Arrays.copyOf(margins, margins.length * 2);
    margins[(int) n++] = m;
    if (m <= 1) good++;
    if (ok && r.outputTokens != null) tokens += r.outputTokens;
    if (ok && r.e2eMs != null) {
      e2eSum += r.e2eMs;
      e2eCount++;
    }
  }

  /**
   * {@code count} requests of the window still out when its drain gave up: each is a miss (it has
   * run for the whole longest window past the verdict), with an infinite margin.
   */
  synchronized void unfinished(long count) {
    for (long i = 0; i < count; i++) {
      if (n == margins.length) margins = Arrays.copyOf(margins, margins.length * 2);
      margins[(int) n++] = Double.POSITIVE_INFINITY;
    }
  }

  /** Mean E2E of the successful requests, ms (NaN without any): a closed user's cycle. */
  synchronized double meanE2eMs() {
    return e2eCount == 0 ? Double.NaN : e2eSum / e2eCount;
  }

  /** In flight {@code count} at {@code seconds} into the window. */
  synchronized void backlog(double seconds, int count) {
    if (samples == backlogT.length) {
      backlogT = Arrays.copyOf(backlogT, samples * 2);
      backlogN = Arrays.copyOf(backlogN, samples * 2);
    }
    backlogT[samples] = seconds;
    backlogN[samples++] = count;
  }

  synchronized long n() {
    return n;
  }

  synchronized long good() {
    return good;
  }

  synchronized long tokens() {
    return tokens;
  }

  /** The SLO margin that the share {@code fraction} of requests stays under (NaN without requests). */
  synchronized double marginAt(double fraction) {
    if (n == 0) return Double.NaN;
    double[] a = Arrays.copyOf(margins, (int) n);
    Arrays.sort(a);
    int i = (int) Math.ceil(fraction * n) - 1;
    return a[Math.max(0, Math.min(a.length - 1, i))];
  }

  /**
   * How much the backlog grew through the window: the least-squares slope of in-flight against
   * time, times the window's length (requests); last minus first with fewer than 4 samples.
   */
  synchronized double backlogGrowth() {
    if (samples < 2) return 0;
    if (samples < 4) return backlogN[samples - 1] - backlogN[0];
    double mt = 0, mn = 0;
    for (int i = 0; i < samples; i++) {
      mt += backlogT[i];
      mn += backlogN[i];
    }
    mt /= samples;
    mn /= samples;
    double sxy = 0, sxx = 0;
    for (int i = 0; i < samples; i++) {
      sxy += (backlogT[i] - mt) * (backlogN[i] - mn);
      sxx += (backlogT[i] - mt) * (backlogT[i] - mt);
    }
    return sxx == 0 ? 0 : sxy / sxx * (backlogT[samples - 1] - backlogT[0]);
  }

  /** The mean in-flight count over the window's first quarter of samples. */
  synchronized double backlogAtStart() {
    if (samples == 0) return 0;
    int k = Math.max(1, samples / 4);
    double s = 0;
    for (int i = 0; i < k; i++) s += backlogN[i];
    return s / k;
  }

  synchronized int lastBacklog() {
    return samples == 0 ? 0 : (int) backlogN[samples - 1];
  }

  private static double nan(Double d) {
    return d == null ? Double.NaN : d;
  }
}
