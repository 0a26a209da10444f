package io.llmload.cluster;

import io.llmload.config.Durations;
import io.llmload.report.MergeShardsMain;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The merge job: waits until every one of the N shards has written its exit marker (or the wait
 * is over), names the shards that did not finish or failed, then merges the run folders there are
 * with {@link MergeShardsMain} into {@code merged/}, which names a missing shard again in the
 * result and exits 3 for an incomplete one. N is {@code -Dshards}, else the environment's
 * {@code SHARDS}.
 */
final class ShardsAwait {
  static final Duration DEFAULT_WAIT = Duration.ofMinutes(30);
  static final Duration POLL = Duration.ofSeconds(2);

  private ShardsAwait() {}

  static int run(Path results, List<String> args, Map<String, String> env, PrintStream out, PrintStream err)
      throws IOException, InterruptedException {
    Duration wait = DEFAULT_WAIT;
    List<String> mergeOptions = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      if (args.get(i).equals("--wait")) {
        if (i + 1 >= args.size()) {
          err.println("merge: --wait needs a duration (30m, 90s); " + ImageMain.USAGE);
          return 2;
        }
        try {
          wait = Durations.parse("--wait", args.get(++i));
        } catch (IllegalArgumentException e) {
          err.println("merge: " + e.getMessage());
          return 2;
        }
      } else {
        mergeOptions.add(args.get(i));
      }
    }
    String n = System.getProperty("shards", env.get("SHARDS"));
    if (n == null || !n.trim().matches("[1-9]\\d{0,5}")) {
      err.println("merge: shards: '" + n + "' is not a whole number >= 1 (set -Dshards or SHARDS to the Job's completions)");
      return 2;
    }
    int shards = Integer.parseInt(n.trim());
    List<String> absent = await(results, shards, wait, POLL);
    for (String a : absent) err.println("merge: shard " + a + " after waiting " + Durations.format(wait));
    List<String> mergeArgs = new ArrayList<>();
    for (int k = 0; k < shards; k++) {
      Path folder = runFolder(results.resolve("shard-" + k));
      if (folder != null) mergeArgs.add(folder.toString());
    }
    if (mergeArgs.isEmpty()) {
      err.println("merge: no shard left a run folder under " + results + "; nothing to merge");
      return 3;
    }
    mergeArgs.add("--out");
    mergeArgs.add(results.resolve("merged").toString());
    mergeArgs.addAll(mergeOptions);
    out.println("merge: " + (mergeArgs.size() - 2 - mergeOptions.size()) + " of " + shards + " shards' run folders");
    int code = MergeShardsMain.run(mergeArgs.toArray(String[]::new), out, err);
    // The merged report in the job's log: `kubectl logs job/llm-load-merge` reads the result.
    Path report = results.resolve("merged").resolve("report.md");
    if (Files.isRegularFile(report)) out.println(Files.readString(report, StandardCharsets.UTF_8));
    return code;
  }

  /**
   * Waits until shards 0 to n-1 have exit markers or {@code wait} is over; returns, for each shard
   * that has none or did not exit 0, what is wrong with it ({@code "2 has not finished"}).
   */
  static List<String> await(Path results, int n, Duration wait, Duration poll) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      List<String> unfinished = new ArrayList<>();
      for (int k = 0; k < n; k++) {
        if (!Files.exists(ShardRun.marker(results, String.valueOf(k)))) unfinished.add(String.valueOf(k));
      }
      if (unfinished.isEmpty() || System.nanoTime() >= deadline) {
        List<String> problems = new ArrayList<>();
        for (int k = 0; k < n; k++) {
          Path m = ShardRun.marker(results, String.valueOf(k));
          if (!Files.exists(m)) {
            problems.add(k + " has not finished (no " + m.getFileName() + ")");
          } else {
            String code = Files.readString(m, StandardCharsets.UTF_8).trim();
            if (!code.equals("0")) problems.add(k + " exited " + code);
          }
        }
        return problems;
      }
      Thread.sleep(Math.min(poll.toMillis(), Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
    }
  }

  /** The run folder a shard's LATEST names, or null. */
  static Path runFolder(Path shardDir) throws IOException {
    Path latest = shardDir.resolve("LATEST");
    if (!Files.isRegularFile(latest)) return null;
    Path run = shardDir.resolve(Files.readString(latest, StandardCharsets.UTF_8).trim());
    return Files.isDirectory(run) ? run : null;
  }
}
