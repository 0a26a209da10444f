package io.llmload.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class CollectorConfigTest {

  private static Properties props(String... kv) {
    Properties p = new Properties();
    for (int i = 0; i < kv.length; i += 2) {
      p.setProperty(kv[i], kv[i + 1]);
    }
    return p;
  }

  @Test
  void defaults() {
    CollectorConfig c = CollectorConfig.fromProperties(new Properties());
    assertEquals(CollectorConfig.Mode.AUTO, c.mode());
    assertEquals(Duration.ofMillis(100), c.fastPeriod());
    assertEquals(Duration.ofMillis(500), c.energyPeriod());
    assertNull(c.url());
    // Another host and no remote collector: this machine's GPUs are not the server's (issue #15, point 3).
    assertEquals(CollectorConfig.Placement.NONE, c.placement(URI.create("http://gpu-box.invalid:8000")));
    assertEquals(CollectorConfig.Placement.IN_PROCESS,
        c.withMode(CollectorConfig.Mode.ON).placement(URI.create("http://gpu-box.invalid:8000")), "on forces in-process");
    assertEquals(List.of(), c.gpus());
  }

  /** A target named by one of this machine's own addresses or its host name is on this machine. */
  @Test
  void ownAddressesAndHostNameAreLocal() throws Exception {
    CollectorConfig c = CollectorConfig.defaults();
    String own = null;
    for (var e = java.net.NetworkInterface.getNetworkInterfaces(); e.hasMoreElements(); ) {
      for (var a = e.nextElement().getInetAddresses(); a.hasMoreElements(); ) {
        var addr = a.nextElement();
        if (addr instanceof java.net.Inet4Address && !addr.isLoopbackAddress()) own = addr.getHostAddress();
      }
    }
    org.junit.jupiter.api.Assumptions.assumeTrue(own != null, "no non-loopback IPv4 address here");
    assertEquals(CollectorConfig.Placement.IN_PROCESS, c.placement(URI.create("http://" + own + ":8000")));
    String host = System.getenv("HOSTNAME");
    if (host == null || host.isBlank()) host = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/kernel/hostname")).trim();
    assertEquals(CollectorConfig.Placement.IN_PROCESS, c.placement(URI.create("http://" + host + ":8000")));
    assertEquals(CollectorConfig.Placement.NONE, c.placement(URI.create("http://203.0.113.7:8000")), "TEST-NET-3");
  }

  @Test
  void gpuSelectionTakesIndicesOrUuidsAndRefusesAnythingElseInOneLine() {
    CollectorConfig c = CollectorConfig.fromProperties(props("collector.gpus", "0, GPU-5fd4b9c2-aaaa,MIG-1f2e/1/0"));
    assertEquals(List.of("0", "GPU-5fd4b9c2-aaaa", "MIG-1f2e/1/0"), c.gpus());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> CollectorConfig.fromProperties(props("collector.gpus", "0,first")));
    assertTrue(e.getMessage().startsWith("collector.gpus: 'first' is not a GPU index or UUID"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
  }

  @Test
  void readsEveryProperty() {
    CollectorConfig c = CollectorConfig.fromProperties(props("collector", "on", "collector.url", "http://gpu:9464",
        "collector.process", "1234, 99", "collector.metrics", "http://a:8000/metrics,http://b:9000/metrics",
        "collector.dcgm", "http://gpu:9400/metrics", "collector.fastPeriod", "0.2s", "collector.energyPeriod", "1s"));
    assertEquals(CollectorConfig.Mode.ON, c.mode());
    assertEquals(List.of(1234, 99), c.processPids());
    assertNull(c.processPattern());
    assertEquals(2, c.metrics().size());
    assertEquals(Duration.ofMillis(200), c.fastPeriod());
    assertEquals(Duration.ofSeconds(1), c.energyPeriod());
    assertEquals(CollectorConfig.Placement.REMOTE, c.placement(null));
    assertEquals("vllm|sglang", c.withProcess("vllm|sglang").processPattern().pattern());
  }

  @Test
  void placement() {
    CollectorConfig remote = CollectorConfig.defaults().withUrl(URI.create("http://gpu:9464"));
    assertEquals(CollectorConfig.Placement.REMOTE, remote.placement(URI.create("http://gpu:8000")));
    assertEquals(CollectorConfig.Placement.IN_PROCESS, remote.placement(URI.create("http://127.0.0.1:8000")));
    assertEquals(CollectorConfig.Placement.IN_PROCESS, remote.placement(URI.create("http://localhost:8000")));
    assertEquals(CollectorConfig.Placement.NONE,
        remote.withMode(CollectorConfig.Mode.OFF).placement(URI.create("http://localhost:8000")));
  }

  @Test
  void badValuesNameTheProperty() {
    assertMessage("collector: expected auto, on or off", props("collector", "maybe"));
    assertMessage("collector.fastPeriod: expected a duration", props("collector.fastPeriod", "fast"));
    assertMessage("collector.energyPeriod: expected a period between 10ms and 60s",
        props("collector.energyPeriod", "2ms"));
    assertMessage("collector.url: expected an http:// or https:// URL", props("collector.url", "gpu-host:9464"));
    assertMessage("collector.metrics: expected an http", props("collector.metrics", "ftp://x/metrics"));
    assertMessage("collector.process: expected a process-name regex or a comma list of PIDs",
        props("collector.process", "vllm("));
  }

  private static void assertMessage(String start, Properties p) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> CollectorConfig.fromProperties(p));
    assertTrue(e.getMessage().startsWith(start), e.getMessage());
    assertTrue(!e.getMessage().contains("\n"), "one line");
  }
}
