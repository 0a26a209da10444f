package io.llmload.metrics;

import static org.junit.jupiter.api.Assertions.*;

import io.llmload.config.Params;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class MetricsOptionsTest {
  private static Params params(String... kv) {
    Properties p = new Properties();
    for (int i = 0; i < kv.length; i += 2) p.setProperty(kv[i], kv[i + 1]);
    return new Params(p, m -> {});
  }

  @Test
  void offUnlessAPortIsGiven() {
    assertNull(MetricsOptions.from(params()));
    MetricsOptions o = MetricsOptions.from(params("metrics.port", "9464"));
    assertEquals(new MetricsOptions(9464, "0.0.0.0", MetricsOptions.DEFAULT_LINGER), o);
    assertTrue(MetricsOptions.DEFAULT_LINGER.compareTo(Duration.ofSeconds(15)) > 0, "longer than a 15 s scrape");
  }

  @Test
  void badValuesAreOneLineNamingTheParameter() {
    var e = assertThrows(IllegalArgumentException.class, () -> MetricsOptions.from(params("metrics.port", "70000")));
    assertTrue(e.getMessage().startsWith("metrics.port: 70000 is out of range"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> MetricsOptions.from(params("metrics.linger", "5s")));
    assertEquals("metrics.linger: has no effect without metrics.port (the port to serve metrics on)", e.getMessage());
  }

  @Test
  void remoteWriteAloneOrBesideTheEndpoint() {
    MetricsOptions o = MetricsOptions.from(params("metrics.remoteWrite", "http://prom:9090/api/v1/write",
        "metrics.remoteWrite.period", "2s"));
    assertNull(o.port(), "no endpoint unless a port is given");
    assertEquals("http://prom:9090/api/v1/write", o.remoteWrite().toString());
    assertEquals(Duration.ofSeconds(2), o.remoteWritePeriod());
    var e = assertThrows(IllegalArgumentException.class,
        () -> MetricsOptions.from(params("metrics.remoteWrite", "http://user:pw@prom:9090/api/v1/write")));
    assertEquals("metrics.remoteWrite: credentials in the URL are not accepted (they would be recorded in run.json)", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> MetricsOptions.from(params("metrics.remoteWrite", "prom:9090")));
    assertTrue(e.getMessage().startsWith("metrics.remoteWrite: 'prom:9090' is not an http:// or https:// URL"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> MetricsOptions.from(params("metrics.remoteWrite.period", "2s")));
    assertTrue(e.getMessage().startsWith("metrics.remoteWrite.period: has no effect without metrics.remoteWrite"), e.getMessage());
  }

  @Test
  void bucketsHaveFourPerOctaveFromAMillisecondToMinutes() {
    double[] b = LatencyBuckets.upperBounds();
    assertEquals(0.001, b[0]);
    assertEquals(0.002, b[4], 1e-9);
    assertEquals(1.024, b[40], 1e-6);
    assertTrue(b[b.length - 1] > 240, "covers E2E of minutes: " + b[b.length - 1]);
    for (int i = 1; i < b.length; i++) assertEquals(LatencyBuckets.step(), b[i] / b[i - 1], 1e-4);
  }
}
