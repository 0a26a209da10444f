package io.llmload.gate;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Runs the gate alone on two existing runs:
 * {@code GateMain --baseline <run folder|summary.json> --current <run folder|summary.json> [--out DIR]}.
 * Exit 0 unchanged or improved, 1 regressed, 2 bad input, 3 inconclusive (0 with
 * --allow-inconclusive). Options also come from -Dgate.* properties; flags win.
 */
public final class GateMain {
  private static final String USAGE = "usage: GateMain --baseline <run folder|summary.json>"
      + " --current <run folder|summary.json> [--out DIR] [--force] [--allow-inconclusive]"
      + " [--tolerance METRIC=10%]... [--config FILE]";

  private GateMain() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** The command without {@link System#exit}: returns the exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    Path baseline = null;
    Path current = null;
    Path outDir = null;
    Properties props = new Properties();
    props.putAll(System.getProperties());
    try {
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        switch (a) {
          case "--baseline" -> baseline = Path.of(value(args, ++i, a));
          case "--current" -> current = Path.of(value(args, ++i, a));
          case "--out" -> outDir = Path.of(value(args, ++i, a));
          case "--force" -> props.setProperty("gate.force", "true");
          case "--allow-inconclusive" -> props.setProperty("gate.allowInconclusive", "true");
          case "--config" -> props.setProperty("gate.config", value(args, ++i, a));
          case "--tolerance" -> {
            String t = value(args, ++i, a);
            int eq = t.indexOf('=');
            if (eq <= 0) {
              throw new GateInputException("--tolerance " + t + ": expected METRIC=VALUE, e.g. tpot_p50=5%");
            }
            props.setProperty("gate.tolerance." + t.substring(0, eq), t.substring(eq + 1));
          }
          case "--help", "-h" -> {
            out.println(USAGE);
            return ExitCodes.OK;
          }
          default -> throw new GateInputException("unknown argument '" + a + "'; " + USAGE);
        }
      }
      if (baseline == null || current == null) {
        throw new GateInputException("--baseline and --current are required; " + USAGE);
      }
      GateOptions opts = GateOptions.fromProperties(props);
      JsonNode b = SummaryFiles.readRun(baseline, "baseline");
      JsonNode c = SummaryFiles.readRun(current, "current");
      GateResult result = Gate.compare(b, BaselineStore.history(baseline), SummaryFiles.label(baseline), c,
          SummaryFiles.label(current), opts);
      Path dir = outDir != null ? outDir
          : Files.isDirectory(current) ? current : current.toAbsolutePath().getParent();
      GateReport.writeAll(result, dir);
      GateReport.console(result, out);
      out.println("gate: wrote " + dir.resolve(GateReport.MARKDOWN) + ", " + GateReport.JUNIT + ", " + GateReport.JSON);
      return result.exitCode();
    } catch (GateInputException e) {
      err.println("gate: error: " + e.getMessage());
      return ExitCodes.BAD_INPUT;
    } catch (IOException e) {
      err.println("gate: error: cannot write the verdict: " + GateOptions.oneLine(e.getMessage()));
      return ExitCodes.BAD_INPUT;
    }
  }

  private static String value(String[] args, int i, String flag) {
    if (i >= args.length || args[i].startsWith("--")) {
      throw new GateInputException(flag + " needs a value; " + USAGE);
    }
    return args[i];
  }
}
