package io.llmload.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #15, point 7: run folders written at the same time by several load generators (SYNTHETIC
 * sweeps) merge with the level summed per phase and each request kept under its generator; folders
 * that measured different things are refused in one line unless forced.
 */
class MergeTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path tmp;

  private Path generator(String name, long seed) throws Exception {
    SyntheticRun s = new SyntheticRun();
    s.levels = new int[] {4};
    s.phaseSeconds = 4;
    s.seed = seed;
    s.generator = name;
    return s.write(tmp.resolve(name));
  }

  @Test
  void twoFourUserGeneratorsAtTheSameTimeMergeAsLevelEight() throws Exception {
    Path a = generator("gen-a", 1), b = generator("gen-b", 2);
    // gen-b's records name their shard; gen-a's do not and are filed under their folder.
    String lines = Files.readString(b.resolve("requests.jsonl")).replace("{\"schema\":1,", "{\"schema\":1,\"shard\":\"host-b\",");
    Files.writeString(b.resolve("requests.jsonl"), lines);
    JsonNode sa = Aggregator.aggregate(List.of(a), a, ReportOptions.defaults().pngCharts(false));
    JsonNode sb = Aggregator.aggregate(List.of(b), b, ReportOptions.defaults().pngCharts(false));
    Path out = tmp.resolve("merged");
    JsonNode m = Aggregator.aggregate(List.of(a, b), out, ReportOptions.defaults().pngCharts(false));
    JsonNode p = m.path("phases").get(0), pa = sa.path("phases").get(0), pb = sb.path("phases").get(0);
    assertEquals(4, pa.path("level").asInt());
    assertEquals(8, p.path("level").asInt(), "4 + 4 users at the same time");
    assertEquals(pa.path("requests").asLong(), p.path("requests_by_shard").path("gen-a").asLong());
    assertEquals(pb.path("requests").asLong(), p.path("requests_by_shard").path("host-b").asLong());
    assertFalse(pa.has("requests_by_shard"), "one generator: no breakdown");
    Histogram h = IncompleteAndMergedRunTest.decode(pa.path("histograms").path("e2e_ms").asText());
    h.add(IncompleteAndMergedRunTest.decode(pb.path("histograms").path("e2e_ms").asText()));
    assertEquals(h, IncompleteAndMergedRunTest.decode(p.path("histograms").path("e2e_ms").asText()));
    assertTrue(Files.readString(out.resolve("report.md")).contains("| c4 | 8 |"));
  }

  @Test
  void foldersOfDifferentModelsOrMaxTokensAreRefusedInOneLineUnlessForced() throws Exception {
    Path a = generator("gen-a", 1), b = generator("gen-b", 2), c = generator("gen-c", 3);
    ObjectNode rb = (ObjectNode) JSON.readTree(b.resolve("run.json").toFile());
    rb.put("model", "other-model");
    JSON.writeValue(b.resolve("run.json").toFile(), rb);
    ObjectNode rc = (ObjectNode) JSON.readTree(c.resolve("run.json").toFile());
    ((ObjectNode) rc.path("parameters")).put("max_tokens", "64");
    JSON.writeValue(c.resolve("run.json").toFile(), rc);
    Path out = tmp.resolve("merged");

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Aggregator.aggregate(List.of(a, b), out, ReportOptions.defaults().pngCharts(false)));
    assertTrue(e.getMessage().contains("model ('synthetic-model' vs 'other-model')"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
    e = assertThrows(IllegalArgumentException.class,
        () -> Aggregator.aggregate(List.of(a, c), out, ReportOptions.defaults().pngCharts(false)));
    assertTrue(e.getMessage().contains("max_tokens ('128' vs '64')"), e.getMessage());
    assertFalse(Files.exists(out.resolve("summary.json")), "nothing written");

    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int rc1 = AggregateMain.run(new String[] {a.toString(), b.toString(), "--out", out.toString()},
        new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(2, rc1);
    assertEquals(1, err.toString(StandardCharsets.UTF_8).strip().lines().count(), err.toString(StandardCharsets.UTF_8));

    JsonNode forced = Aggregator.aggregate(List.of(a, b), out, ReportOptions.defaults().pngCharts(false), true);
    assertTrue(forced.path("warnings").toString().contains("differ in model"), forced.path("warnings").toString());
  }
}
