package io.llmload.bench;

import io.llmload.metrics.LiveMetrics;
import io.llmload.record.LiveStats;
import io.llmload.record.RequestRecord;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;

/**
 * The live-metrics exporter's own CPU per token: one ended request of 300 tokens (five latencies and
 * 299 inter-token gaps) handed to {@link LiveMetrics#observe} repeatedly, on one thread, measured in
 * thread CPU time. Compare with the client's CPU per token from {@link LoadGeneratorBench}.
 *
 * <pre>
 * mvn -q -B test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.llmload.bench.MetricsObserveBench
 * </pre>
 */
public final class MetricsObserveBench {
  private MetricsObserveBench() {}

  public static void main(String[] args) {
    int tokens = 300;
    LiveMetrics m = new LiveMetrics("bench", new LiveStats());
    RequestRecord r = new RequestRecord();
    r.phase = "c1000";
    r.level = 1000.0;
    r.status = "ok";
    r.outputTokens = (long) tokens;
    r.ttftMs = 50.0;
    r.tpotMs = 33.0;
    r.e2eMs = 10_000.0;
    r.queueDelayMs = 0.1;
    r.itlEntries = tokens - 1;
    r.itlNanos = new long[tokens - 1];
    r.itlWeights = new int[tokens - 1];
    for (int i = 0; i < tokens - 1; i++) {
      r.itlNanos[i] = 30_000_000L + i * 1000L;
      r.itlWeights[i] = 1;
    }
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    int n = 20_000;
    for (int round = 0; round < 5; round++) {
      long cpu0 = mx.getCurrentThreadCpuTime();
      for (int i = 0; i < n; i++) m.observe(r);
      long cpu = mx.getCurrentThreadCpuTime() - cpu0;
      System.out.printf(Locale.ROOT, "round %d: %.1f us CPU per request, %.1f ns per token%n", round,
          cpu / 1e3 / n, (double) cpu / n / tokens);
    }
  }
}
