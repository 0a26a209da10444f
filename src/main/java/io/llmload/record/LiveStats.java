package io.llmload.record;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Counters the live console line reads while a run goes on. Writers (the actions, on Gatling's
 * threads) never block: adders, an atomic and an HdrHistogram {@link Recorder}.
 */
public final class LiveStats {
  private final AtomicInteger active = new AtomicInteger();
  private final LongAdder tokens = new LongAdder();
  private final LongAdder finished = new LongAdder();
  private final LongAdder failed = new LongAdder();
  /** TTFT in microseconds, 3 significant digits. */
  private final Recorder ttftMicros = new Recorder(3);

  /** A request was sent; returns the number in flight including it. */
  public int started() {
    return active.incrementAndGet();
  }

  /** Output chunks as they stream (the console's tokens/s); counted by the request's StreamState. */
  public LongAdder streamedTokens() {
    return tokens;
  }

  public void finished(boolean ok, double ttftMs) {
    active.decrementAndGet();
    finished.increment();
    if (!ok) failed.increment();
    if (ttftMs > 0 && !Double.isNaN(ttftMs)) {
      ttftMicros.recordValue(Math.max(1, Math.round(ttftMs * 1000)));
    }
  }

  public int active() {
    return active.get();
  }

  public long tokens() {
    return tokens.sum();
  }

  public long finished() {
    return finished.sum();
  }

  public long failed() {
    return failed.sum();
  }

  /** TTFT values since the last call; pass the previous result back to recycle it. */
  public Histogram ttftInterval(Histogram recycle) {
    return ttftMicros.getIntervalHistogram(recycle);
  }
}
