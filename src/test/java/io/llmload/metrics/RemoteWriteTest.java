package io.llmload.metrics;

import static org.junit.jupiter.api.Assertions.*;

import io.llmload.record.LiveStats;
import io.llmload.record.RequestRecord;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Remote write into Debian's Prometheus (its remote-write receiver switched on), read back through
 * its query API; a receiver that is down or never answers costs a counted, bounded failure.
 */
class RemoteWriteTest {
  private static RequestRecord record(String status, double ttftMs) {
    RequestRecord r = new RequestRecord();
    r.phase = "c2";
    r.level = 2.0;
    r.status = status;
    r.outputTokens = 10L;
    r.ttftMs = ttftMs;
    return r;
  }

  @Test
  void prometheusStoresWhatWasPushed(@TempDir Path dir) throws Exception {
    LiveMetrics m = new LiveMetrics("rw", new LiveStats());
    for (int i = 0; i < 7; i++) m.observe(record("ok", 100 + 10 * i)); // TTFT 100..160 ms, median 130
    m.observe(record("timeout", 0));
    m.observe(record("timeout", 0));
    try (PrometheusServer prom = PrometheusServer.start(dir, List.of("--web.enable-remote-write-receiver"))) {
      RemoteWrite rw = new RemoteWrite(URI.create(prom.url() + "/api/v1/write"), m.registry(),
          Map.of("job", "llm-load-suite"), Duration.ofHours(1));
      try {
        assertTrue(rw.push(), "the receiver took the push");
      } finally {
        rw.close();
      }
      assertEquals(0, rw.failures());
      assertEquals(7, prom.scalar("sum(llm_load_requests_total{job=\"llm-load-suite\",run=\"rw\",status=\"ok\"})"));
      assertEquals(2, prom.scalar("sum(llm_load_requests_total{status=\"timeout\"})"));
      assertEquals(90, prom.scalar("sum(llm_load_output_tokens_total)"));
      double p50 = prom.scalar("histogram_quantile(0.5, sum by (le) (llm_load_ttft_seconds_bucket{warmup=\"false\"}))");
      assertTrue(p50 / 0.130 <= LatencyBuckets.step() && 0.130 / p50 <= LatencyBuckets.step(), "TTFT p50 " + p50);
    }
  }

  @Test
  void aReceiverThatIsDownOrSilentIsCountedNotWaitedFor() throws Exception {
    LiveMetrics m = new LiveMetrics("rw", new LiveStats());
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    RemoteWrite down = new RemoteWrite(URI.create("http://127.0.0.1:" + closed + "/api/v1/write"), m.registry(),
        Map.of(), Duration.ofHours(1));
    assertFalse(down.push());
    down.close();
    assertEquals(2, down.failures(), "the push and the final one");
    try (ServerSocket silent = new ServerSocket(0, 4, InetAddress.getLoopbackAddress())) {
      RemoteWrite rw = new RemoteWrite(URI.create("http://127.0.0.1:" + silent.getLocalPort() + "/api/v1/write"),
          m.registry(), Map.of(), Duration.ofHours(1));
      long t0 = System.nanoTime();
      assertFalse(rw.push(), "a receiver that never answers");
      double s = (System.nanoTime() - t0) / 1e9;
      assertTrue(s < 5, "bounded by the push timeout: " + s + " s");
      assertEquals(1, rw.failures());
      rw.close();
      assertEquals(2, rw.failures());
    }
  }
}
