package io.llmload.faults;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.llmload.testing.SimulationRunner;
import io.llmload.testing.SocketWatch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run against an external target with a metrics endpoint configured opens connections to those
 * two and to nothing else (no emulator runs in the Gatling JVM here, so there is no other
 * legitimate peer). Both servers are synthetic, on loopback.
 */
class TrafficTargetsTest {

  @Test
  void aRunTalksToItsTargetAndMetricsEndpointOnly(@TempDir Path dir) throws Exception {
    assumeTrue(SocketWatch.supported() || System.getenv("CI") != null, "needs Linux /proc to watch sockets");
    try (SyntheticOpenAiServer target = new SyntheticOpenAiServer(null);
        SyntheticOpenAiServer metrics = new SyntheticOpenAiServer(null)) {
      Path log = dir.resolve("run.log");
      Process p =
          SimulationRunner.start(
              "io.llmload.simulations.ConstantUsers",
              Map.of(
                  "target", target.url(),
                  "collector.metrics", metrics.url() + "/metrics",
                  "collector.scrapePeriod", "200ms",
                  "users", "1",
                  "duration", "2s",
                  "maxTokens", "4",
                  "java.util.prefs.userRoot", dir.resolve("prefs").toString()),
              dir.resolve("results"),
              log);
      Set<String> remotes;
      try (SocketWatch watch = new SocketWatch(p.pid())) {
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "run ended");
        remotes = watch.remotes();
      } finally {
        if (p.isAlive()) p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      assertEquals(0, p.exitValue(), SimulationRunner.tail(Files.readString(log)));
      Set<String> allowed = Set.of(port(target.url()), port(metrics.url()));
      Set<String> ports = new TreeSet<>();
      Set<String> other = new TreeSet<>();
      for (String r : remotes) {
        String port = r.substring(r.lastIndexOf(':') + 1);
        ports.add(port);
        if (!SocketWatch.loopback(r) || !allowed.contains(port)) other.add(r);
      }
      assertTrue(other.isEmpty(), "connections to other peers: " + other + " (allowed ports " + allowed + ")");
      assertEquals(new TreeSet<>(allowed), ports, "both the target and the metrics endpoint were reached: " + remotes);
    }
  }

  private static String port(String url) {
    return url.substring(url.lastIndexOf(':') + 1);
  }
}
