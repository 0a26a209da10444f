package io.llmload.report;

import io.llmload.collector.runfolder.SummaryJson;
import com.fasterxml.jackson.databind.JsonNode;
import io.llmload.config.Durations;
import io.llmload.gate.ExitCodes;
import io.llmload.gate.GateMain;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code MergeShardsMain <shard run folder>... --out DIR [--force] [--start-tolerance 500ms]
 * [--baseline RUN]}: one run folder from the shards of one load, aggregated (summary.json,
 * report.md, report.html, charts, findings, SLO objectives) and, with {@code --baseline}, gated.
 * Exit 0 when merged (and the gate passed), the gate's code otherwise, 4 when the simulation's
 * Gatling assertions fail over the merged records (and the gate, if any, passed), 3 when a shard is
 * missing or cut short (the result is written, marked incomplete), 2 on bad input, 1 on I/O failure.
 */
public final class MergeShardsMain {
  static final String USAGE = "usage: MergeShardsMain <shard run folder>... --out DIR [--force]"
      + " [--start-tolerance 500ms] [--baseline RUN_FOLDER|summary.json]";

  /** The simulation's Gatling assertions, judged over all shards' records, did not all hold. */
  static final int ASSERTIONS_FAILED = 4;

  private MergeShardsMain() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** The command without System.exit, for tests. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    List<Path> folders = new ArrayList<>();
    Path outDir = null;
    Path baseline = null;
    boolean force = false;
    Duration tolerance = ShardMerge.START_TOLERANCE;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      boolean hasValue = i + 1 < args.length && !args[i + 1].startsWith("--");
      switch (a) {
        case "--force" -> force = true;
        case "--out", "--baseline", "--start-tolerance" -> {
          if (!hasValue) {
            err.println("merge: " + a + " needs a value; " + USAGE);
            return ExitCodes.BAD_INPUT;
          }
          String v = args[++i];
          if (a.equals("--out")) outDir = Path.of(v);
          else if (a.equals("--baseline")) baseline = Path.of(v);
          else {
            try {
              tolerance = Durations.parse("--start-tolerance", v);
            } catch (IllegalArgumentException e) {
              err.println("merge: " + RunFolder.oneLine(e.getMessage()));
              return ExitCodes.BAD_INPUT;
            }
          }
        }
        case "-h", "--help" -> {
          out.println(USAGE);
          return ExitCodes.OK;
        }
        default -> {
          if (a.startsWith("--")) {
            err.println("merge: unknown option " + a + "; " + USAGE);
            return ExitCodes.BAD_INPUT;
          }
          folders.add(Path.of(a));
        }
      }
    }
    if (folders.isEmpty() || outDir == null) {
      err.println("merge: shard run folders and --out DIR are required; " + USAGE);
      return ExitCodes.BAD_INPUT;
    }
    ShardMerge.Result merged;
    JsonNode summary;
    try {
      merged = new ShardMerge().merge(folders, outDir, tolerance, force);
      summary = Aggregator.aggregate(List.of(outDir), outDir, ReportOptions.fromSystemProperties());
    } catch (IllegalArgumentException e) {
      err.println(RunFolder.oneLine(e.getMessage()));
      return ExitCodes.BAD_INPUT;
    } catch (Exception e) {
      err.println("merge: failed: " + RunFolder.oneLine(String.valueOf(e.getMessage())));
      return 1;
    }
    out.println("merge: " + merged.shards().path("merged").size() + " of " + merged.shards().path("count").asInt()
        + " shards into " + outDir + " (start spread " + merged.shards().path("start_spread_ms").asDouble() + " ms)"
        + (merged.complete() ? "" : ", INCOMPLETE"));
    for (JsonNode w : summary.path("warnings")) out.println("  warning: " + w.asText());
    for (JsonNode t : summary.path(SummaryJson.FINDINGS).path(SummaryJson.Findings.TEXT)) out.println("  " + t.asText());
    JsonNode asserted = summary.path(io.llmload.collector.runfolder.SummaryJson.ASSERTIONS);
    boolean assertionsFailed = asserted.isObject() && !io.llmload.collector.runfolder.AssertionsJson.PASSED.equals(asserted.path(io.llmload.collector.runfolder.AssertionsJson.VERDICT).asText());
    if (asserted.isObject()) {
      out.println("merge: Gatling assertions over all shards: " + asserted.path(io.llmload.collector.runfolder.AssertionsJson.VERDICT).asText().toUpperCase(java.util.Locale.ROOT));
      for (JsonNode r : asserted.path("results")) out.println("  " + AssertionJudge.text(r));
    }
    if (!merged.complete()) {
      out.println("merge: INCOMPLETE: missing shard(s) " + merged.shards().path("missing")
          + ", cut short " + merged.shards().path("incomplete") + "; not gated");
      return ExitCodes.INCONCLUSIVE;
    }
    int gated = baseline == null ? ExitCodes.OK
        : GateMain.run(new String[] {"--baseline", baseline.toString(), "--current", outDir.toString()}, out, err);
    return gated != ExitCodes.OK ? gated : assertionsFailed ? ASSERTIONS_FAILED : ExitCodes.OK;
  }
}
