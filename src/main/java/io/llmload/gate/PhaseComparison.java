package io.llmload.gate;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The tests of one phase pair: within the two runs (resampling their requests), or, with a
 * history of earlier baseline runs, against the spread between those runs ({@link BetweenRuns}).
 * docs/gate.md gives the method and its reasons.
 */
final class PhaseComparison {
  private final Summary.Phase base;
  private final Summary.Phase cur;
  /** The phase in earlier baseline runs; empty when changes are judged within runs. */
  private final List<Summary.Phase> history;
  private final GateOptions opts;
  private final long seed;
  /** Bootstrap factors of the current/baseline throughput ratio, shared with energy per token. */
  private double @Nullable [] throughputFactors;
  private int throughputNb;
  private int throughputNc;

  PhaseComparison(Summary.Phase base, Summary.Phase cur, List<Summary.Phase> history, GateOptions opts,
      long seed) {
    this.base = base;
    this.cur = cur;
    this.history = history;
    this.opts = opts;
    this.seed = seed;
  }

  void addTo(List<MetricResult> out) {
    for (ComparedMetric m : ComparedMetric.values()) {
      if (m.kind() == ComparedMetric.Kind.CAPACITY) continue; // a run's figure, not a phase's
      MetricResult r = !history.isEmpty() && m.kind() != ComparedMetric.Kind.PROPORTION
          ? BetweenRuns.compare(m, history, cur, opts)
          : switch (m.kind()) {
        case MEDIAN, QUANTILE -> latency(m);
        case THROUGHPUT -> throughput(m);
        case PROPORTION -> errorRate(m);
        case ENERGY -> energy(m);
        case CAPACITY -> null;
      };
      if (r != null) {
        out.add(r);
      }
    }
  }

  private MetricResult inconclusive(ComparedMetric m, @Nullable Double b, @Nullable Double c, @Nullable Integer nb,
      @Nullable Integer nc, String reason) {
    Double change = b != null && c != null && b != 0 ? c / b - 1 : null;
    return new MetricResult(base.name, m, Verdict.INCONCLUSIVE, b, c, change, null, null, null, null, nb, nc,
        opts.tolerance(m), null, reason);
  }

  private MetricResult pending(ComparedMetric m, double b, double c, double change, double[] ci, double p, int nb, int nc,
      String test) {
    return new MetricResult(base.name, m, Verdict.INCONCLUSIVE, b, c, change, ci[0], ci[1], p, null, nb, nc,
        opts.tolerance(m), test, "");
  }

  private @Nullable MetricResult latency(ComparedMetric m) {
    double[] xb = base.samples(m.sampleKey());
    double[] xc = cur.samples(m.sampleKey());
    Double vb = base.value(m);
    Double vc = cur.value(m);
    Integer nb = xb == null ? null : xb.length;
    Integer nc = xc == null ? null : xc.length;
    int need = m.kind() == ComparedMetric.Kind.QUANTILE
        ? Math.max(opts.minSamples(), (int) Math.ceil(Decision.MIN_TAIL_COUNT / (1 - m.quantile())))
        : opts.minSamples();
    if (vb == null && vc == null && (xb == null || xb.length == 0) && (xc == null || xc.length == 0)) {
      return null; // neither run streamed (stream=false, embeddings, rerank): no TTFT or TPOT to compare
    }
    if (xb == null || xc == null) {
      return inconclusive(m, vb, vc, nb, nc, "no per-request samples of " + m.sampleKey() + " in the "
          + (xb == null ? "baseline" : "current run"));
    }
    if (xb.length < need || xc.length < need) {
      return inconclusive(m, vb, vc, nb, nc, "too few samples to decide: " + xb.length + " and " + xc.length
          + ", at least " + need + " needed on each side");
    }
    Arrays.sort(xb);
    Arrays.sort(xc);
    double sb = Stats.quantileSorted(xb, m.quantile());
    double sc = Stats.quantileSorted(xc, m.quantile());
    // the summary's value comes from every request; the sample's only when the summary lacks it
    double b = vb != null ? vb : sb;
    double c = vc != null ? vc : sc;
    if (!(b > 0) || !(sb > 0) || !(sc > 0)) {
      return inconclusive(m, vb, vc, nb, nc, "a value of 0 cannot be compared as a ratio");
    }
    Resampler rs = new Resampler(seed + 31L * m.ordinal());
    double[] qb = rs.quantiles(xb, m.quantile(), opts.resamples());
    double[] qc = rs.quantiles(xc, m.quantile(), opts.resamples());
    double[] factor = new double[qb.length];
    for (int i = 0; i < factor.length; i++) {
      factor[i] = (qc[i] / sc) / (qb[i] / sb);
    }
    double ratio = c / b;
    double[] ci = ratioCi(ratio, factor);
    double p;
    String test;
    if (m.kind() == ComparedMetric.Kind.MEDIAN) {
      p = Stats.mannWhitneyP(xb, xc);
      test = "mann-whitney-u";
    } else {
      p = Stats.exceedanceP(xb, xc, m.quantile());
      test = "tail-exceedance-fisher";
    }
    return pending(m, b, c, ratio - 1, ci, p, xb.length, xc.length, test + " + bootstrap CI");
  }

