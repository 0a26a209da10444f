package io.llmload.capacity;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Where the next probe goes, from what the probes so far measured. Each probe gives an SLO margin
 * (the value/bound ratio that the SLO's share of requests stays under; it passes at 1 or below),
 * a continuous figure that grows with load. Before a probe has failed, the next load is where a
 * straight line through the last two margins (through the origin with one) reaches 1, at most
 * eight times the last load; inside a bracket, where the line between the highest pass's and the
 * lowest failure's margins reaches 1, kept at least a fifth of the bracket from either end so a
 * skewed curve still halves it in a few steps. A narrow bracket whose failure was measured before
 * its pass has that failure measured once more. Null: no probe left (bracket narrow enough, or the
 * search ran into min or max).
 */
final class Placement {
  private static final double MAX_GROWTH = 8;
  /** Failed probes' margins are capped: a timed-out request's +∞ would pin the line to the pass. */
  private static final double MARGIN_CAP = 4;
  private static final double CLIFF = 2;

  private final SearchSpec spec;

  Placement(SearchSpec spec) {
    this.spec = spec;
  }

  @Nullable Double next(List<Probe> done) {
    Probe hi = lowestFail(done);
    Probe lo = highestPass(done, hi);
    if (lo == null && hi == null) return spec.min();
    if (hi == null) {
      if (lo.load() >= spec.max()) return null;
      Probe prev = previousPass(done, lo);
      double guess = crossing(prev, lo);
      double x = clamp(guess, lo.load() * (1 + spec.precision()), lo.load() * MAX_GROWTH);
      return above(Math.min(x, spec.max()), lo.load());
    }
    if (lo == null) {
      if (hi.load() <= spec.min()) return null;
      double guess = margin(hi) > 1 ? hi.load() / margin(hi) : hi.load() / 2;
      double x = clamp(guess, hi.load() / MAX_GROWTH, hi.load() * (1 - spec.precision()));
      return below(Math.max(x, spec.min()), hi.load());
    }
    if (spec.narrow(lo.load(), hi.load())) {
      // the failure that closes the bracket was measured before the pass below it, so perhaps in
      // another state of the server or the machine (a JIT still compiling, a cache warming, a
      // neighbour's load): it is measured once more before the search ends, and the later verdict counts
      return hi.index() < lo.index() && !remeasure(done, hi) ? hi.load() : null;
    }
    double mlo = Math.min(margin(lo), 1);
    double mhi = Math.max(margin(hi), 1.05);
    double gap = hi.load() - lo.load();
    // a failure far past its bound is a cliff (a saturated server's queue), not a slope: a line
    // through it would creep up from the pass a fifth at a time; halve the bracket instead
    double x = mhi >= CLIFF ? lo.load() + gap / 2 : lo.load() + (1 - mlo) / (mhi - mlo) * gap;
    x = clamp(x, lo.load() + gap / 5, hi.load() - gap / 5);
    if (spec.rate()) return x;
    long r = Math.round(x);
    if (r <= lo.load()) r = (long) lo.load() + 1;
    if (r >= hi.load()) r = (long) hi.load() - 1;
    return (double) r;
  }

  /** The load where the margin line through two passing probes (or one and the origin) reaches 1. */
  private static double crossing(@Nullable Probe a, Probe b) {
    double mb = margin(b);
    if (!(mb > 0)) return b.load() * MAX_GROWTH;
    if (a != null) {
      double slope = (mb - margin(a)) / (b.load() - a.load());
      if (slope > 0) return b.load() + (1 - mb) / slope;
    }
    // one point: the margin's floor (latency at no load) is unknown, so a line through the origin
    // would stop short; at least double
    return Math.max(b.load() / mb, 2 * b.load());
  }

  private double above(double x, double lo) {
    if (spec.rate()) return x;
    long r = Math.round(x);
    return (double) Math.max(r, (long) lo + 1);
  }

  private double below(double x, double hi) {
    if (spec.rate()) return x;
    long r = Math.round(x);
    return (double) Math.max(1, Math.min(r, (long) hi - 1));
  }

  static double margin(Probe p) {
    double m = p.margin();
    return Double.isNaN(m) ? (p.pass() ? 1 : MARGIN_CAP) : Math.min(m, MARGIN_CAP);
  }

  /** Whether a later probe measured the same load again: only the latest verdict at a load counts. */
  static boolean superseded(List<Probe> done, Probe p) {
    for (Probe q : done) if (q.index() > p.index() && q.load() == p.load()) return true;
    return false;
  }

  /** Whether {@code p} measured a load that an earlier probe had measured. */
  static boolean remeasure(List<Probe> done, Probe p) {
    return measured(done.subList(0, p.index() - 1), p.load());
  }

  /** Whether one of these probes measured {@code load}. */
  static boolean measured(List<Probe> done, double load) {
    for (Probe q : done) if (q.load() == load) return true;
    return false;
  }

  /** The highest pass below {@code fail} (a noisy pass above a failure is not believed: attainment falls with load). */
  static @Nullable Probe highestPass(List<Probe> done, @Nullable Probe fail) {
    Probe best = null;
    for (Probe p : done) {
      if (p.pass() && !superseded(done, p) && (fail == null || p.load() < fail.load())
          && (best == null || p.load() > best.load())) best = p;
    }
    return best;
  }

  static @Nullable Probe lowestFail(List<Probe> done) {
    Probe best = null;
    for (Probe p : done) if (!p.pass() && !superseded(done, p) && (best == null || p.load() < best.load())) best = p;
    return best;
  }

  private static @Nullable Probe previousPass(List<Probe> done, Probe lo) {
    Probe best = null;
    for (Probe p : done) {
      if (p.pass() && !superseded(done, p) && p.load() < lo.load() && (best == null || p.load() > best.load())) best = p;
    }
    return best;
  }

  private static double clamp(double x, double a, double b) {
    return Math.max(a, Math.min(b, x));
  }
}
