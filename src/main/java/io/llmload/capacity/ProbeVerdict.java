package io.llmload.capacity;

import org.jspecify.annotations.Nullable;

/**
 * Judges a probe from its window so far: pass, fail, or not yet. A verdict is taken as soon as it
 * is certain (the attainment's 90 % interval lies wholly on one side of the SLO's fraction, with
 * enough requests and enough of the window) or the server is plainly over-saturated; a verdict too
 * close to call runs on past the nominal window up to the longest one, and is then taken from the
 * point estimate and said so. In a rate search a probe whose backlog grew through its window fails
 * however good its requests looked: the queue, not the latency, is what an over-capacity rate
 * builds first.
 */
final class ProbeVerdict {
  /** A decision and why; null from {@link #judge} means: keep measuring. */
  record Decision(boolean pass, String reason, boolean censored) {
    Decision(boolean pass, String reason) {
      this(pass, reason, true);
    }

    /** A verdict on the backlog, not on the requests' latencies: nothing to wait for. */
    static Decision onBacklog(boolean pass, String reason) {
      return new Decision(pass, reason, false);
    }
  }

  /**
   * Far from the target with enough requests: the interval of a share needs about 50 requests
   * before it can call 95 % certain, but when every request is well inside its bounds (or half
   * well outside) the latency, not the count, settles it.
   */
  static final double CLEAR_PASS = 0.75;
  static final double CLEAR_FAIL = 1.5;

  private final SearchSpec spec;

  ProbeVerdict(SearchSpec spec) {
    this.spec = spec;
  }

  /** @param elapsedS seconds of the measured window so far */
  @Nullable Decision judge(ProbeStats s, double load, double elapsedS) {
    return judge(s, load, elapsedS, false);
  }

  /**
   * @param complete every request of the window has ended (or been counted a miss): the verdict is
   *     final, taken from the point estimate when the interval cannot settle it
   */
  @Nullable Decision judge(ProbeStats s, double load, double elapsedS, boolean complete) {
    double f = spec.slo().fraction();
    if (spec.rate() && elapsedS >= 1) {
      double start = s.backlogAtStart();
      // plainly over-saturated: the backlog is a multiple of what the window began with and still rising
      if (s.lastBacklog() > Math.max(20, 4 * (start + 2)) && s.backlogGrowth() > 0) {
        return Decision.onBacklog(false, "over-saturated: in flight rose from " + Math.round(start) + " to " + s.lastBacklog());
      }
    }
    if (elapsedS < seconds(spec.minWindow()) && !complete) return null;
    long n = s.n();
    boolean last = complete || elapsedS >= seconds(spec.maxWindow());
    if (n == 0) return last ? new Decision(false, "no request ended in the window") : null;
    double[] ci = Wilson.interval(s.good(), n, Wilson.Z90);
    Decision d = null;
    if (n >= spec.minSamples()) {
      if (ci[1] < f) d = new Decision(false, "certain: attainment below " + f + " (90% interval)");
      else if (ci[0] >= f) d = new Decision(true, "certain: attainment at least " + f + " (90% interval)");
    }
    // far from the target, half the requests settle it: a low load's requests come slowly
    if (d == null && n >= (spec.minSamples() + 1) / 2) {
      if (s.marginAt(1) <= CLEAR_PASS) d = new Decision(true, "clear: every request within 75% of every bound");
      else if (s.marginAt(0.5) > CLEAR_FAIL) d = new Decision(false, "clear: half the requests miss a bound by over 50%");
    }
    if (d == null && !last) return null; // too close to call: measured on, past the nominal window if need be
    if (d == null) {
      boolean pass = (double) s.good() / n >= f;
      d = new Decision(pass, elapsedS >= seconds(spec.maxWindow())
          ? "close call after the longest window: by the point estimate"
          : "close call once the window's requests had ended: by the point estimate");
    }
    if (spec.rate() && d.pass()) {
      // a pass needs the whole nominal window: a queue may grow slowly
      if (elapsedS < seconds(spec.window()) && !complete) return null;
      double growth = s.backlogGrowth();
      double allowed = Math.max(3, 0.05 * load * elapsedS);
      if (growth > allowed) {
        return Decision.onBacklog(false, "backlog grew by " + Math.round(growth) + " requests through the window (allowed " + Math.round(allowed) + ")");
      }
    }
    return d;
  }

  static double seconds(java.time.Duration d) {
    return d.toNanos() / 1e9;
  }
}
