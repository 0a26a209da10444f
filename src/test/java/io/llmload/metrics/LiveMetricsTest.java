package io.llmload.metrics;

import static org.junit.jupiter.api.Assertions.*;

import io.llmload.record.LiveStats;
import io.llmload.record.Phase;
import io.llmload.record.RequestRecord;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What one record adds to the families, against hand-counted values (no Prometheus server). */
class LiveMetricsTest {
  private static RequestRecord record(String status, boolean warmup) {
    RequestRecord r = new RequestRecord();
    r.phase = "c8";
    r.level = 8.0;
    r.warmup = warmup;
    r.status = status;
    r.id = "req-secret-id-123";
    r.outputTokens = 5L;
    r.ttftMs = 40.0;
    r.tpotMs = 10.0;
    r.e2eMs = 80.0;
    r.queueDelayMs = 0.5;
    // gaps of 10 ms (3 of them, from one 3-token chunk) and 20 ms (one): 4 gaps for 5 tokens
    r.itlNanos = new long[] {10_000_000L, 20_000_000L, 0};
    r.itlWeights = new int[] {3, 1, 7};
    r.itlEntries = 2;
    return r;
  }

  private static String text(LiveMetrics m) throws Exception {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(o, m.registry().scrape(), EscapingScheme.ALLOW_UTF8);
    return o.toString(StandardCharsets.UTF_8);
  }

  @Test
  void countsEveryRecordAndObservesOnlyOkOnes() throws Exception {
    LiveStats live = new LiveStats();
    LiveMetrics m = new LiveMetrics("r1", live);
    m.prepare(List.of(new Phase("c16", 16.0, 0, 1, 0)));
    m.observe(record("ok", false));
    m.observe(record("ok", true));
    m.observe(record("timeout", false));
    live.started();
    String t = text(m);
    String sel = "level=\"8\",phase=\"c8\",run=\"r1\",warmup=\"false\"";
    assertTrue(t.contains("llm_load_requests_total{level=\"8\",phase=\"c8\",run=\"r1\",status=\"ok\",warmup=\"false\"} 1.0"), t);
    assertTrue(t.contains("llm_load_requests_total{level=\"8\",phase=\"c8\",run=\"r1\",status=\"timeout\",warmup=\"false\"} 1.0"), t);
    assertTrue(t.contains("llm_load_output_tokens_total{level=\"8\",phase=\"c8\",run=\"r1\",status=\"ok\",warmup=\"true\"} 5.0"), t);
    // the timed-out request is counted, never observed: one TTFT, four gaps summing to 50 ms
    assertTrue(t.contains("llm_load_ttft_seconds_count{" + sel + "} 1"), t);
    assertTrue(t.contains("llm_load_itl_seconds_count{" + sel + "} 4"), t);
    assertTrue(t.contains("llm_load_itl_seconds_sum{" + sel + "} 0.05"), t);
    assertTrue(t.contains("llm_load_in_flight{run=\"r1\"} 1"), t);
    // a planned phase exists at zero before its first request
    assertTrue(t.contains("llm_load_requests_total{level=\"16\",phase=\"c16\",run=\"r1\",status=\"ok\",warmup=\"false\"} 0.0"), t);
    assertFalse(t.contains("req-secret-id-123"), "no request ids in labels");
  }

  /**
   * A shard's endpoint labels every suite series with {@code shard="i/N"} (so Prometheus can sum the
   * generators of one run, or tell them apart); a single generator's series have no shard label.
   */
  @Test
  void aShardedRunLabelsEverySeriesWithItsShard() throws Exception {
    for (String shard : new String[] {"1/2", null}) {
      MetricsOptions o = new MetricsOptions(0, "127.0.0.1", java.time.Duration.ZERO);
      try (LiveMetricsSession s = LiveMetricsSession.start(o, LiveMetricsTest.class, shard, new LiveStats())) {
        s.prepare(List.of(new Phase("c8", 8.0, 0, 1, 0)));
        s.observe(record("ok", false));
        s.observe(record("timeout", false));
        String t = java.net.http.HttpClient.newHttpClient().send(
            java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + s.port() + "/metrics")).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        long series = 0;
        for (String line : t.split("\n")) {
          if (!line.startsWith(LiveMetrics.PREFIX)) continue;
          series++;
          if (shard == null) assertFalse(line.contains("shard="), line);
          else assertTrue(line.contains("shard=\"1/2\""), line);
        }
        assertTrue(series > 50, "histogram buckets, counters and gauges were served: " + series);
        if (shard != null) {
          assertTrue(t.contains("llm_load_requests_total{level=\"8\",phase=\"c8\",run=\"" + s.run()
              + "\",shard=\"1/2\",status=\"timeout\",warmup=\"false\"} 1.0"), t);
        }
      }
    }
  }

  @Test
  void levelsPrintAsTheyWereGiven() {
    assertEquals("8", LiveMetrics.level(8.0));
    assertEquals("2.5", LiveMetrics.level(2.5));
    assertEquals("", LiveMetrics.level(null));
  }
}
