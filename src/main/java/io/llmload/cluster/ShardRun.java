package io.llmload.cluster;

import io.llmload.load.Shards;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one shard's simulation in a child JVM and writes its exit code to {@code shard-<k>.exit}
 * beside its run folder. A child, not Gatling in this JVM: the simulation may end its JVM itself
 * (bad input, the gate's exit code), and the marker must still say how it ended. The child gets
 * this JVM's own options (the image's, which are the POM's Gatling options) plus the {@code -D}
 * arguments ({@code JAVA_TOOL_OPTIONS} is among this JVM's options, so it is passed once, that way).
 */
final class ShardRun {
  static final String SIMULATION = "gatling.simulationClass";
  static final String DEFAULT_SIMULATION = "io.llmload.simulations.ConstantUsers";
  private static final String RESULTS_DIR = "-Dllmload.resultsDir=";

  private ShardRun() {}

  /** {@code props}: the {@code -D} arguments, already set in this JVM too. */
  static int run(Path results, List<String> props, Map<String, String> env) throws IOException, InterruptedException {
    String shard = shardIndex(env);
    Path folder = results.resolve("shard-" + shard);
    Path marker = marker(results, shard);
    Files.createDirectories(folder);
    Files.deleteIfExists(marker); // a marker of an earlier run in the same folder says nothing of this one
    List<String> cmd = command(folder, props);
    ProcessBuilder child = new ProcessBuilder(cmd).inheritIO();
    child.environment().remove("JAVA_TOOL_OPTIONS"); // already among this JVM's options, copied below
    Process p = child.start();
    // The pod's SIGTERM reaches this JVM only (PID 1): pass it on, so the run ends as Gatling ends a
    // stopped run (records flushed), and write the marker before this JVM halts.
    Thread stop = new Thread(() -> {
      p.destroy();
      try {
        if (p.waitFor(25, TimeUnit.SECONDS)) writeMarker(marker, p.exitValue());
      } catch (InterruptedException | IOException e) {
        Thread.currentThread().interrupt();
      }
    }, "llm-load-shard-stop");
    Runtime.getRuntime().addShutdownHook(stop);
    int code = p.waitFor();
    try {
      Runtime.getRuntime().removeShutdownHook(stop);
    } catch (IllegalStateException shuttingDown) {
      return code; // the hook writes the marker
    }
    writeMarker(marker, code);
    return code;
  }

  private static synchronized void writeMarker(Path marker, int code) throws IOException {
    Files.writeString(marker, code + "\n", StandardCharsets.UTF_8);
  }

  static Path marker(Path results, String shard) {
    return results.resolve("shard-" + shard + ".exit");
  }

  /** The child's command line: java, this JVM's options, the properties, Gatling's main. */
  static List<String> command(Path folder, List<String> props) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String o : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (!o.startsWith(RESULTS_DIR)) cmd.add(o);
    }
    for (String p : props) {
      if (!p.startsWith(RESULTS_DIR)) cmd.add(p);
    }
    cmd.add(RESULTS_DIR + folder); // this shard's own folder under the results root
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("io.gatling.app.Gatling");
    cmd.add("--simulation");
    cmd.add(System.getProperty(SIMULATION, DEFAULT_SIMULATION));
    cmd.add("--results-folder");
    cmd.add(folder.toString());
    return cmd;
  }

  /** The shard's folder name: {@code -Dshard}, else the Indexed Job's index, else 0 (one generator). */
  private static String shardIndex(Map<String, String> env) {
    String s = System.getProperty("shard");
    if (s == null) s = env.get(Shards.JOB_INDEX_ENV);
    // The simulation checks the value and names it in one line; a folder name must only be harmless.
    return s == null || !s.trim().matches("\\d{1,6}") ? "0" : s.trim();
  }
}