  private double[] ratioCi(double ratio, double[] factor) {
    double[] sorted = factor.clone();
    Arrays.sort(sorted);
    double a = opts.alpha();
    return new double[] {
        ratio * Stats.quantileSorted(sorted, a / 2) - 1,
        ratio * Stats.quantileSorted(sorted, 1 - a / 2) - 1};
  }

  /**
   * Throughput is one number per run, so its uncertainty comes from the requests behind it: a
   * closed-loop phase delivers about level x mean(output tokens) / mean(E2E) tokens/s (Little's
   * law), and resampling both per-request samples gives that estimate's spread. docs/gate.md.
   */
  private double @Nullable [] throughputFactors() {
    if (throughputFactors == null) throughputFactors = factors("output_tokens", ComparedMetric.THROUGHPUT);
    return throughputFactors;
  }

  /** Bootstrap factors of the current/baseline ratio of mean({@code perRequest}) / mean(E2E). */
  private double @Nullable [] factors(String perRequest, ComparedMetric m) {
    double[] rb = ratioReplicates(base, 0, perRequest, m);
    double[] rc = ratioReplicates(cur, 1, perRequest, m);
    if (rb == null || rc == null) {
      return null;
    }
    double[] f = new double[rb.length];
    for (int i = 0; i < f.length; i++) {
      f[i] = rc[i] / rb[i];
    }
    return f;
  }

  /**
   * Bootstrap replicates of mean(per-request amount) / mean(E2E) of one run, each divided by the
   * sample's own value. Pairs are resampled together when the two lists are rows of one
   * reservoir (same length), which keeps their correlation (long outputs take long); otherwise
   * each list alone, which overstates the spread: conservative.
   */
  private double @Nullable [] ratioReplicates(Summary.Phase p, int side, String perRequest, ComparedMetric m) {
    double[][] paired = p.pairedSamples(perRequest, "e2e_ms");
    double[] tok = paired != null ? paired[0] : p.samples(perRequest);
    double[] e2e = paired != null ? paired[1] : p.samples("e2e_ms");
    if (tok == null || e2e == null) {
      return null;
    }
    int n = Math.min(tok.length, e2e.length);
    if (side == 0) {
      throughputNb = n;
    } else {
      throughputNc = n;
    }
    if (n < opts.minSamples()) {
      return null;
    }
    double observed = mean(tok) / mean(e2e);
    if (!(observed > 0)) {
      return null;
    }
    Resampler rs = new Resampler(seed + 31L * m.ordinal() + side);
    int b = opts.resamples();
    double[] out;
    if (paired != null) {
      out = rs.pairedRatioOfMeans(tok, e2e, b);
    } else {
      double[] mt = rs.means(tok, b);
      double[] me = rs.means(e2e, b);
      out = new double[b];
      for (int i = 0; i < b; i++) {
        out[i] = mt[i] / me[i];
      }
    }
    for (int i = 0; i < b; i++) {
      out[i] /= observed;
    }
    return out;
  }

  private @Nullable MetricResult throughput(ComparedMetric m) {
    Double vb = base.value(m);
    Double vc = cur.value(m);
    boolean inputs = m == ComparedMetric.INPUTS_PER_S;
    if (inputs && vb == null && vc == null) {
      return null; // a generating endpoint: no inputs/s on either side
    }
    if (!inputs && Objects.equals(vb, 0.0) && Objects.equals(vc, 0.0)
        && base.value(ComparedMetric.INPUTS_PER_S) != null && cur.value(ComparedMetric.INPUTS_PER_S) != null) {
      return null; // embeddings or rerank on both sides: no output tokens, judged by inputs/s
    }
    if (vb == null || vc == null) {
      return inconclusive(m, vb, vc, null, null, m.key() + " missing in the "
          + (vb == null ? "baseline" : "current run"));
    }
    String perRequest = inputs ? "inputs" : "output_tokens";
    double[] f = inputs ? factors(perRequest, m) : throughputFactors();
    if (f == null) {
      return inconclusive(m, vb, vc, null, null, "too few per-request samples of " + perRequest + " and e2e_ms"
          + " (at least " + opts.minSamples() + " on each side) to bound " + m.key());
    }
    if (!(vb > 0)) {
      return inconclusive(m, vb, vc, throughputNb, throughputNc, "baseline " + m.key() + " is 0");
    }
    return ratioTest(m, vb, vc, f, "bootstrap ratio estimator + window edges");
  }

