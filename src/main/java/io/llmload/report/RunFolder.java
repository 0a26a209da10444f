package io.llmload.report;

import io.llmload.collector.runfolder.FileNames;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** A run folder's run.json, read and checked; the record and hardware files are streamed later. */
final class RunFolder {

  static final int SUPPORTED_SCHEMA = 1;

  final Path dir;
  final JsonNode run;
  final List<PhaseWindow> phases;
  final boolean declaredComplete;
  final @Nullable Long startUs;
  final @Nullable Long endUs;

  private RunFolder(Path dir, JsonNode run, List<PhaseWindow> phases, @Nullable Long startUs, @Nullable Long endUs) {
    this.dir = dir;
    this.run = run;
    this.phases = phases;
    this.declaredComplete = run.path("complete").asBoolean(false);
    this.startUs = startUs;
    this.endUs = endUs;
  }

  /**
   * @throws IllegalArgumentException with a one-line reason when the folder is missing, is not a
   *     run folder, or its run.json is unreadable
   */
  static RunFolder open(Path dir, ObjectMapper json) {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("run folder " + dir + ": no such directory");
    }
    Path runJson = dir.resolve(FileNames.RUN);
    if (!Files.isRegularFile(runJson)) {
      throw new IllegalArgumentException(
          "run folder " + dir + ": not a run folder (no run.json; expected run.json and requests.jsonl)");
    }
    JsonNode run;
    try {
      run = json.readTree(runJson.toFile());
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "run folder " + dir + ": run.json is unreadable (" + oneLine(e.getMessage()) + ")");
    }
    if (run == null || !run.isObject()) {
      throw new IllegalArgumentException("run folder " + dir + ": run.json is not a JSON object");
    }
    int schema = run.path("schema").asInt(-1);
    if (schema < 1) {
      throw new IllegalArgumentException("run folder " + dir + ": run.json has no schema version");
    }
    // Later schema versions only add fields (docs/run-folder.md), so newer folders are still read.
    Long start = optLong(run.get("start_epoch_us"));
    Long end = optLong(run.get("end_epoch_us"));
    List<PhaseWindow> phases = new ArrayList<>();
    JsonNode ph = run.path("phases");
    if (ph.isArray()) {
      for (JsonNode p : ph) {
        Long ps = optLong(p.get("start_epoch_us"));
        Long pe = optLong(p.get("end_epoch_us"));
        String name = p.path("name").asText(null);
        if (name == null || ps == null || pe == null) {
          throw new IllegalArgumentException(
              "run folder " + dir + ": run.json phase without name, start_epoch_us or end_epoch_us");
        }
        Long w = optLong(p.get("warmup_end_epoch_us"));
        Double level = p.hasNonNull("level") && p.get("level").isNumber() ? p.get("level").asDouble() : null;
        phases.add(new PhaseWindow(name, level, ps, pe, w == null ? ps : w));
      }
    }
    return new RunFolder(dir, run, phases, start, end);
  }

  Path requests() {
    return dir.resolve(FileNames.REQUESTS);
  }

  Path hardware(String file) {
    return dir.resolve(FileNames.HARDWARE_DIR).resolve(file);
  }

  /** Prefix of a merged folder's per-shard hardware folders ({@code hardware/shard-0}, ...). */
  static final String SHARD_HARDWARE = "shard-";

  /**
   * The folders holding hardware files: {@code hardware/} itself, or for a folder merged from
   * shards, each shard's copy ({@code hardware/shard-i/}, in shard order).
   */
  List<Path> hardwareDirs() {
    Path hw = dir.resolve(FileNames.HARDWARE_DIR);
    List<Path> shards = new java.util.ArrayList<>();
    if (java.nio.file.Files.isDirectory(hw)) {
      try (java.util.stream.Stream<Path> s = java.nio.file.Files.list(hw)) {
        s.filter(p -> java.nio.file.Files.isDirectory(p) && p.getFileName().toString().startsWith(SHARD_HARDWARE))
            .sorted(java.util.Comparator.comparingInt(RunFolder::shardNumber)).forEach(shards::add);
      } catch (java.io.IOException e) {
        return List.of(hw);
      }
    }
    return shards.isEmpty() ? List.of(hw) : shards;
  }

  private static int shardNumber(Path p) {
    try {
      return Integer.parseInt(p.getFileName().toString().substring(SHARD_HARDWARE.length()));
    } catch (NumberFormatException e) {
      return Integer.MAX_VALUE;
    }
  }

  JsonNode field(String name) {
    JsonNode n = run.get(name);
    return n == null ? NullNode.getInstance() : n;
  }

  static @Nullable Long optLong(@Nullable JsonNode n) {
    return n != null && n.isNumber() ? n.asLong() : null;
  }

  static String oneLine(@Nullable String s) {
    if (s == null) return "unknown error";
    String t = s.replaceAll("\\s+", " ").trim();
    return t.length() > 200 ? t.substring(0, 200) + "…" : t;
  }
}
