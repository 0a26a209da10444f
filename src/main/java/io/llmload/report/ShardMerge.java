package io.llmload.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Makes one run folder of the run folders of a sharded load ({@code -Dshards=N}): their records
 * concatenated (each keeps its {@code shard}), one run.json whose phase levels are the sums of the
 * shards' shares, then the ordinary single-folder aggregation over it, so every figure of the
 * result (histograms, findings, SLO objectives, the gate) is computed from the merged records as
 * for one generator. A missing or cut-short shard is named and makes the result incomplete.
 */
final class ShardMerge {
  /**
   * Default largest spread of the shards' actual starts: a closed-model level's statistics leave
   * out its first second (the transition allowance), so a later start by up to that is not mixed
   * into the previous level.
   */
  static final Duration START_TOLERANCE = Duration.ofSeconds(1);

  /** Parameters that differ between the shards of one load by design. */
  private static final java.util.Set<String> PER_SHARD = java.util.Set.of("shard", "target", "model");

  private final ObjectMapper json = new ObjectMapper();

  /** What the merge found: the written run.json's shard section and the folders read. */
  record Result(ObjectNode shards, boolean complete) {}

  /**
   * @throws IllegalArgumentException one line: folders of different loads or configurations, a
   *     shard given twice, a start spread over the tolerance (unless {@code force})
   */
  Result merge(List<Path> dirs, Path out, Duration startTolerance, boolean force) throws IOException {
    if (dirs.isEmpty()) throw new IllegalArgumentException("merge: no shard run folder given");
    List<RunFolder> folders = new ArrayList<>();
    for (Path d : dirs) folders.add(RunFolder.open(d, json));
    Map<Integer, RunFolder> byIndex = new TreeMap<>();
    int count = -1;
    for (RunFolder f : folders) {
      JsonNode s = f.field("shard");
      String name = Aggregator.folderName(f);
      if (!s.path("count").canConvertToInt() || !s.path("index").canConvertToInt()) {
        throw new IllegalArgumentException("merge: " + name + " is not a shard's run folder (run.json has no shard"
            + " section; run each generator with -Dshards=N -Dshard=i)");
      }
      int n = s.path("count").asInt(), i = s.path("index").asInt();
      if (count >= 0 && n != count) {
        throw new IllegalArgumentException("merge: " + name + " is shard " + i + " of " + n + ", the others of "
            + count + " (shards of different loads)");
      }
      count = n;
      RunFolder dup = byIndex.put(i, f);
      if (dup != null) {
        throw new IllegalArgumentException("merge: shard " + i + " given twice (" + Aggregator.folderName(dup)
            + " and " + name + ")");
      }
    }
    List<String> differences = differences(folders);
    differences.addAll(MergeCheck.differences(folders));
    if (!differences.isEmpty() && !force) {
      throw new IllegalArgumentException("merge: not merged: " + differences.get(0)
          + (differences.size() > 1 ? " (and " + (differences.size() - 1) + " more)" : "") + "; pass --force to merge anyway");
    }
    long minStart = Long.MAX_VALUE, maxStart = Long.MIN_VALUE;
    for (RunFolder f : folders) {
      JsonNode a = f.field("shard").path("actual_start_epoch_us");
      // a shard with no share of the first phase starts with its first request, later: not a start
      boolean idleAtFirst = !f.phases.isEmpty() && f.phases.get(0).level() != null && f.phases.get(0).level() == 0;
      if (a.canConvertToLong() && !idleAtFirst) {
        minStart = Math.min(minStart, a.asLong());
        maxStart = Math.max(maxStart, a.asLong());
      }
    }
    long spreadUs = minStart == Long.MAX_VALUE ? 0 : maxStart - minStart;
    if (spreadUs > startTolerance.toNanos() / 1000) {
      String spread = String.format(java.util.Locale.ROOT, "the shards' actual starts spread over %.1f ms, more than"
          + " the tolerance of %d ms", spreadUs / 1000.0, startTolerance.toMillis());
      if (!force) {
        throw new IllegalArgumentException("merge: " + spread + " (it would blur the phase windows; start them with"
            + " one -DstartAt, or pass --force)");
      }
      differences.add(spread);
    }

    Files.createDirectories(out);
    List<Integer> missing = new ArrayList<>();
    for (int i = 0; i < count; i++) if (!byIndex.containsKey(i)) missing.add(i);
    List<String> incomplete = new ArrayList<>();
    try (OutputStream o = Files.newOutputStream(out.resolve(io.llmload.collector.runfolder.FileNames.REQUESTS))) {
      for (Map.Entry<Integer, RunFolder> e : byIndex.entrySet()) {
        boolean torn = copyWholeLines(e.getValue().requests(), o);
        if (torn || !e.getValue().declaredComplete) {
          incomplete.add(e.getKey() + " (" + Aggregator.folderName(e.getValue()) + ")");
        }
      }
    }
    Map<Integer, String> hardware = new TreeMap<>();
    for (Map.Entry<Integer, RunFolder> e : byIndex.entrySet()) {
      String copied = copyHardware(e.getValue(), out, e.getKey());
      if (copied != null) hardware.put(e.getKey(), copied);
    }
    boolean complete = missing.isEmpty() && incomplete.isEmpty();
    ObjectNode run = mergedRun(folders, out, complete);
    ObjectNode shards = run.putObject("shards");
    shards.put("count", count);
    ArrayNode list = shards.putArray("merged");
    byIndex.forEach((i, f) -> {
      ObjectNode s = list.addObject();
      s.put("index", i);
      s.put("folder", Aggregator.folderName(f));
      s.set("host", f.field("host"));
      s.set("actual_start_epoch_us", f.field("shard").path("actual_start_epoch_us"));
      s.put("complete", f.declaredComplete);
      s.put("hardware", hardware.get(i));
    });
    ArrayNode m = shards.putArray("missing");
    missing.forEach(m::add);
    ArrayNode inc = shards.putArray("incomplete");
    incomplete.forEach(inc::add);
    shards.put("start_spread_ms", spreadUs / 1000.0);
    shards.put("start_tolerance_ms", startTolerance.toMillis());
    ArrayNode forced = shards.putArray("forced");
    if (force) differences.forEach(forced::add);
    byte[] bytes = json.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(run);
    Aggregator.writeAtomically(out.resolve(io.llmload.collector.runfolder.FileNames.RUN), bytes);
    return new Result(shards, complete);
  }

