package io.llmload.load;

import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;

/**
 * When an open-model load sends its requests: offsets in nanoseconds from the start, in order.
 * The schedule is computed, not sampled from a timer, so every request knows the instant it was
 * meant to go and its queue delay is exact. Not thread-safe: one pacer reads it.
 */
public interface ArrivalSchedule {

  /** The next offset from the start, or -1 when the schedule is over. */
  long nextOffsetNanos();

  /** Requests per second the schedule asks for (the mean), for reports. */
  double requestedRate();

  /** Evenly spaced arrivals: the i-th at i / rate. */
  static ArrivalSchedule constant(double rate, Duration duration) {
    long end = duration.toNanos();
    return new ArrivalSchedule() {
      long i;

      @Override
      public long nextOffsetNanos() {
        long t = Math.round(i * 1e9 / rate);
        if (t >= end) return -1;
        i++;
        return t;
      }

      @Override
      public double requestedRate() {
        return rate;
      }
    };
  }

  /**
   * Evenly spaced arrivals at a rate that may change while the run goes on (a capacity search
   * steers it): each gap is 1 / the rate read when the previous arrival went, so a change applies
   * from the next arrival. Ends after {@code duration}.
   */
  static ArrivalSchedule variable(java.util.function.DoubleSupplier rate, Duration duration) {
    long end = duration.toNanos();
    return new ArrivalSchedule() {
      double t;

      @Override
      public long nextOffsetNanos() {
        long at = Math.round(t);
        if (at >= end) return -1;
        double r = rate.getAsDouble();
        if (!(r > 0) || Double.isInfinite(r)) throw new IllegalStateException("rate: " + r + " is out of range; allowed: > 0");
        t += 1e9 / r;
        return at;
      }

      @Override
      public double requestedRate() {
        return rate.getAsDouble();
      }
    };
  }

  /** A Poisson process: exponential gaps of mean 1 / rate, seeded. */
  static ArrivalSchedule poisson(double rate, Duration duration, long seed) {
    long end = duration.toNanos();
    SplittableRandom rnd = new SplittableRandom(seed);
    return new ArrivalSchedule() {
      double t;

      @Override
      public long nextOffsetNanos() {
        long at = Math.round(t);
        if (at >= end) return -1;
        // 1 - U is in (0, 1]: the logarithm is finite
        t += -Math.log(1.0 - rnd.nextDouble()) / rate * 1e9;
        return at;
      }

      @Override
      public double requestedRate() {
        return rate;
      }
    };
  }

  /**
   * A rate ramping linearly from {@code from} to {@code to} over the duration: the i-th arrival is
   * where the integral of the rate reaches i.
   */
  static ArrivalSchedule ramp(double from, double to, Duration duration) {
    double d = duration.toNanos() / 1e9;
    double slope = (to - from) / d;
    return new ArrivalSchedule() {
      long i;

      @Override
      public long nextOffsetNanos() {
        // solve from*t + slope/2*t^2 = i for t
        double t = Math.abs(slope) < 1e-12 ? i / from : (-from + Math.sqrt(from * from + 2 * slope * i)) / slope;
        if (Double.isNaN(t) || t >= d) return -1;
        i++;
        return Math.round(t * 1e9);
      }

      @Override
      public double requestedRate() {
        return (from + to) / 2;
      }
    };
  }

  /** Replays recorded offsets (ms), scaled in time (2.0 = twice as slow). */
  static ArrivalSchedule trace(List<Long> offsetsMs, double timeScale) {
    double span = offsetsMs.isEmpty() ? 0 : offsetsMs.get(offsetsMs.size() - 1) * timeScale / 1000.0;
    return new ArrivalSchedule() {
      int i;

      @Override
      public long nextOffsetNanos() {
        if (i >= offsetsMs.size()) return -1;
        return Math.round(offsetsMs.get(i++) * timeScale * 1e6);
      }

      @Override
      public double requestedRate() {
        return span > 0 ? offsetsMs.size() / span : offsetsMs.size();
      }
    };
  }

  /** This schedule for {@code length}, then {@code next} shifted to start where this one ends. */
  default ArrivalSchedule then(Duration length, ArrivalSchedule next) {
    ArrivalSchedule first = this;
    long shift = length.toNanos();
    return new ArrivalSchedule() {
      boolean second;

      @Override
      public long nextOffsetNanos() {
        if (!second) {
          long t = first.nextOffsetNanos();
          if (t >= 0 && t < shift) return t;
          second = true;
        }
        long t = next.nextOffsetNanos();
        return t < 0 ? -1 : shift + t;
      }

      @Override
      public double requestedRate() {
        return next.requestedRate();
      }
    };
  }
}
