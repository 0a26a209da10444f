package io.llmload.report;

import io.llmload.collector.runfolder.SummaryJson;
import io.llmload.collector.runfolder.FileNames;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code AggregateMain <run folder>... [--out DIR] [--force]}: aggregates one run folder in place, or
 * several merged into DIR (default: the first folder); folders of different model, protocol,
 * max_tokens or SLO are refused unless {@code --force}. SLO and energy price come from -D properties
 * ({@link ReportOptions#fromSystemProperties()}). Exit 0 on success, 2 on bad input, 1 on I/O failure.
 */
public final class AggregateMain {
  private AggregateMain() {}

  public static void main(String[] args) {
    int rc = run(args, System.out, System.err);
    if (rc != 0) System.exit(rc);
  }

  /** The CLI without System.exit, for tests. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    List<Path> folders = new ArrayList<>();
    Path outDir = null;
    boolean force = false;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--out")) {
        if (i + 1 >= args.length) {
          err.println("aggregate: --out needs a folder");
          return 2;
        }
        outDir = Path.of(args[++i]);
      } else if (a.equals("--force")) {
        force = true;
      } else if (a.equals("-h") || a.equals("--help")) {
        out.println("usage: AggregateMain <run folder>... [--out DIR] [--force]   (-Dslo.ttft=2s -Dslo.tpot=50ms"
            + " -Denergy.price=0.30 -Denergy.currency=EUR)");
        return 0;
      } else if (a.startsWith("--")) {
        err.println("aggregate: unknown option " + a + " (allowed: --out DIR, --force)");
        return 2;
      } else if (!a.isBlank()) {
        folders.add(Path.of(a));
      }
    }
    if (folders.isEmpty()) {
      err.println("aggregate: no run folder given (usage: AggregateMain <run folder>... [--out DIR])");
      return 2;
    }
    if (outDir == null) outDir = folders.get(0);
    try {
      ReportOptions opts = ReportOptions.fromSystemProperties();
      JsonNode s = Aggregator.aggregate(folders, outDir, opts, force);
      out.println("aggregate: wrote " + outDir.resolve(FileNames.SUMMARY) + ", report.md, report.html ("
          + s.path(SummaryJson.PHASES).size() + " phase(s)" + (s.path(SummaryJson.COMPLETE).asBoolean() ? "" : ", INCOMPLETE run") + ")");
      for (JsonNode t : s.path(SummaryJson.FINDINGS).path(SummaryJson.Findings.TEXT)) out.println("  " + t.asText());
      return 0;
    } catch (IllegalArgumentException e) {
      err.println("aggregate: " + RunFolder.oneLine(e.getMessage()));
      return 2;
    } catch (Exception e) {
      err.println("aggregate: failed: " + RunFolder.oneLine(String.valueOf(e.getMessage())));
      return 1;
    }
  }
}
