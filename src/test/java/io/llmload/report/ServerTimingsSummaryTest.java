package io.llmload.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TGI's header timings in the records' server objects give each phase their percentiles (the
 * StarCoder study's time per token p95 and queue time p95 per user count); counts keep n, mean, max.
 */
class ServerTimingsSummaryTest {
  private static final long T0 = 1_800_000_000_000_000L;

  @Test
  void durationsGetTheirTail(@TempDir Path dir) throws Exception {
    ObjectMapper m = new ObjectMapper();
    ObjectNode run = m.createObjectNode().put("schema", 1).put("simulation", "io.llmload.simulations.ConstantUsers")
        .put("protocol", "tgi").put("model", "starcoder").put("start_epoch_us", T0).put("end_epoch_us", T0 + 100_000_000)
        .put("complete", true);
    run.putArray("phases").addObject().put("name", "c8").put("level", 8).put("start_epoch_us", T0)
        .put("end_epoch_us", T0 + 100_000_000).put("warmup_end_epoch_us", T0);
    Files.writeString(dir.resolve("run.json"), run.toString());
    StringBuilder lines = new StringBuilder();
    for (int i = 1; i <= 100; i++) {
      long sent = T0 + i * 900_000L;
      lines.append("{\"schema\":1,\"definitions\":2,\"protocol\":\"tgi\",\"scenario\":\"s\",\"request\":\"chat\",")
          .append("\"phase\":\"c8\",\"level\":8,\"user\":1,\"seq\":").append(i).append(",\"id\":\"r").append(i)
          .append("\",\"status\":\"ok\",\"scheduled_epoch_us\":").append(sent).append(",\"sent_epoch_us\":").append(sent)
          .append(",\"end_epoch_us\":").append(sent + 500_000).append(",\"ttfb_ms\":499.0,\"e2e_ms\":500.0,")
          .append("\"output_tokens\":16,\"output_tokens_source\":\"generated_tokens\",\"chunk_tokens\":0,\"chunks\":1,")
          .append("\"server\":{\"time_per_token_ms\":").append(i).append(",\"queue_time_ms\":").append(1000 - i)
          .append(",\"generated_tokens\":16}}\n");
    }
    Files.writeString(dir.resolve("requests.jsonl"), lines.toString());
    JsonNode s = Aggregator.aggregate(List.of(dir), dir, ReportOptions.defaults().pngCharts(false));
    JsonNode reported = s.path("phases").get(0).path("server_reported");
    JsonNode tpt = reported.path("time_per_token_ms");
    assertEquals(100, tpt.path("n").asLong());
    assertEquals(50.5, tpt.path("mean").asDouble(), 1e-9);
    assertEquals(95.0, tpt.path("p95").asDouble(), 0.1, "nearest rank of 1..100");
    assertEquals(50.0, tpt.path("p50").asDouble(), 0.1);
    assertEquals(995.0, reported.path("queue_time_ms").path("p95").asDouble(), 1.0);
    assertFalse(reported.path("generated_tokens").has("p95"), "a count is no duration");
  }
}