  /** Differences in what was run: simulation, start, and every parameter but the shard's own. */
  private static List<String> differences(List<RunFolder> folders) {
    List<String> out = new ArrayList<>();
    RunFolder first = folders.get(0);
    for (RunFolder f : folders.subList(1, folders.size())) {
      String a = Aggregator.folderName(first), b = Aggregator.folderName(f);
      if (!Objects.equals(first.field("simulation").asText(null), f.field("simulation").asText(null))) {
        out.add(a + " and " + b + " differ in simulation");
      }
      if (!Objects.equals(first.field("shard").path("start_at_epoch_ms").asText(null),
          f.field("shard").path("start_at_epoch_ms").asText(null))) {
        out.add(a + " and " + b + " differ in startAt");
      }
      TreeSet<String> keys = new TreeSet<>();
      first.field("parameters").fieldNames().forEachRemaining(keys::add);
      f.field("parameters").fieldNames().forEachRemaining(keys::add);
      for (String k : keys) {
        if (PER_SHARD.contains(k)) continue;
        JsonNode x = first.field("parameters").get(k), y = f.field("parameters").get(k);
        if (!Objects.equals(x, y)) {
          out.add(a + " and " + b + " differ in parameter " + k + " (" + x + " vs " + y + ")");
        }
      }
    }
    return out;
  }

