package io.llmload.report;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Writes a SYNTHETIC run folder of N request records (default 1,000,000; seven concurrency levels,
 * GPU samples every second) into a temp folder, then times {@link Aggregator#aggregate} over it
 * and prints the wall time, the peak heap (the heap pools' peaks added up: mostly the young
 * generation G1 chose to size, so it varies from run to run with the same code) and the largest heap
 * left after a collection (what the aggregation holds, which does not depend on G1's sizing). Run it with -Xmx512m (docs/performance-aggregator.md).
 */
public final class AggregatorBenchmark {
  private AggregatorBenchmark() {}

  public static void main(String[] args) throws Exception {
    long n = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000L;
    // A second argument names a folder to keep (and reuse when it already holds the records).
    boolean keep = args.length > 1;
    Path dir = keep ? Path.of(args[1]) : Files.createTempDirectory("llmload-bench");
    try {
      SyntheticRun s = new SyntheticRun();
      s.levels = new int[] {1, 2, 4, 8, 16, 32, 64};
      s.targetRecords = n;
      s.failShare = 0.01;
      // A third argument "gaps" writes definitions-2 records with an itl_hist each (issue #13).
      s.gapHistograms = args.length > 2 && "gaps".equals(args[2]);
      Path run = dir.resolve("bench-run");
      if (Files.exists(run.resolve("requests.jsonl"))) {
        try (Stream<String> lines = Files.lines(run.resolve("requests.jsonl"))) {
          s.records = lines.count();
        }
      } else {
        long g0 = System.nanoTime();
        s.write(run);
        System.out.printf(Locale.ROOT, "generated %,d records (%,d MB requests.jsonl) in %.1f s%n", s.records,
            Files.size(run.resolve("requests.jsonl")) >> 20, (System.nanoTime() - g0) / 1e9);
      }

      System.out.printf(Locale.ROOT, "load average before: %.1f on %d CPUs%n",
          ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), Runtime.getRuntime().availableProcessors());
      System.gc();
      List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
          .filter(p -> p.getType() == MemoryType.HEAP).toList();
      heap.forEach(MemoryPoolMXBean::resetPeakUsage);
      HeapAfterGc afterGc = HeapAfterGc.start();
      long t0 = System.nanoTime();
      com.sun.management.OperatingSystemMXBean os =
          (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      long cpu0 = os.getProcessCpuTime();
      Aggregator.aggregate(List.of(run), run, ReportOptions.defaults());
      double seconds = (System.nanoTime() - t0) / 1e9;
      double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
      long peak = heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
      long max = Runtime.getRuntime().maxMemory();
      System.out.printf(Locale.ROOT, "aggregated %,d records in %.2f s wall, %.2f s CPU (process, all threads)"
          + " (%.0f records/s wall)%n", s.records, seconds, cpu, s.records / seconds);
      System.out.printf(Locale.ROOT, "peak heap %.1f MiB (sum of heap pool peaks) of max %.0f MiB%n",
          peak / 1048576.0, max / 1048576.0);
      StringBuilder pools = new StringBuilder();
      for (MemoryPoolMXBean p : heap) {
        pools.append(pools.length() == 0 ? "" : ", ").append(p.getName())
            .append(String.format(Locale.ROOT, " %.1f", p.getPeakUsage().getUsed() / 1048576.0));
      }
      System.out.println("  of which (MiB): " + pools);
      afterGc.stop();
      System.out.printf(Locale.ROOT, "heap after GC: at most %.1f MiB over %d collections during the aggregation"
          + " (what it keeps, plus old garbage not collected yet)%n", afterGc.maxBytes() / 1048576.0, afterGc.collections());
      // Reading and parsing alone (after the timed run, which thus ran cold), single-threaded.
      long r0 = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
      long[] seen = {0};
      new RequestLogReader().read(run.resolve("requests.jsonl"), r -> seen[0]++);
      System.out.printf(Locale.ROOT, "parse only: %,d records, %.2f s CPU%n", seen[0],
          (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - r0) / 1e9);

      System.out.printf(Locale.ROOT, "summary.json %,d KB, report.html %,d KB%n",
          Files.size(run.resolve("summary.json")) >> 10, Files.size(run.resolve("report.html")) >> 10);
    } finally {
      if (!keep) {
        try (Stream<Path> w = Files.walk(dir)) {
          w.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    }
  }
}
