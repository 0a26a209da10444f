package io.llmload.e2e;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.llmload.testing.SimulationRunner;
import io.llmload.testing.SocketWatch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run talks to its target and nothing else: every TCP connection the Gatling JVM opens during a
 * run goes to loopback (the emulator). Without the suite's settings Gatling 3.15 would connect to
 * Maven Central at start (version check) and to gatling.io.
 */
class NetworkIsolationTest {

  @Test
  void theGatlingJvmOnlyTalksToItsTarget(@TempDir Path dir) throws Exception {
    assumeTrue(SocketWatch.supported() || System.getenv("CI") != null, "needs Linux /proc to watch sockets");
    Path log = dir.resolve("run.log");
    Process p =
        SimulationRunner.start(
            "io.llmload.simulations.ConstantUsers",
            Map.of("users", "2", "duration", "3s", "maxTokens", "8",
                // a fresh preferences store, so no earlier version check is cached on this machine
                "java.util.prefs.userRoot", dir.resolve("prefs").toString()),
            dir.resolve("results"),
            log);
    Set<String> remotes;
    try (SocketWatch watch = new SocketWatch(p.pid())) {
      assertTrue(p.waitFor(120, TimeUnit.SECONDS), "run ended");
      remotes = watch.remotes();
    }
    assertEquals(0, p.exitValue(), Files.readString(log));
    Set<String> outside = remotes.stream().filter(r -> !SocketWatch.loopback(r)).collect(Collectors.toSet());
    assertTrue(outside.isEmpty(), "connections outside loopback: " + outside);
    assertFalse(remotes.isEmpty(), "the watch saw the connections to the emulator, so it works");
  }
}
