package io.llmload.compare;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmload.gate.Gate;
import io.llmload.gate.GateInputException;
import io.llmload.gate.GateOptions;
import io.llmload.gate.GateReport;
import io.llmload.gate.GateResult;
import io.llmload.gate.SummaryFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compares two or more runs: {@code CompareMain <run folder or summary.json>... [--out DIR] [--baseline]}
 * writes compare.md, compare.html and compare-phases.csv into DIR (default {@code compare}). With
 * {@code --baseline} the first run is the baseline and the gate's verdict on each other run is shown.
 * Exit codes: 0 written, 2 bad input (one line on stderr).
 */
public final class CompareMain {
  static final String USAGE = "usage: CompareMain <run folder or summary.json> <another>... [--out DIR] [--baseline]";

  private CompareMain() {}

  public static void main(String[] args) {
    int rc = run(args, System.out, System.err);
    if (rc != 0) System.exit(rc);
  }

  /** The CLI without System.exit, for tests. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    List<Path> runs = new ArrayList<>();
    Path outDir = Path.of("compare");
    boolean baseline = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--out" -> {
          if (i + 1 >= args.length) {
            err.println("compare: --out needs a folder (" + USAGE + ")");
            return 2;
          }
          outDir = Path.of(args[++i]);
        }
        case "--baseline" -> baseline = true;
        case "-h", "--help" -> {
          out.println(USAGE);
          return 0;
        }
        default -> {
          if (args[i].startsWith("--")) {
            err.println("compare: unknown option " + args[i] + " (" + USAGE + ")");
            return 2;
          }
          runs.add(Path.of(args[i]));
        }
      }
    }
    try {
      RunSet set = RunSet.read(runs);
      Map<String, String> verdictMd = new LinkedHashMap<>();
      Map<String, String> verdictLines = new LinkedHashMap<>();
      if (baseline) verdicts(set, verdictMd, verdictLines);
      Files.createDirectories(outDir);
      write(outDir.resolve("compare.md"), CompareMarkdown.render(set, verdictMd));
      write(outDir.resolve("compare.html"), CompareHtml.render(set, verdictLines));
      List<String> labels = set.runs.stream().map(RunSet.Run::label).toList();
      List<JsonNode> summaries = set.runs.stream().map(RunSet.Run::summary).toList();
      write(outDir.resolve("compare-phases.csv"), PhaseCsv.of(labels, summaries));
      out.println("compare: " + outDir.resolve("compare.html"));
      return 0;
    } catch (IllegalArgumentException | GateInputException e) {
      err.println(e.getMessage().startsWith("compare") ? e.getMessage() : "compare: " + e.getMessage());
      return 2;
    } catch (IOException e) {
      err.println("compare: cannot write into " + outDir + ": " + e.getMessage());
      return 2;
    }
  }

  /** The gate's verdict on every run after the first, against the first. */
  private static void verdicts(RunSet set, Map<String, String> md, Map<String, String> lines) {
    RunSet.Run base = set.runs.get(0);
    GateOptions opts = GateOptions.fromSystemProperties();
    JsonNode b = SummaryFiles.readRun(base.source(), "baseline");
    for (RunSet.Run r : set.runs.subList(1, set.runs.size())) {
      try {
        GateResult g = Gate.compare(b, base.label(), SummaryFiles.readRun(r.source(), "current"), r.label(), opts);
        md.put(r.label(), GateReport.markdown(g));
        lines.put(r.label(), g.verdict().toString().toLowerCase(java.util.Locale.ROOT)
            + " (" + g.regressions().size() + " regression(s); see compare.md)");
      } catch (RuntimeException e) {
        // runs that the gate will not compare (other simulation, incomplete) are still shown side by side
        md.put(r.label(), "The gate did not compare this run: " + e.getMessage() + "\n");
        lines.put(r.label(), "not compared: " + e.getMessage());
      }
    }
  }

  private static void write(Path file, String text) throws IOException {
    Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
    Files.writeString(tmp, text, StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
