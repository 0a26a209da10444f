package io.llmload.sim;

import io.llmload.record.LiveStats;
import io.llmload.record.Phase;
import io.llmload.record.RunContext;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * One line every few seconds while a run goes on: elapsed time, phase, streams in flight, output
 * tokens/s over the last interval, TTFT p95 so far, failures. Gatling's own console says nothing
 * about tokens.
 */
final class LiveConsole implements AutoCloseable {
  private final RunContext ctx;
  private final PrintStream out;
  private final long startNanos = System.nanoTime();
  private final ScheduledExecutorService timer;
  private final Histogram ttftSoFar = new Histogram(3);
  private Histogram interval;
  private long lastTokens;
  private long lastNanos = startNanos;

  LiveConsole(RunContext ctx, Duration period, PrintStream out) {
    this.ctx = ctx;
    this.out = out;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "llm-live-console");
              t.setDaemon(true);
              return t;
            });
    long ms = period.toMillis();
    timer.scheduleAtFixedRate(this::print, ms, ms, TimeUnit.MILLISECONDS);
  }

  private void print() {
    try {
      out.println(line());
      out.flush();
    } catch (RuntimeException e) {
      // a console problem must never touch the run
    }
  }

  String line() {
    LiveStats live = ctx.live();
    long now = System.nanoTime();
    interval = live.ttftInterval(interval);
    ttftSoFar.add(interval);
    long tokens = live.tokens();
    double secs = Math.max(1e-9, (now - lastNanos) / 1e9);
    double tps = (tokens - lastTokens) / secs;
    lastTokens = tokens;
    lastNanos = now;
    long elapsed = (now - startNanos) / 1_000_000_000L;
    Phase ph = ctx.phaseAt(io.llmload.record.Epoch.nowUs());
    String p95 = ttftSoFar.getTotalCount() == 0 ? "-" : String.format(Locale.ROOT, "%.0f ms", ttftSoFar.getValueAtPercentile(95) / 1000.0);
    return String.format(
        Locale.ROOT,
        "[llm] %02d:%02d phase %s | active %d | %.0f output chunks/s | TTFT p95 %s | done %d, failed %d",
        elapsed / 60,
        elapsed % 60,
        ph == null ? "-" : ph.name(),
        live.active(),
        tps,
        p95,
        live.finished(),
        live.failed());
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