  private @Nullable MetricResult energy(ComparedMetric m) {
    Double vb = base.value(m);
    Double vc = cur.value(m);
    if (vb == null && vc == null) {
      return null; // neither run measured GPU energy: not a metric of this comparison
    }
    if (vb == null || vc == null) {
      return inconclusive(m, vb, vc, null, null, "j_per_token measured in one run only");
    }
    double[] f = throughputFactors();
    if (f == null || !(vb > 0)) {
      return inconclusive(m, vb, vc, null, null, "too few per-request samples to bound energy per token");
    }
    // energy per token = average power / throughput; the power average over a phase is
    // precise, so the throughput's spread is the spread of energy per token
    double[] inv = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      inv[i] = 1 / f[i];
    }
    return ratioTest(m, vb, vc, inv, "bootstrap via throughput");
  }

  private MetricResult ratioTest(ComparedMetric m, double vb, double vc, double[] factor, String test) {
    double ratio = vc / vb;
    double[] logs = new double[factor.length];
    for (int i = 0; i < factor.length; i++) {
      logs[i] = Math.log(factor[i]);
    }
    double bootVar = Math.pow(Stats.sd(logs), 2);
    double se = Math.sqrt(bootVar + windowEdgeVariance(base) + windowEdgeVariance(cur));
    double p = se > 0 ? Stats.twoSidedP(Math.log(ratio) / se) : (ratio == 1 ? 1.0 : 0.0);
    double z = Stats.zFor(opts.alpha());
    double[] ci = {ratio * Math.exp(-z * se) - 1, ratio * Math.exp(z * se) - 1};
    return pending(m, vb, vc, ratio - 1, ci, p, throughputNb, throughputNc, test);
  }

  /**
   * Variance of log(throughput) from the window's edges, which resampling requests cannot see:
   * throughput counts the requests sent in the phase window, and each of {@code level}
   * closed-loop users fits in one request more or less depending on where its cycle falls, a
   * count with variance at most 1/4 per user. Relative to N requests that is level / (4 N^2):
   * 4 % for 16 users and 44 requests, 0.2 % for 1,000. For an open model the level is a rate
   * and the term is small. Without a level, a phase of N requests is bounded by N users.
   */
  private static double windowEdgeVariance(Summary.Phase p) {
    if (p.requests == null || p.requests == 0) {
      return 0;
    }
    double n = p.requests;
    double users = p.level != null && p.level > 0 ? Math.min(p.level, n) : n;
    return users / (4 * n * n);
  }

  /**
   * Failures are counted, so the history's runs pool into one larger baseline count (the
   * narrower interval lets short runs pass); without a history, the baseline run's own counts.
   */
  private MetricResult errorRate(ComparedMetric m) {
    Integer nb = base.requests;
    Integer fb = base.failed;
    String test = "fisher-exact";
    if (!history.isEmpty()) {
      int n = 0;
      int f = 0;
      for (Summary.Phase h : history) {
        if (h.requests != null && h.failed != null) {
          n += h.requests;
          f += h.failed;
        }
      }
      nb = n;
      fb = f;
      test = "fisher-exact, baseline pooled over " + history.size() + " runs";
    }
    Integer nc = cur.requests;
    if (nb == null || nc == null || fb == null || cur.failed == null) {
      return inconclusive(m, base.errorRate(), cur.errorRate(), nb, nc, "requests or failed count missing");
    }
    if (nb < opts.minSamples() || nc < opts.minSamples()) {
      return inconclusive(m, base.errorRate(), cur.errorRate(), nb, nc, "too few requests to decide: " + nb
          + " and " + nc + ", at least " + opts.minSamples() + " needed on each side");
    }
    double b = (double) fb / nb;
    double c = (double) cur.failed / nc;
    double[] ci = Stats.newcombe(cur.failed, nc, fb, nb, Stats.zFor(opts.alpha()));
    double p = Stats.fisherP(fb, nb, cur.failed, nc);
    return new MetricResult(base.name, m, Verdict.INCONCLUSIVE, b, c, c - b, ci[0], ci[1], p, null, nb, nc,
        opts.tolerance(m), test, "");
  }

  private static double mean(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x;
    }
    return s / v.length;
  }
}
