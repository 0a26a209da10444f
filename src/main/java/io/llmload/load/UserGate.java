package io.llmload.load;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The gate of a closed model whose width changes while the run goes on (a capacity search steers
 * it): a user may start while fewer than {@code width} are in flight. Narrowing it starts no new
 * user until enough have ended; widening it starts users at once (the load that runs the gate
 * listens). Thread-safe: the count is taken with a compare-and-set.
 */
public final class UserGate {
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicLong started = new AtomicLong();
  private volatile int width;
  private volatile boolean stopped;
  private volatile Runnable onChange = () -> {};

  private volatile int rampFrom;
  private volatile long rampStartNanos;
  private volatile long rampNanos;

  /** Users in flight from now on (0 holds every new user back). */
  public void width(int w) {
    width(w, java.time.Duration.ZERO);
  }

  /**
   * As {@link #width(int)}, a widening spread evenly over {@code ramp}: users started all at once
   * stay in step (they end together and start again together, so a batching server sees cohorts,
   * not the steady mix of a real closed load).
   */
  public void width(int w, java.time.Duration ramp) {
    if (w < 0) throw new IllegalArgumentException("width: " + w + " is out of range; allowed: >= 0");
    rampFrom = Math.min(inFlight.get(), w);
    rampStartNanos = System.nanoTime();
    rampNanos = ramp.toNanos();
    width = w;
    onChange.run();
  }

  /** The width now: during a ramp, part of the way from where it began. */
  public int width() {
    int w = width;
    long r = rampNanos;
    if (r <= 0) return w;
    double done = (System.nanoTime() - rampStartNanos) / (double) r;
    if (done >= 1) return w;
    return Math.max(rampFrom, (int) Math.floor(rampFrom + (w - rampFrom) * done));
  }

  /** True while a widening is still being spread. */
  public boolean ramping() {
    return rampNanos > 0 && System.nanoTime() - rampStartNanos < rampNanos && width() < width;
  }

  /** No user starts any more; the load ends when those in flight have. */
  public void stop() {
    stopped = true;
    onChange.run();
  }

  /** Called by the load that runs this gate when the width changes or the gate stops. */
  public void onChange(Runnable r) {
    onChange = r;
  }

  /** True when a user may start now: it has taken its slot and must {@link #release()} it. */
  public boolean tryTake() {
    while (true) {
      int n = inFlight.get();
      if (stopped || n >= width()) return false;
      if (inFlight.compareAndSet(n, n + 1)) {
        started.incrementAndGet();
        return true;
      }
    }
  }

  public void release() {
    inFlight.decrementAndGet();
  }

  /** Stopped and nothing in flight. */
  public boolean finished() {
    return stopped && inFlight.get() == 0;
  }

  public int inFlight() {
    return inFlight.get();
  }

  public long started() {
    return started.get();
  }
}
