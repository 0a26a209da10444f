package io.llmload.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/nightly.sh's confirmation step, with a stub {@code mvn} on the PATH that writes a run
 * folder whose verdict the test chooses (no Gatling run): a regressed first run is followed by a
 * second Maven run with -DconfirmRun naming the first run's folder, whose status the script returns.
 */
class NightlyConfirmScriptTest {
  @TempDir Path tmp;

  /** Runs a copy of nightly.sh in tmp; the stub answers {@code verdicts} in turn (regressed exits 1). */
  private Result run(List<String> verdicts, String... args) throws Exception {
    Files.createDirectories(tmp.resolve("scripts"));
    Files.copy(Path.of("scripts/nightly.sh"), tmp.resolve("scripts/nightly.sh"));
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    Files.writeString(tmp.resolve("verdicts"), String.join("\n", verdicts) + "\n");
    Files.writeString(bin.resolve("mvn"), String.join("\n",
        "#!/usr/bin/env bash",
        "n=$(( $(ls gatling-reports | grep -c '^run-') + 1 ))",
        "v=$(sed -n \"${n}p\" verdicts)",
        "mkdir -p gatling-reports/run-$n",
        "printf '{\\n  \"schema\" : 1,\\n  \"verdict\" : \"%s\"\\n}\\n' \"$v\" > gatling-reports/run-$n/verdict.json",
        "echo \"$*\" >> mvn-args",
        "sleep 0.05",
        "[[ $v == regressed ]] && exit 1 || exit 0", ""));
    bin.resolve("mvn").toFile().setExecutable(true);
    List<String> cmd = new java.util.ArrayList<>(List.of("bash", "scripts/nightly.sh"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile()).redirectErrorStream(true);
    pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    pb.environment().remove("GITHUB_STEP_SUMMARY");
    pb.environment().put("GITHUB_OUTPUT", tmp.resolve("github-output").toString());
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    List<String> mvnArgs = Files.exists(tmp.resolve("mvn-args")) ? Files.readAllLines(tmp.resolve("mvn-args")) : List.of();
    return new Result(p.exitValue(), output, mvnArgs);
  }

  private record Result(int status, String output, List<String> mvnArgs) {}

  @Test
  void aRegressedRunIsConfirmedByASecondRunAgainstTheSameBaseline() throws Exception {
    Files.createDirectories(tmp.resolve("store"));
    Result r = run(List.of("regressed", "unchanged"), "--baseline", "store");
    assertEquals(0, r.status(), r.output());
    assertEquals(2, r.mvnArgs().size(), r.output());
    assertTrue(r.mvnArgs().get(1).contains("-DconfirmRun=" + tmp.toRealPath().resolve("gatling-reports/run-1")),
        r.mvnArgs().get(1));
    assertTrue(r.mvnArgs().get(1).contains("-Dbaseline=" + tmp.toRealPath().resolve("store")), r.mvnArgs().get(1));
    assertEquals("gatling-reports/run-2", Files.readString(tmp.resolve("gatling-reports/NIGHTLY_RUN")).trim());
    List<String> lines = r.output().lines().toList();
    assertEquals("gatling-reports/run-2", lines.get(lines.size() - 1));
    assertEquals(List.of("run_folder=gatling-reports/run-2", "first_run_folder=gatling-reports/run-1"),
        Files.readAllLines(tmp.resolve("github-output")));
  }

  @Test
  void aConfirmedRegressionFailsAndNoConfirmationRunsWithoutOne() throws Exception {
    Result r = run(List.of("regressed", "regressed"), "--baseline", ".");
    assertEquals(1, r.status(), r.output());
    assertEquals(2, r.mvnArgs().size());
    Files.delete(tmp.resolve("scripts/nightly.sh"));
    Files.delete(tmp.resolve("mvn-args"));
    Result off = run(List.of("regressed", "regressed", "regressed"), "--no-confirm", "--baseline", ".");
    assertEquals(1, off.status());
    assertEquals(3, Files.list(tmp.resolve("gatling-reports")).filter(d -> d.getFileName().toString().startsWith("run-")).count());
    assertEquals(1, off.mvnArgs().size(), off.output());
    assertFalse(off.mvnArgs().get(0).contains("confirmRun"));
  }
}
