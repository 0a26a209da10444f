package io.llmload.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An embeddings run's phase: inputs and input tokens summed over its successful requests and per
 * second of its window; no streaming figures; a chat run's phase has no such fields.
 */
class EmbeddingsSummaryTest {
  private static final long T0 = 1_800_000_000_000_000L;

  @Test
  void inputsAndInputTokensPerSecond(@TempDir Path dir) throws Exception {
    ObjectMapper m = new ObjectMapper();
    ObjectNode run = m.createObjectNode().put("schema", 1).put("simulation", "io.llmload.simulations.ConstantUsers")
        .put("protocol", "openai-embeddings").put("model", "e5").put("start_epoch_us", T0).put("end_epoch_us", T0 + 10_000_000)
        .put("complete", true);
    run.putArray("phases").addObject().put("name", "c4").put("level", 4).put("start_epoch_us", T0)
        .put("end_epoch_us", T0 + 10_000_000).put("warmup_end_epoch_us", T0);
    Files.writeString(dir.resolve("run.json"), run.toString());
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < 20; i++) {
      long sent = T0 + i * 400_000L;
      lines.append("{\"schema\":1,\"definitions\":2,\"protocol\":\"openai-embeddings\",\"scenario\":\"s\",\"request\":\"chat\",")
          .append("\"phase\":\"c4\",\"level\":4,\"user\":1,\"seq\":").append(i + 1).append(",\"id\":\"r").append(i)
          .append("\",\"status\":\"").append(i == 19 ? "http_error" : "ok").append("\",\"scheduled_epoch_us\":").append(sent)
          .append(",\"sent_epoch_us\":").append(sent).append(",\"end_epoch_us\":").append(sent + 100_000)
          .append(",\"ttfb_ms\":99.0,\"e2e_ms\":100.0,\"output_tokens\":0,\"chunk_tokens\":0,\"chunks\":1,")
          .append("\"prompt_tokens\":84,\"inputs\":4}\n");
    }
    Files.writeString(dir.resolve("requests.jsonl"), lines.toString());
    JsonNode s = Aggregator.aggregate(List.of(dir), dir, ReportOptions.defaults().pngCharts(false));
    JsonNode p = s.path("phases").get(0);
    double window = p.path("window_s").asDouble();
    assertEquals(19 * 4, p.path("inputs").asLong(), "the failed request's inputs are not counted");
    assertEquals(19 * 84, p.path("input_tokens").asLong());
    assertEquals(19 * 4 / window, p.path("inputs_per_s").asDouble(), 0.01);
    assertEquals(19 * 84 / window, p.path("input_tokens_per_s").asDouble(), 0.01);
    assertEquals(100.0, p.path("e2e_ms").path("p50").asDouble(), 0.5);
    assertEquals(true, p.path("ttft_ms").isNull(), "no streaming figures");
    // per-request inputs back the gate's inputs/s, row by row with e2e_ms
    assertEquals(19, p.path("samples").path("inputs").size());
    assertEquals(4, p.path("samples").path("inputs").get(0).asInt());
    assertEquals(p.path("samples").path("e2e_ms").size(), p.path("samples").path("inputs").size());
    // the report's inputs table, in Markdown and HTML, with the summary's figures
    String md = Files.readString(dir.resolve("report.md"));
    String row = "| c4 | 4 | 76 | " + Num.auto(19 * 4 / window);
    assertTrue(md.contains("| phase | level | inputs | inputs/s | input tokens | input tokens/s |"), md);
    assertTrue(md.contains(row), row + " in\n" + md);
    assertTrue(Files.readString(dir.resolve("report.html")).contains("inputs/s"));
    JsonNode chat = Aggregator.aggregate(List.of(new SyntheticRun().write(dir.resolve("chat"))), dir.resolve("chat"),
        ReportOptions.defaults().pngCharts(false));
    assertFalse(chat.path("phases").get(0).has("inputs_per_s"));
    assertFalse(chat.path("phases").get(0).path("samples").has("inputs"));
    assertFalse(Files.readString(dir.resolve("chat").resolve("report.md")).contains("inputs/s"));
  }
}
