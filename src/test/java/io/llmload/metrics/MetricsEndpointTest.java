package io.llmload.metrics;

import static org.junit.jupiter.api.Assertions.*;

import io.llmload.record.LiveStats;
import io.llmload.record.RequestRecord;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_32_0.Metrics;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The endpoint answers Prometheus' text format by default and, when a scraper asks for protobuf
 * (Prometheus with native histograms enabled), the same histograms with native buckets too.
 */
class MetricsEndpointTest {
  @Test
  void servesTextAndNativeHistogramsWhenAsked() throws Exception {
    LiveMetrics m = new LiveMetrics("r", new LiveStats());
    RequestRecord r = new RequestRecord();
    r.phase = "c1";
    r.level = 1.0;
    r.status = "ok";
    r.ttftMs = 40.0;
    m.observe(r);
    MetricsEndpoint e = MetricsEndpoint.start(new MetricsOptions(0, "127.0.0.1", Duration.ZERO), m);
    try {
      HttpClient http = HttpClient.newHttpClient();
      URI uri = URI.create("http://127.0.0.1:" + e.port() + "/metrics");
      HttpResponse<String> text = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
      assertTrue(text.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"), text.headers().toString());
      assertTrue(text.body().contains("llm_load_ttft_seconds_bucket{"), text.body());

      HttpResponse<byte[]> pb = http.send(HttpRequest.newBuilder(uri)
          .header("Accept", "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited")
          .build(), HttpResponse.BodyHandlers.ofByteArray());
      assertTrue(pb.headers().firstValue("Content-Type").orElse("").contains("protobuf"), pb.headers().toString());
      ByteArrayInputStream in = new ByteArrayInputStream(pb.body());
      Metrics.MetricFamily f;
      boolean nativeTtft = false;
      while ((f = Metrics.MetricFamily.parseDelimitedFrom(in)) != null) {
        if (!f.getName().equals("llm_load_ttft_seconds")) continue;
        for (Metrics.Metric x : f.getMetricList()) {
          Metrics.Histogram h = x.getHistogram();
          nativeTtft |= h.getSampleCount() == 1 && h.getPositiveSpanCount() > 0 && h.getBucketCount() > 0;
        }
      }
      assertTrue(nativeTtft, "the TTFT histogram carries native (sparse) buckets beside the classic ones");
    } finally {
      e.close();
    }
  }
}
