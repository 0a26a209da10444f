package io.llmload.cluster;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The image's entry point: its command line and the shard's child JVM. */
class ImageMainTest {

  @Test
  void badCommandsAreOneLineWithExitCode2() throws Exception {
    for (String[] args : List.of(new String[] {"bogus"}, new String[] {"-Dnovalue"}, new String[] {"shard", "extra"})) {
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int code = ImageMain.run(args, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
      String e = err.toString(StandardCharsets.UTF_8);
      assertEquals(2, code, e);
      assertEquals(1, e.strip().lines().count(), e);
      assertTrue(e.startsWith("llm-load-suite image: ") && e.contains("usage:"), e);
    }
  }

  @Test
  void theChildRunsGatlingWithThisJvmsOptionsThePropertiesAndItsOwnFolder() {
    Path folder = Path.of("/results/load/shard-1");
    List<String> cmd = ShardRun.command(folder, List.of("-Dusers=4", "-Dllmload.resultsDir=/results/load"));
    assertTrue(cmd.get(0).endsWith("/bin/java"), cmd.toString());
    // every option of this JVM (in the image: the POM's Gatling options) is passed on
    for (String o : java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (!o.startsWith("-Dllmload.resultsDir=")) assertTrue(cmd.contains(o), o);
    }
    assertTrue(cmd.contains("-Dusers=4"));
    assertEquals(List.of("-Dllmload.resultsDir=" + folder), cmd.stream().filter(c -> c.startsWith("-Dllmload.resultsDir=")).toList(),
        "the shard's own folder replaces the root");
    int main = cmd.indexOf("io.gatling.app.Gatling");
    assertEquals(List.of("--simulation", "io.llmload.simulations.ConstantUsers", "--results-folder", folder.toString()),
        cmd.subList(main + 1, cmd.size()));
  }
}
