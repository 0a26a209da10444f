package io.llmload.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
    assertEquals(CollectorConfig.Placement.IN_PROCESS, c.placement(URI.create("http://gpu-box:8000")));
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
