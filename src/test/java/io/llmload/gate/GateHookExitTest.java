package io.llmload.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exit-code mechanism in a real JVM: a process that calls {@link GateHook#afterRun(Path)} and
 * then {@code System.exit(0)}, as Gatling's main does after its report, must exit with the gate's
 * code. On SYNTHETIC summaries.
 */
class GateHookExitTest {
  @TempDir Path tmp;

  /** Stands in for Gatling's main: gate in "after()", then exit 0 as if all assertions passed. */
  public static final class Probe {
    public static void main(String[] args) {
      System.setProperty("baseline", args[1]);
      GateHook.afterRun(Path.of(args[0]));
      System.out.println("probe: main done, exiting 0");
      System.exit(0);
    }
  }

  private Path folder(String name, double tpot, long seed) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve(name));
    Files.writeString(dir.resolve("summary.json"),
        SyntheticSummary.create().phase("c8", 8, 400, 300, tpot, 0, seed).build().toString());
    return dir;
  }

  private Result runProbe(Path runFolder, Path baseline) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
        Probe.class.getName(), runFolder.toString(), baseline.toString()))
        .redirectErrorStream(true).redirectOutput(tmp.resolve("probe.log").toFile()).start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "probe JVM did not end");
    return new Result(p.exitValue(), Files.readString(tmp.resolve("probe.log"), StandardCharsets.UTF_8));
  }

  private record Result(int code, String out) {}

  @Test
  void regressionMakesTheJvmExitOneAfterMainFinished() throws Exception {
    Path base = folder("base", 20, 1);
    Path slow = folder("slow", 22, 2);
    Result r = runProbe(slow, base);
    assertEquals(1, r.code(), r.out());
    assertTrue(r.out().contains("probe: main done, exiting 0"), r.out());
    assertTrue(r.out().contains("gate: exit code 1"), r.out());
    assertTrue(Files.exists(slow.resolve("junit-gate.xml")));
  }

  @Test
  void passingGateLeavesTheExitStatusAlone() throws Exception {
    Path base = folder("base", 20, 1);
    Path same = folder("same", 20, 1);
    Result r = runProbe(same, base);
    assertEquals(0, r.code(), r.out());
  }

  @Test
  void badBaselineExitsTwo() throws Exception {
    Path cur = folder("cur", 20, 1);
    Path missing = tmp.resolve("no-such-baseline" + File.separator + "summary.json");
    Result r = runProbe(cur, missing);
    assertEquals(2, r.code(), r.out());
    assertTrue(r.out().contains("gate: error: baseline: "), r.out());
  }
}
