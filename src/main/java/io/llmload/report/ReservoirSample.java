package io.llmload.report;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A seeded uniform sample of a phase's ok requests (Algorithm R), one row per sampled request so
 * that its figures stay aligned: TTFT, TPOT, E2E, tokens/s, output tokens and, for embeddings and rerank, inputs. Two samples of disjoint
 * populations merge into a uniform sample of the union.
 */
final class ReservoirSample {
  static final int SIZE = 2000;
  static final String[] COLUMNS = io.llmload.collector.runfolder.SummaryJson.Samples.KEYS.toArray(new String[0]);

  private final SplittableRandom random;
  private double[][] rows = new double[SIZE][];
  private int size;
  private long seen;

  ReservoirSample(long seed) {
    this.random = new SplittableRandom(seed);
  }

  int size() {
    return size;
  }

  /** Row {@code i}, in {@link #COLUMNS}' order; NaN where the request had no value. */
  double[] row(int i) {
    return rows[i];
  }

  void add(RequestRecord r, double tps) {
    long n = seen++;
    int slot;
    if (n < SIZE) {
      slot = (int) n;
      size++;
    } else {
      long j = random.nextLong(n + 1);
      if (j >= SIZE) return;
      slot = (int) j;
    }
    double[] row = rows[slot];
    if (row == null) row = rows[slot] = new double[COLUMNS.length];
    row[0] = r.ttftMs;
    row[1] = r.tpotMs;
    row[2] = r.e2eMs;
    row[3] = tps;
    row[4] = r.outputTokens == RequestRecord.ABSENT ? Double.NaN : r.outputTokens;
    row[5] = r.inputs == RequestRecord.ABSENT ? Double.NaN : r.inputs;
  }

  /** Redraws from the two samples as if from the two populations ({@code r} makes it reproducible). */
  void merge(ReservoirSample o, SplittableRandom r) {
    long na = seen, nb = o.seen;
    if (nb == 0) return;
    if (na + nb <= SIZE) {
      // Both samples are still their whole populations.
      for (int i = 0; i < o.size; i++) rows[size + i] = o.rows[i];
      size += o.size;
      seen = na + nb;
      return;
    }
    double[][] a = Arrays.copyOf(rows, size);
    double[][] b = Arrays.copyOf(o.rows, o.size);
    int ia = a.length, ib = b.length;
    long ra = na, rb = nb;
    double[][] out = new double[SIZE][];
    // Each slot comes from A with probability (A's population left) / (both left): a draw
    // without replacement from the union, which each uniform sample can serve.
    for (int k = 0; k < SIZE; k++) {
      if (r.nextLong(ra + rb) < ra) {
        int j = r.nextInt(ia);
        out[k] = a[j];
        a[j] = a[--ia];
        ra--;
      } else {
        int j = r.nextInt(ib);
        out[k] = b[j];
        b[j] = b[--ib];
        rb--;
      }
    }
    rows = out;
    size = SIZE;
    seen = na + nb;
  }
}
