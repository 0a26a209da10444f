package io.llmload.gate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The gate inside {@code mvn gatling:test -Dbaseline=...}: a simulation's {@code after()} calls
 * {@link #afterRun(Path)} with its run folder once summary.json is written.
 *
 * <p>Gatling sets its exit code from assertions only, and an exception thrown from
 * {@code after()} stops Gatling before it writes the HTML report. So this never throws: it
 * writes the verdict files, and when the gate fails it registers a JVM shutdown hook that calls
 * {@link Runtime#halt(int)} with the gate's exit code. Gatling's main ends with
 * {@code System.exit} after the report is written; the hook then replaces that status, the forked
 * JVM exits non-zero and the Maven plugin fails the build (verified with Gatling 3.15.1 and
 * gatling-maven-plugin 4.21.12, docs/gate.md).
 */
public final class GateHook {
  private static final AtomicInteger PENDING_EXIT = new AtomicInteger(0);
  private static volatile boolean hookInstalled;

  private GateHook() {}

  /** {@link #afterRun(Path, Properties, PrintStream)} with the system properties and stdout. */
  public static int afterRun(Path runFolder) {
    return afterRun(runFolder, System.getProperties(), System.out);
  }

  /**
   * Gates the run in {@code runFolder} against {@code -Dbaseline} (a run folder or summary.json)
   * and writes verdict.json, verdict.md and junit-gate.xml there; with {@code -DupdateBaseline=PATH}
   * copies the run's summary.json to PATH (a file when PATH ends in .json, else a folder, created
   * if needed, to hold summary.json) when there was no baseline yet or the run passed the gate
   * (unchanged or improved), or when {@code -DupdateBaseline.force=true}. With PATH holding a
   * baseline and no {@code -Dbaseline}, the run is gated against PATH. Does nothing without
   * either property. Returns the gate's exit code and, when it is not 0, arranges
   * for the JVM to exit with it. Never throws.
   */
  public static int afterRun(Path runFolder, Properties props, PrintStream out) {
    int code = run(runFolder, props, out);
    if (code != ExitCodes.OK) {
      exitWithAtShutdown(code, out);
    }
    return code;
  }

  /** The work of {@link #afterRun(Path, Properties, PrintStream)} without touching the JVM's exit. */
  static int run(Path runFolder, Properties props, PrintStream out) {
    String baseline = trimmed(props.getProperty("baseline"));
    String update = trimmed(props.getProperty("updateBaseline"));
    if (baseline == null && update == null) {
      return ExitCodes.OK;
    }
    boolean force;
    @Nullable Path store;
    @Nullable Path against;
    @Nullable Path confirms;
    GateOptions opts;
    try {
      opts = GateOptions.fromProperties(props);
      force = forceUpdate(props);
      store = update == null ? null : BaselineStore.file(Path.of(update));
      against = baseline != null ? Path.of(baseline) : null;
      String c = trimmed(props.getProperty("confirmRun"));
      confirms = c == null ? null : Path.of(c);
    } catch (GateInputException | java.nio.file.InvalidPathException e) {
      String msg = GateOptions.oneLine(e.getMessage());
      out.println("gate: error: " + msg);
      writeError(runFolder, msg, out);
      return ExitCodes.BAD_INPUT;
    }
    boolean existed = store != null && Files.exists(store);
    if (against == null && existed && !force) {
      // replacing a baseline needs a verdict against it: a rolling baseline names one path once
      out.println("gate: -DupdateBaseline=" + update + " holds a baseline and no -Dbaseline was given: gating against it");
      against = store;
    }
    if (confirms != null && against == null) {
      String msg = "confirmRun=" + confirms + ": a confirmation run needs the baseline the first run was gated against"
          + " (-Dbaseline or a -DupdateBaseline store that holds one)";
      out.println("gate: error: " + msg);
      writeError(runFolder, msg, out);
      return ExitCodes.BAD_INPUT;
    }
    int code = ExitCodes.OK;
    @Nullable Verdict verdict = null;
    if (against != null) {
      GateResult result = gate(runFolder, against, opts, out);
      // the store's rule looks at this run's own verdict: an unconfirmed regression still did not pass
      verdict = result == null ? null : result.verdict();
      code = result == null ? ExitCodes.BAD_INPUT
          : confirms == null ? result.exitCode() : confirmedCode(runFolder, result, confirms, out);
    }
    if (store == null) {
      return code;
    }
    String refusal = refusal(against, verdict, force);
    if (refusal != null) {
      out.println("gate: baseline not updated (" + store + "): " + refusal
          + "; pass -DupdateBaseline.force=true to replace it anyway");
      return code;
    }
    try {
      Path target = BaselineStore.write(runFolder, store, opts.history(), force);
      out.println("gate: baseline " + (!existed ? "written (there was none)" : force ? "replaced (forced)" : "updated")
          + ": " + target);
    } catch (GateInputException | IOException e) {
      out.println("gate: error: -DupdateBaseline=" + update + ": " + GateOptions.oneLine(e.getMessage()));
      code = Math.max(code, ExitCodes.BAD_INPUT);
    }
    return code;
  }

  /**
   * Why this run must not become the baseline, or null when it may: only a run that passed
   * replaces one (a regressed run would make the regression the norm, an inconclusive one was not
   * shown to be as good); with no baseline to gate against, the first run writes one.
   */
  static @Nullable String refusal(@Nullable Path against, @Nullable Verdict verdict, boolean force) {
    if (force || against == null) {
      return null;
    }
    if (verdict == null) {
      return "the gate could not compare the run with its baseline";
    }
    return switch (verdict) {
      case UNCHANGED, IMPROVED -> null;
      case REGRESSED -> "the run regressed";
      case INCONCLUSIVE -> "the run was inconclusive";
    };
  }

  /** {@code -DupdateBaseline.force}, read as the simulations read a boolean (Params.bool). */
  private static boolean forceUpdate(Properties props) {
    String v = props.getProperty("updateBaseline.force");
    if (v == null) {
      return false;
    }
    String t = v.trim().toLowerCase(java.util.Locale.ROOT);
    if (t.isEmpty() || t.equals("true") || t.equals("yes") || t.equals("1")) {
      return true;
    }
    if (t.equals("false") || t.equals("no") || t.equals("0")) {
      return false;
    }
    throw new GateInputException("updateBaseline.force=" + v.trim() + ": expected true or false");
  }

  /**
   * With {@code -DconfirmRun=FIRST}: this run confirms (or not) the regression FIRST reported
   * ({@link Confirmation}); its verdict files say the combined verdict, whose exit code is returned.
   */
  private static int confirmedCode(Path runFolder, GateResult own, Path first, PrintStream out) {
    try {
      Confirmation c = ConfirmationReport.read(first, own);
      ConfirmationReport.writeAll(c, runFolder);
      GateResult combined = c.result();
      out.println("gate: confirmation run (" + Confirmation.RULE + "): " + c.reason());
      out.println("gate: verdict after confirmation " + combined.verdict().label() + ", exit code " + combined.exitCode());
      return combined.exitCode();
    } catch (IOException | RuntimeException e) {
      String msg = GateOptions.oneLine(e.getMessage());
      out.println("gate: error: " + msg);
      writeError(runFolder, msg, out);
      return ExitCodes.BAD_INPUT;
    }
  }

  /** The gate's result, its files written; null (error files written) when it could not compare. */
  private static @Nullable GateResult gate(Path runFolder, Path baseline, GateOptions opts, PrintStream out) {
    try {
      JsonNode b = SummaryFiles.readRun(baseline, "baseline");
      JsonNode c = SummaryFiles.readRun(runFolder, "current");
      GateResult result = Gate.compare(b, BaselineStore.history(baseline), SummaryFiles.label(baseline), c,
          SummaryFiles.label(runFolder), opts);
      GateReport.writeAll(result, runFolder);
      GateReport.console(result, out);
      return result;
    } catch (GateInputException e) {
      out.println("gate: error: " + e.getMessage());
      writeError(runFolder, e.getMessage(), out);
      return null;
    } catch (IOException | RuntimeException e) {
      // anything unexpected still must not escape after() (it would cost the HTML report)
      String msg = e.getClass().getSimpleName() + ": " + GateOptions.oneLine(e.getMessage());
      out.println("gate: error: " + msg);
      writeError(runFolder, msg, out);
      return null;
    }
  }

  /** A verdict.json and junit-gate.xml that say "error", so a CI page shows why the job failed. */
  static void writeError(Path runFolder, String message, PrintStream out) {
    try {
      if (!Files.isDirectory(runFolder)) {
        return;
      }
      ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
      ObjectNode root = mapper.createObjectNode();
      root.put("schema", 1);
      root.put("verdict", "error");
      root.put("exit_code", ExitCodes.BAD_INPUT);
      root.put("error", message);
      Files.writeString(runFolder.resolve(GateReport.JSON), mapper.writeValueAsString(root) + "\n",
          StandardCharsets.UTF_8);
      Files.writeString(runFolder.resolve(GateReport.MARKDOWN),
          "## Regression gate: error\n\n" + GateReport.cell(message) + "\n", StandardCharsets.UTF_8);
      Files.writeString(runFolder.resolve(GateReport.JUNIT),
          "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
              + "<testsuite name=\"regression-gate\" tests=\"1\" failures=\"0\" errors=\"1\" skipped=\"0\" time=\"0\">\n"
              + "  <testcase classname=\"gate\" name=\"input\" time=\"0\">\n"
              + "    <error type=\"bad-input\" message=\"" + GateReport.xml(message) + "\"/>\n"
              + "  </testcase>\n</testsuite>\n",
          StandardCharsets.UTF_8);
    } catch (IOException e) {
      out.println("gate: error: cannot write the verdict files: " + GateOptions.oneLine(e.getMessage()));
    }
  }

  /**
   * Makes the JVM exit with {@code code} however it ends: a shutdown hook halts with the code
   * once Gatling's own exit has started, which is after its report is written. The highest code
   * requested wins.
   */
  public static synchronized void exitWithAtShutdown(int code, PrintStream out) {
    PENDING_EXIT.accumulateAndGet(code, Math::max);
    if (hookInstalled) {
      return;
    }
    hookInstalled = true;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      int c = PENDING_EXIT.get();
      out.println("gate: exit code " + c + " (see verdict.md in the run folder)");
      out.flush();
      System.err.flush();
      Runtime.getRuntime().halt(c);
    }, "llm-load-suite-gate-exit"));
  }

  /** The exit code the shutdown hook will use, 0 when none was requested. */
  public static int pendingExitCode() {
    return PENDING_EXIT.get();
  }

  private static String trimmed(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
