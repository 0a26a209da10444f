package io.llmload.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Base64;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IncompleteAndMergedRunTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path tmp;

  private Path sweep(String name, long seed) throws Exception {
    SyntheticRun s = new SyntheticRun();
    s.levels = new int[] {1, 4};
    s.phaseSeconds = 5;
    s.seed = seed;
    s.generator = name;
    return s.write(tmp.resolve(name));
  }

  @Test
  void killedRunAggregatesWhatItHasMarkedIncompleteWithTheTornLineCounted() throws Exception {
    Path run = sweep("killed", 3);
    List<String> lines = Files.readAllLines(run.resolve("requests.jsonl"));
    ObjectNode runJson = (ObjectNode) JSON.readTree(run.resolve("run.json").toFile());
    runJson.put("complete", false);
    runJson.remove("end_epoch_us");
    JSON.writeValue(run.resolve("run.json").toFile(), runJson);
    // A kill mid-write: the last line lacks its end and its newline.
    String torn = lines.get(lines.size() - 1);
    Files.writeString(run.resolve("requests.jsonl"), String.join("\n", lines.subList(0, lines.size() - 1)) + "\n"
        + torn.substring(0, torn.length() / 2));
    JsonNode s = Aggregator.aggregate(List.of(run), run, ReportOptions.defaults().pngCharts(false));
    assertFalse(s.path("complete").asBoolean());
    assertEquals(1, s.path("skipped_lines").asInt());
    long counted = 0;
    for (JsonNode p : s.path("phases")) counted += p.path("requests").asLong() + p.path("warmup_requests").asLong();
    assertEquals(lines.size() - 1, counted, "every whole line is counted");
    assertTrue(s.path("warnings").toString().contains("torn line"), s.path("warnings").toString());
    assertTrue(Files.readString(run.resolve("report.md")).contains("NO: the run was cut short"));
  }

  @Test
  void garbageLineInTheMiddleIsSkippedAndCountedButTheRunStaysComplete() throws Exception {
    Path run = sweep("garbled", 4);
    Files.writeString(run.resolve("requests.jsonl"), "{not json\n[1,2]\n", StandardOpenOption.APPEND);
    JsonNode s = Aggregator.aggregate(List.of(run), run, ReportOptions.defaults().pngCharts(false));
    assertTrue(s.path("complete").asBoolean());
    assertEquals(2, s.path("skipped_lines").asInt());
  }

  @Test
  void twoLoadGeneratorsMergeIntoOneReportLosslessly() throws Exception {
    Path a = sweep("gen-a", 11);
    Path b = sweep("gen-b", 12);
    Path out = tmp.resolve("merged");
    JsonNode sa = Aggregator.aggregate(List.of(a), a, ReportOptions.defaults().pngCharts(false));
    JsonNode sb = Aggregator.aggregate(List.of(b), b, ReportOptions.defaults().pngCharts(false));
    JsonNode m = Aggregator.aggregate(List.of(a, b), out, ReportOptions.defaults().pngCharts(false));
    assertEquals(2, m.path("run").path("folders").size());
    assertTrue(Files.exists(out.resolve("report.html")));
    for (int i = 0; i < 2; i++) {
      JsonNode pa = sa.path("phases").get(i), pb = sb.path("phases").get(i), pm = m.path("phases").get(i);
      assertEquals(pa.path("requests").asLong() + pb.path("requests").asLong(), pm.path("requests").asLong());
      long tokens = pa.path("output_tokens").asLong() + pb.path("output_tokens").asLong();
      assertEquals(tokens, pm.path("output_tokens").asLong());
      // Same phase windows on both generators: the union is that window.
      long inWindow = pa.path("window_output_tokens").asLong() + pb.path("window_output_tokens").asLong();
      assertEquals(inWindow, pm.path("window_output_tokens").asLong());
      assertEquals(inWindow / pa.path("window_s").asDouble(), pm.path("output_tokens_per_s").asDouble(), 0.01);
      Histogram h = decode(pa.path("histograms").path("ttft_ms").asText());
      h.add(decode(pb.path("histograms").path("ttft_ms").asText()));
      Histogram hm = decode(pm.path("histograms").path("ttft_ms").asText());
      assertEquals(h, hm, "merged histogram equals the sum of the parts");
      double meanA = pa.path("ttft_ms").path("mean").asDouble(), meanB = pb.path("ttft_ms").path("mean").asDouble();
      long na = pa.path("ttft_ms").path("n").asLong(), nb = pb.path("ttft_ms").path("n").asLong();
      assertEquals((meanA * na + meanB * nb) / (na + nb), pm.path("ttft_ms").path("mean").asDouble(), 0.01);
    }
    // GPU samples of the same GPU seen by both generators are counted once.
    assertEquals(sa.path("phases").get(0).path("gpu").path("energy_j").asDouble(),
        m.path("phases").get(0).path("gpu").path("energy_j").asDouble(), 1e-6);
  }

  static Histogram decode(String base64) throws Exception {
    return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(base64)), 0);
  }

  @Test
  void runJsonWithoutPhasesGivesOnePhaseAll() throws Exception {
    Path run = sweep("nophases", 5);
    ObjectNode runJson = (ObjectNode) JSON.readTree(run.resolve("run.json").toFile());
    runJson.remove("phases");
    ((ObjectNode) runJson.path("parameters")).put("auth", "Bearer tok3nQx9").put("extra", "--api-key sk-abcdefghijkl")
        .put("x_api_key", "plainSecretQx9");
    JSON.writeValue(run.resolve("run.json").toFile(), runJson);
    JsonNode s = Aggregator.aggregate(List.of(run), run, ReportOptions.defaults().pngCharts(false));
    assertEquals(1, s.path("phases").size());
    for (String k : new String[] {"auth", "extra", "x_api_key"}) {
      assertEquals("***", s.path("run").path("parameters").path(k).asText(), k);
    }
    assertEquals("128", s.path("run").path("parameters").path("max_tokens").asText());
    String all = Files.readString(run.resolve("report.html")) + Files.readString(run.resolve("report.md"))
        + Files.readString(run.resolve("summary.json"));
    assertTrue(!all.contains("tok3nQx9") && !all.contains("sk-abcdefghijkl") && !all.contains("plainSecretQx9"), "no secret leaks");
    assertEquals("all", s.path("phases").get(0).path("name").asText());
    assertEquals(10.0, s.path("phases").get(0).path("window_s").asDouble(), 1e-9);
    assertTrue(new String(Files.readAllBytes(run.resolve("report.md")), StandardCharsets.UTF_8).contains("| all |"));
  }

  /**
   * Open model, overloaded: a request sent late in c1 ends after c1. The window stays c1's own
   * (2 s to 10 s) and the request's tokens count where they arrived: token k at 9.1 s + k·2.9 s/99
   * (no last-token time: its end stands for it), so k = 0…30 in c1, k = 99 (at 12 s) in c4's
   * window [12 s, 20 s), the rest in c4's warm-up, in no window.
   */
  @Test
  void tokensOfARequestThatOutlivesItsPhaseCountWhereTheyArrive() throws Exception {
    Path run = TestFolders.copyOfRun("golden-v1", tmp);
    Files.writeString(run.resolve("requests.jsonl"), "{\"schema\":1,\"phase\":\"c1\",\"level\":1,\"warmup\":false,"
        + "\"status\":\"ok\",\"sent_epoch_us\":1800000009000000,\"end_epoch_us\":1800000012000000,\"ttft_ms\":100,"
        + "\"e2e_ms\":3000,\"output_tokens\":100}\n", StandardOpenOption.APPEND);
    JsonNode s = Aggregator.aggregate(List.of(run), run, ReportOptions.defaults().pngCharts(false));
    JsonNode c1 = s.path("phases").get(0), c4 = s.path("phases").get(1);
    assertEquals(8.0, c1.path("window_s").asDouble(), 1e-9, "from warm-up end (2 s) to the phase's end (10 s)");
    assertEquals(10_000_000, c1.path("end_epoch_us").asLong() - 1_800_000_000_000_000L);
    assertEquals(500, c1.path("output_tokens").asLong(), "the phase's own requests");
    assertEquals(431, c1.path("window_output_tokens").asLong());
    assertEquals(431 / 8.0, c1.path("output_tokens_per_s").asDouble(), 1e-9);
    assertEquals(821, c4.path("window_output_tokens").asLong());
    assertEquals(4 / 8.0, c1.path("request_rate").asDouble(), 1e-9, "it ended in c4's window");
    assertEquals(12 / 8.0, c4.path("request_rate").asDouble(), 1e-9);
  }
}
