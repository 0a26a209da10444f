package io.llmload.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jspecify.annotations.Nullable;

/** One pass over a run folder's requests.jsonl into the phases' accumulators, timeline and window counts. */
final class RecordPass {
  private RecordPass() {}

  record Segmented(boolean found, long skipped, boolean tornTail) {}

  private record Part(Map<String, PhaseAccumulator> phases, Timeline timeline, WindowCounts windows, long skipped,
      boolean tornTail) {}

  /**
   * The declared phases' measured windows, in the order of {@code phases}, each cut at the start of
   * the next declared phase (by start time), so that no instant belongs to two windows.
   */
  static WindowCounts windows(java.util.Collection<PhaseAccumulator> phases) {
    List<PhaseAccumulator> declared = new ArrayList<>();
    for (PhaseAccumulator a : phases) if (a.declared) declared.add(a);
    List<PhaseAccumulator> byStart = new ArrayList<>(declared);
    byStart.sort(java.util.Comparator.comparingLong(PhaseAccumulator::windowStartUs));
    for (int i = 0; i + 1 < byStart.size(); i++) {
      PhaseAccumulator a = byStart.get(i);
      a.nextStartUs = Math.max(a.windowStartUs(), byStart.get(i + 1).windowStartUs());
    }
    long[] start = new long[declared.size()], end = new long[declared.size()];
    for (int i = 0; i < declared.size(); i++) {
      start[i] = declared.get(i).windowStartUs();
      end[i] = Math.max(start[i], declared.get(i).windowEndUs());
    }
    return new WindowCounts(start, end);
  }

  /**
   * Reads requests.jsonl in parts of a fixed size (64 MiB; fixed so that results do not depend on
   * the core count) on up to one thread per core, each into its own accumulators, then merges the
   * parts in file order.
   */
  static Segmented read(RunFolder f, Map<String, PhaseAccumulator> phases, Timeline timeline,
      WindowCounts windows, ReportOptions opts, @Nullable Double sloTtft, @Nullable Double sloTpot,
      @Nullable Double sloE2e) throws IOException {
    Path file = f.requests();
    if (!Files.exists(file)) return new Segmented(false, 0, false);
    String shard = Aggregator.folderName(f); // the generator, for records that do not name their shard
    List<long[]> segments = RequestLogReader.segments(file, opts.segmentBytes());
    int wanted = opts.parallelism() > 0 ? opts.parallelism()
        : f.declaredComplete ? Runtime.getRuntime().availableProcessors() : 1;
    int threads = Math.max(1, Math.min(wanted, segments.size()));
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "llmload-aggregate");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<Part>> parts = new ArrayList<>();
      for (int i = 0; i < segments.size(); i++) {
        long[] seg = segments.get(i);
        long seed = opts.sampleSeed() + 0x9E3779B97F4A7C15L * (i + 1);
        parts.add(pool.submit(() -> {
          Map<String, PhaseAccumulator> local = new LinkedHashMap<>();
          Timeline tl = new Timeline(timeline.t0Us, timeline.spanUs);
          WindowCounts wc = windows.emptyCopy();
          RequestLogReader reader = new RequestLogReader();
          reader.read(file, seg[0], seg[1], r -> {
            String name = f.phases.isEmpty() ? "all" : (r.phase == null ? "unphased" : r.phase);
            PhaseAccumulator a = local.get(name);
            if (a == null) local.put(name, a = new PhaseAccumulator(name, seed));
            if (r.shard == null) r.shard = shard;
            a.add(r, sloTtft, sloTpot, sloE2e);
            wc.add(r, sloTtft, sloTpot, sloE2e);
            tl.request(r.firstTokenUs(), r.instantUs(), r.ok(), r.outputTokens, r.ttftMs, r.e2eMs);
          });
          return new Part(local, tl, wc, reader.skippedLines(), reader.tornTail());
        }));
      }
      long skipped = 0;
      boolean torn = false;
      for (int i = 0; i < parts.size(); i++) {
        Part part = parts.get(i).get();
        parts.set(i, null); // merged parts can go
        for (PhaseAccumulator a : part.phases.values()) {
          SplittableRandom r = new SplittableRandom(opts.sampleSeed() ^ a.name.hashCode() ^ (31L * i + 7));
          phases.computeIfAbsent(a.name, n -> new PhaseAccumulator(n, opts.sampleSeed())).merge(a, r);
        }
        timeline.add(part.timeline);
        windows.merge(part.windows);
        skipped += part.skipped;
        torn = part.tornTail && i == parts.size() - 1;
      }
      return new Segmented(true, skipped, torn);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while reading " + file, e);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof IOException io) throw io;
      if (c instanceof RuntimeException re) throw re;
      throw new IOException(c);
    } finally {
      pool.shutdownNow();
    }
  }
}
