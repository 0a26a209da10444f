package io.llmload.cluster;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The container image's entry point. {@code [shard] -Dname=value...} runs one shard of a simulation
 * in a child JVM ({@link ShardRun}); {@code merge [--wait 30m] [MergeShardsMain options]} waits for
 * every shard's exit marker and merges their run folders ({@link ShardsAwait}). Both find their
 * folders under {@code llmload.resultsDir} (default {@code /results}): {@code shard-<k>/} and
 * {@code shard-<k>.exit} for shard k, {@code merged/} for the merge.
 */
public final class ImageMain {
  static final String USAGE = "usage: [shard] [-Dname=value...] | merge [--wait 30m] [--force]"
      + " [--start-tolerance 1s] [--baseline RUN_FOLDER|summary.json]";
  static final String DEFAULT_RESULTS = "/results";

  private ImageMain() {}

  public static void main(String[] args) throws Exception {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
    List<String> props = new ArrayList<>();
    List<String> rest = new ArrayList<>();
    for (String a : args) {
      if (a.startsWith("-D")) {
        int eq = a.indexOf('=');
        if (eq < 3) {
          err.println("llm-load-suite image: '" + a + "' is not a -Dname=value property; " + USAGE);
          return 2;
        }
        // Seen here too: the results folder, the shard and the simulation choose this JVM's work.
        System.setProperty(a.substring(2, eq), a.substring(eq + 1));
        props.add(a);
      } else {
        rest.add(a);
      }
    }
    Path results = Path.of(System.getProperty("llmload.resultsDir", DEFAULT_RESULTS));
    String mode = rest.isEmpty() ? "shard" : rest.remove(0);
    return switch (mode) {
      case "shard" -> rest.isEmpty() ? ShardRun.run(results, props, System.getenv()) : unknown(rest.get(0), err);
      case "merge" -> ShardsAwait.run(results, rest, System.getenv(), out, err);
      case "-h", "--help" -> {
        out.println(USAGE);
        yield 0;
      }
      default -> unknown(mode, err);
    };
  }

  private static int unknown(String word, PrintStream err) {
    err.println("llm-load-suite image: unknown command or option '" + word + "'; " + USAGE);
    return 2;
  }
}