  /** The first shard's run.json with the run's whole span and each phase's summed level. */
  private ObjectNode mergedRun(List<RunFolder> folders, Path out, boolean complete) {
    ObjectNode run = ((ObjectNode) folders.get(0).run).deepCopy();
    run.put("run_folder", out.toAbsolutePath().normalize().getFileName().toString());
    Long start = null, end = null;
    boolean ended = true;
    Map<String, long[]> windows = new LinkedHashMap<>();
    Map<String, Double> levels = new LinkedHashMap<>();
    for (RunFolder f : folders) {
      if (f.startUs != null) start = start == null ? f.startUs : Math.min(start, f.startUs);
      if (f.endUs == null) ended = false;
      else end = end == null ? f.endUs : Math.max(end, f.endUs);
      for (PhaseWindow w : f.phases) {
        long[] span = windows.computeIfAbsent(w.name(), k -> new long[] {Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE});
        span[0] = Math.min(span[0], w.startEpochUs());
        span[1] = Math.max(span[1], w.endEpochUs());
        span[2] = Math.max(span[2], w.measuredStartUs());
        if (w.level() != null) levels.merge(w.name(), w.level(), Double::sum);
      }
    }
    run.put("start_epoch_us", start);
    if (ended && end != null) run.put("end_epoch_us", end);
    else run.putNull("end_epoch_us");
    ArrayNode phases = run.putArray("phases");
    windows.forEach((name, span) -> {
      ObjectNode p = phases.addObject();
      p.put("name", name);
      Double l = levels.get(name);
      // shares of a rate are fractions: their sum is rounded back to what was asked
      if (l == null) p.putNull("level");
      else if (Math.abs(l - Math.rint(l)) < 1e-9) p.put("level", (long) Math.rint(l));
      else p.put("level", Math.round(l * 1e9) / 1e9);
      p.put("start_epoch_us", span[0]);
      p.put("end_epoch_us", span[1]);
      p.put("warmup_end_epoch_us", span[2]);
    });
    run.remove("shard");
    JsonNode params = run.get("parameters");
    if (params instanceof ObjectNode o) o.remove("shard");
    run.put("complete", complete);
    return run;
  }

  /**
   * Copies a shard's hardware files (its collector's GPU, host, process and server series) to
   * {@code hardware/shard-i/} of the merged folder, as they are: the aggregation reads each copy
   * and tells GPUs apart by UUID ({@link HardwareReader#read}). Null when the shard has none.
   */
  private static String copyHardware(RunFolder f, Path out, int index) throws IOException {
    Path src = f.dir.resolve(io.llmload.collector.runfolder.FileNames.HARDWARE_DIR);
    if (!Files.isDirectory(src)) return null;
    String rel = io.llmload.collector.runfolder.FileNames.HARDWARE_DIR + "/" + RunFolder.SHARD_HARDWARE + index;
    boolean any = false;
    try (java.util.stream.Stream<Path> files = Files.list(src)) {
      for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
        Path dst = out.resolve(rel).resolve(p.getFileName().toString());
        Files.createDirectories(dst.getParent());
        Files.copy(p, dst, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        any = true;
      }
    }
    return any ? rel : null;
  }

  /** Copies the file's lines that end in a newline; true when a torn last line was left out. */
  private static boolean copyWholeLines(Path src, OutputStream o) throws IOException {
    if (!Files.isRegularFile(src)) return false;
    long size = Files.size(src);
    if (size == 0) return false;
    long keep = size;
    try (java.nio.channels.SeekableByteChannel ch = Files.newByteChannel(src)) {
      java.nio.ByteBuffer one = java.nio.ByteBuffer.allocate(1);
      while (keep > 0) {
        ch.position(keep - 1);
        one.clear();
        ch.read(one);
        if (one.get(0) == '\n') break;
        keep--;
      }
    }
    try (InputStream in = Files.newInputStream(src)) {
      byte[] buf = new byte[1 << 16];
      long left = keep;
      while (left > 0) {
        int n = in.read(buf, 0, (int) Math.min(buf.length, left));
        if (n < 0) break;
        o.write(buf, 0, n);
        left -= n;
      }
    }
    return keep < size;
  }

  /** The warnings a merged folder's run.json asks for: each missing or cut-short shard by name. */
  static List<String> warnings(RunFolder f) {
    List<String> out = new ArrayList<>();
    JsonNode s = f.field("shards");
    if (!s.isObject()) return out;
    int n = s.path("count").asInt();
    for (JsonNode m : s.path("missing")) {
      out.add("shard " + m.asText() + " of " + n + " is missing: the merged figures cover " + (n - s.path("missing").size())
          + " of " + n + " shards (INCOMPLETE)");
    }
    for (JsonNode m : s.path("incomplete")) {
      out.add("shard " + m.asText() + " did not end normally: its figures cover what it recorded (INCOMPLETE)");
    }
    for (JsonNode m : s.path("forced")) out.add("merged although " + m.asText() + " (forced)");
    return out;
  }
}
