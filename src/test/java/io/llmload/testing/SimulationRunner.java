package io.llmload.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs a simulation in its own JVM, as {@code mvn gatling:test} does, so that a run that exits
 * (bad parameters) cannot take the test JVM with it. Bounded by a timeout.
 */
public final class SimulationRunner {
  private SimulationRunner() {}

  /** What a run left behind. */
  public record Result(int exitCode, String output, Path resultsDir) {
    /** The run folder named by LATEST, or null. */
    public Path runFolder() throws IOException {
      Path latest = resultsDir.resolve("LATEST");
      return Files.exists(latest) ? resultsDir.resolve(Files.readString(latest).trim()) : null;
    }

    /** Gatling's console count for a request row: {total, ok, ko}, or null if absent. */
    public long[] gatlingCount(String row) {
      Matcher m =
          Pattern.compile("> " + Pattern.quote(row) + "\\s+\\|\\s+([\\d,]+) \\|\\s+([\\d,]+) \\|\\s+([\\d,]+)")
              .matcher(output);
      long[] last = null;
      while (m.find()) {
        last = new long[] {num(m.group(1)), num(m.group(2)), num(m.group(3))};
      }
      return last;
    }

    private static long num(String s) {
      return Long.parseLong(s.replace(",", ""));
    }
  }

  public static Result run(String simulationClass, Map<String, String> props, Path resultsDir, Duration timeout)
      throws IOException, InterruptedException {
    return run(simulationClass, props, resultsDir, timeout, Map.of());
  }

  /** As {@link #run(String, Map, Path, Duration)}, with extra environment variables for the run's JVM. */
  public static Result run(
      String simulationClass, Map<String, String> props, Path resultsDir, Duration timeout, Map<String, String> env)
      throws IOException, InterruptedException {
    List<String> cmd = command(simulationClass, props, resultsDir);
    Path log = Files.createTempFile("gatling-run", ".log");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(env);
    Process p = pb.start();
    if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      String out = Files.readString(log, StandardCharsets.UTF_8);
      throw new AssertionError("simulation did not end within " + timeout + ":\n" + tail(out));
    }
    String out = Files.readString(log, StandardCharsets.UTF_8);
    Files.deleteIfExists(log);
    return new Result(p.exitValue(), out, resultsDir);
  }

  /** Starts a run without waiting (for kill tests); output goes to {@code log}. */
  public static Process start(String simulationClass, Map<String, String> props, Path resultsDir, Path log)
      throws IOException {
    return start(simulationClass, props, resultsDir, log, List.of());
  }

  /** The collector the POM's gatling-maven-plugin configuration sets. */
  private static final String POM_GC = "-XX:+UseZGC";

  /** As {@link #start(String, Map, Path, Path)}, with extra JVM options. */
  public static Process start(
      String simulationClass, Map<String, String> props, Path resultsDir, Path log, List<String> jvmOptions)
      throws IOException {
    return start(simulationClass, props, resultsDir, log, jvmOptions, Map.of());
  }

  /** As {@link #start(String, Map, Path, Path, List)}, with extra environment variables for the run's JVM. */
  public static Process start(String simulationClass, Map<String, String> props, Path resultsDir, Path log,
      List<String> jvmOptions, Map<String, String> env) throws IOException {
    List<String> cmd = command(simulationClass, props, resultsDir);
    if (jvmOptions.stream().anyMatch(o -> o.matches("-XX:\\+Use\\w+GC"))) {
      cmd.remove(POM_GC); // a collector chosen by the caller replaces the POM's
    }
    cmd.addAll(1, jvmOptions);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(env);
    return pb.start();
  }

  private static List<String> command(String simulationClass, Map<String, String> props, Path resultsDir)
      throws IOException {
    Files.createDirectories(resultsDir);
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // The JVM options gatling-maven-plugin passes by default.
    cmd.add("-Xmx1g");
    cmd.add("-XX:+HeapDumpOnOutOfMemoryError");
    cmd.add("-XX:MaxInlineLevel=20");
    cmd.add("-XX:MaxTrivialSize=12");
    cmd.add("--add-opens=java.base/java.lang=ALL-UNNAMED");
    cmd.add("--add-opens=java.base/jdk.internal.misc=ALL-UNNAMED");
    cmd.add("-Djava.util.prefs.PreferencesFactory=io.llmload.gatling.OfflinePreferencesFactory");
    cmd.add("-Dllmload.resultsDir=" + resultsDir);
    cmd.add(POM_GC);
    props.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
    cmd.add("-cp");
    cmd.add(classPath());
    cmd.add("io.gatling.app.Gatling");
    cmd.add("--simulation");
    cmd.add(simulationClass);
    cmd.add("--results-folder");
    cmd.add(resultsDir.toString());
    return cmd;
  }

  public static String classPath() {
    String cp = System.getProperty("surefire.test.class.path");
    if (cp != null && !cp.isBlank()) return cp;
    // under exec:java the classes come from a class loader, not from java.class.path
    if (Thread.currentThread().getContextClassLoader() instanceof java.net.URLClassLoader u) {
      StringBuilder sb = new StringBuilder();
      for (java.net.URL url : u.getURLs()) {
        try {
          if (sb.length() > 0) sb.append(java.io.File.pathSeparatorChar);
          sb.append(Path.of(url.toURI()));
        } catch (java.net.URISyntaxException e) {
          // not a file: skip
        }
      }
      if (sb.length() > 0) return sb.toString();
    }
    return System.getProperty("java.class.path");
  }

  public static String tail(String s) {
    return s.length() <= 6000 ? s : s.substring(s.length() - 6000);
  }
}
