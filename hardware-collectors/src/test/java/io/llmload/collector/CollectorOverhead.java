package io.llmload.collector;

import com.sun.net.httpserver.HttpServer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Benchmark: runs a collector session at the default periods and prints the CPU time of its threads as
 * a percentage of one core. A main, not a unit test (it takes tens of seconds).
 *
 * <pre>
 * mvn -q -B test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.llmload.collector.CollectorOverhead -Dexec.args="60 --process java"
 * </pre>
 *
 * Options after the duration in seconds: {@code --process REGEX} (follow processes),
 * {@code --nvml PATH} (an NVML library, e.g. the test stub), {@code --no-scrape} (no Prometheus
 * endpoint; by default one in-process endpoint serves the real llama.cpp capture, and only the
 * scraping side is counted).
 */
public final class CollectorOverhead {

  private CollectorOverhead() {}

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    CollectorConfig cfg = CollectorConfig.defaults().withMode(CollectorConfig.Mode.ON);
    boolean scrape = true;
    for (int i = 1; i < args.length; i++) {
      switch (args[i]) {
        case "--process" -> cfg = cfg.withProcess(args[++i]);
        case "--nvml" -> cfg = cfg.withNvmlLibrary(args[++i]);
        case "--no-scrape" -> scrape = false;
        default -> throw new IllegalArgumentException(args[i] + ": unknown option");
      }
    }
    HttpServer prom = null;
    if (scrape) {
      byte[] body = Files.readAllBytes(Path.of("src", "test", "resources", "fixtures", "gpu", "nvidia-h100", "llamacpp-cuda",
          "metrics-c64.prom"));
      prom = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
      prom.createContext("/metrics", x -> {
        x.sendResponseHeaders(200, body.length);
        x.getResponseBody().write(body);
        x.close();
      });
      prom.start();
      cfg = cfg.withMetrics(List.of(URI.create("http://127.0.0.1:" + prom.getAddress().getPort() + "/metrics")));
    }
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    Path dir = Files.createTempDirectory("collector-overhead");
    CollectorSession s = CollectorSession.start(cfg, dir);
    long warmupMs = Math.min(5_000, seconds * 1000L / 4);
    Thread.sleep(warmupMs);
    Map<Long, Long> cpu0 = collectorCpu(mx);
    long wall0 = System.nanoTime();
    Thread.sleep(seconds * 1000L - warmupMs);
    Map<Long, Long> cpu1 = collectorCpu(mx);
    long wall = System.nanoTime() - wall0;
    Map<Long, String> names = new HashMap<>();
    for (ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
      if (t != null) {
        names.put(t.getThreadId(), t.getThreadName());
      }
    }
    s.close();
    if (prom != null) {
      prom.stop(0);
    }
    long used = 0;
    long total = 0;
    for (Map.Entry<Long, Long> e : cpu1.entrySet()) {
      used += e.getValue() - cpu0.getOrDefault(e.getKey(), 0L);
      total += e.getValue();
    }
    System.out.printf(Locale.ROOT, "collector threads: %d; steady state over %.1f s: %.3f %% of one core"
        + " (%.1f ms CPU); including start-up: %.1f ms CPU%n", cpu1.size(), wall / 1e9, 100.0 * used / wall,
        used / 1e6, total / 1e6);
    for (Map.Entry<Long, Long> e : cpu1.entrySet()) {
      long d = e.getValue() - cpu0.getOrDefault(e.getKey(), 0L);
      System.out.printf(Locale.ROOT, "  thread %-32s %.3f %% of one core%n", names.getOrDefault(e.getKey(), "?"),
          100.0 * d / wall);
    }
    for (SourceStatus st : s.statuses()) {
      System.out.printf(Locale.ROOT, "  %-13s %-11s period %5d ms  samples %6d%n", st.name(), st.status(),
          st.periodMs(), st.samples());
    }
    System.out.println("files in " + dir + ": "
        + Files.list(dir).map(p -> p.getFileName().toString()).sorted().toList());
  }

  private static Map<Long, Long> collectorCpu(ThreadMXBean mx) {
    Map<Long, Long> m = new HashMap<>();
    for (ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
      if (t != null && t.getThreadName().startsWith(SourceRunner.THREAD_PREFIX)) {
        long c = mx.getThreadCpuTime(t.getThreadId());
        if (c >= 0) {
          m.put(t.getThreadId(), c);
        }
      }
    }
    return m;
  }
}
