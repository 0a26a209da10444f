package io.llmload.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #15, points 8 and 9: ITL percentiles over every gap of a phase, from the records' gap
 * histograms (contract of issue #13: {@code itl_hist}, µs), and the definitions version carried
 * into summary.json. Records are SYNTHETIC, built here with HdrHistogram directly.
 */
class ItlAndDefinitionsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long T0 = 1_800_000_000_000_000L;
  @TempDir Path tmp;

  static String encode(Histogram h) {
    ByteBuffer b = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
    int n = h.encodeIntoCompressedByteBuffer(b);
    byte[] out = new byte[n];
    b.flip();
    b.get(out);
    return Base64.getEncoder().encodeToString(out);
  }

  private Path folder(String name, List<String> records) throws Exception {
    Path dir = tmp.resolve(name);
    Files.createDirectories(dir);
    ObjectNode run = JSON.createObjectNode();
    run.put("schema", 1);
    run.put("note", "SYNTHETIC");
    run.put("complete", true);
    run.putArray("phases").addObject().put("name", "c4").put("level", 4).put("start_epoch_us", T0)
        .put("end_epoch_us", T0 + 100_000_000L).put("warmup_end_epoch_us", T0);
    JSON.writeValue(dir.resolve("run.json").toFile(), run);
    Files.writeString(dir.resolve("requests.jsonl"), String.join("\n", records) + "\n");
    return dir;
  }

  /** One record whose gaps are {@code gapsMs}; with {@code definitions} null it is a schema-1 record without itl_hist. */
  private static String record(int i, double[] gapsMs, Integer definitions) {
    Histogram h = new Histogram(3);
    double sum = 0, max = 0;
    for (double g : gapsMs) {
      h.recordValue(Math.round(g * 1000));
      sum += g;
      max = Math.max(max, g);
    }
    long sent = T0 + i * 500_000L;
    double last = 50 + sum;
    StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
        "{\"schema\":1,\"phase\":\"c4\",\"level\":4,\"warmup\":false,\"status\":\"ok\",\"sent_epoch_us\":%d,"
            + "\"end_epoch_us\":%d,\"ttft_ms\":50,\"last_token_ms\":%s,\"e2e_ms\":%s,\"output_tokens\":%d,"
            + "\"itl_ms\":{\"n\":%d,\"mean\":%s,\"max\":%s}",
        sent, sent + Math.round(last * 1000), last, last, gapsMs.length + 1, gapsMs.length, sum / gapsMs.length, max));
    if (definitions != null) {
      b.append(",\"definitions\":").append(definitions).append(",\"itl_hist\":\"").append(encode(h)).append('"');
    }
    return b.append('}').toString();
  }

  /** 98 gaps of 10 ms and 2 stalls of 1 s per request: every request's mean is 29.6 ms, yet 2 % of gaps are 1 s. */
  @Test
  void itlP99IsOverAllGapsAndTheMeansKeepTheirOwnName() throws Exception {
    List<String> records = new ArrayList<>();
    List<Double> all = new ArrayList<>();
    SplittableRandom rnd = new SplittableRandom(5);
    for (int i = 0; i < 100; i++) {
      double[] gaps = new double[100];
      for (int k = 0; k < 100; k++) gaps[k] = k < 2 ? 1000 : 9 + 2 * rnd.nextDouble();
      for (double g : gaps) all.add(g);
      records.add(record(i, gaps, 2));
    }
    Path run = folder("gaps", records);
    JsonNode p = Aggregator.aggregate(List.of(run), run, ReportOptions.defaults().pngCharts(false)).path("phases").get(0);
    Collections.sort(all);
    // The reference: nearest-rank percentiles of the raw gaps, computed without HdrHistogram.
    double p99 = all.get((int) Math.ceil(0.99 * all.size()) - 1);
    double p50 = all.get((int) Math.ceil(0.50 * all.size()) - 1);
    JsonNode itl = p.path("itl_ms");
    assertEquals("gaps", p.path("itl_basis").asText());
    assertEquals(10_000, itl.path("n").asLong());
    assertEquals(1000.0, p99, 1e-9);
    assertEquals(p99, itl.path("p99").asDouble(), 0.001 * p99, itl.toString());
    assertEquals(p50, itl.path("p50").asDouble(), 0.001 * p50, itl.toString());
    assertEquals(1000.0, itl.path("max").asDouble(), 1e-9);
    double mean = all.stream().mapToDouble(Double::doubleValue).sum() / all.size();
    assertEquals(mean, itl.path("mean").asDouble(), 1e-3);
    // The per-request means, under their own name: none is near a second.
    JsonNode means = p.path("itl_request_mean_ms");
    assertEquals(100, means.path("n").asLong());
    assertTrue(means.path("p99").asDouble() < 31 && means.path("p99").asDouble() > 28, means.toString());
    assertEquals(2, JSON.readTree(Files.readString(run.resolve("summary.json"))).path("definitions").asInt());
  }

  /** A schema-1 folder (no itl_hist, no definitions) still aggregates: means stand for their gaps, and it says so. */
  @Test
  void recordsWithoutGapHistogramsFallBackToWeightedMeansAndDefinitionsOne() throws Exception {
    List<String> records = new ArrayList<>();
    for (int i = 0; i < 10; i++) records.add(record(i, new double[] {10, 20, 30}, i == 0 ? null : 2));
    Path run = folder("mixed", records);
    JsonNode s = Aggregator.aggregate(List.of(run), run, ReportOptions.defaults().pngCharts(false));
    JsonNode p = s.path("phases").get(0);
    assertEquals(1, s.path("definitions").asInt(), "the lowest version seen; a record without the field is 1");
    assertEquals("gaps_and_request_means", p.path("itl_basis").asText());
    assertEquals(30, p.path("itl_ms").path("n").asLong());
    assertEquals(20.0, p.path("itl_ms").path("mean").asDouble(), 1e-9);

    List<String> old = new ArrayList<>();
    for (int i = 0; i < 10; i++) old.add(record(i, new double[] {10, 20, 30}, null));
    Path run1 = folder("schema1", old);
    JsonNode s1 = Aggregator.aggregate(List.of(run1), run1, ReportOptions.defaults().pngCharts(false));
    assertEquals(1, s1.path("definitions").asInt());
    assertEquals("request_means", s1.path("phases").get(0).path("itl_basis").asText());
    assertEquals(20.0, s1.path("phases").get(0).path("itl_ms").path("p99").asDouble(), 0.02);
  }

  /** Connection setup of definitions-2 records (issue #13's connect_ms, tls_ms, reused) per phase; absent for schema 1. */
  @Test
  void connectionSetupIsSummarisedWhereRecordsCarryIt() throws Exception {
    List<String> records = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      String r = record(i, new double[] {10, 20}, 2);
      String setup = i < 2 ? ",\"connect_ms\":" + (1.5 + i) + ",\"tls_ms\":" + (4 + i) + ",\"reused\":false,\"itl_tokens\":\"server\""
          : ",\"reused\":true,\"itl_tokens\":\"server\"";
      records.add(r.substring(0, r.length() - 1) + setup + "}");
    }
    Path run = folder("setup", records);
    JsonNode c = Aggregator.aggregate(List.of(run), run, ReportOptions.defaults().pngCharts(false)).path("phases").get(0)
        .path("connection");
    assertEquals(8, c.path("reused").asLong(), c.toString());
    assertEquals(2, c.path("new").asLong());
    assertEquals(0.8, c.path("reused_share").asDouble(), 1e-9);
    assertEquals(2.0, c.path("connect_ms").path("mean").asDouble(), 1e-9);
    assertEquals(5.0, c.path("tls_ms").path("max").asDouble(), 1e-9);

    List<String> old = new ArrayList<>();
    for (int i = 0; i < 3; i++) old.add(record(i, new double[] {10, 20}, null));
    Path run1 = folder("old", old);
    JsonNode p1 = Aggregator.aggregate(List.of(run1), run1, ReportOptions.defaults().pngCharts(false)).path("phases").get(0);
    assertTrue(p1.path("connection").isNull(), "schema-1 records say nothing of their connections");
  }

  /** The walk over the compressed layout adds exactly what the library's own decoder gives. */
  @Test
  void gapHistogramDecodingMatchesTheLibrary() throws Exception {
    SplittableRandom rnd = new SplittableRandom(11);
    GapHistograms gaps = new GapHistograms();
    Histogram mine = new Histogram(3), theirs = new Histogram(3);
    for (int i = 0; i < 200; i++) {
      Histogram h = new Histogram(3);
      int n = 1 + rnd.nextInt(500);
      for (int k = 0; k < n; k++) h.recordValue((long) Math.exp(rnd.nextDouble() * 20)); // 1 µs … 8 min
      String s = encode(h);
      assertEquals(n, gaps.addTo(s, mine));
      theirs.add(Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(s)), 0));
    }
    assertEquals(theirs.getTotalCount(), mine.getTotalCount());
    for (double q : new double[] {1, 10, 50, 90, 99, 99.9, 100}) {
      assertEquals(theirs.getValueAtPercentile(q), mine.getValueAtPercentile(q), "p" + q);
    }
    assertEquals(-1, gaps.addTo("not base64!", mine));
  }

  /**
   * Definitions 2: connection setup is neither queue delay nor TTFT, so TTFT from the scheduled
   * instant is the record's own field (queue delay 1 + connect 50 + TTFT 10 = 61 ms), not queue
   * delay + TTFT (11 ms); a definitions-1 record still adds the two.
   */
  @Test
  void ttftFromScheduledIncludesConnectionSetup() throws Exception {
    List<String> records = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      long sent = T0 + i * 500_000L;
      records.add(String.format(Locale.ROOT,
          "{\"schema\":1,\"definitions\":2,\"phase\":\"c4\",\"level\":4,\"warmup\":false,\"status\":\"ok\","
              + "\"sent_epoch_us\":%d,\"end_epoch_us\":%d,\"queue_delay_ms\":1,\"connect_ms\":50,\"reused\":false,"
              + "\"ttft_ms\":10,\"ttft_from_scheduled_ms\":61,\"e2e_ms\":100,\"output_tokens\":5}", sent, sent + 100_000));
    }
    Path run = folder("sched2", records);
    JsonNode p = Aggregator.aggregate(List.of(run), run, ReportOptions.defaults().pngCharts(false)).path("phases").get(0);
    assertEquals(61.0, p.path("ttft_from_scheduled_ms").path("p50").asDouble(), 0.1);
    Path old = folder("sched1", List.of(String.format(Locale.ROOT,
        "{\"schema\":1,\"phase\":\"c4\",\"level\":4,\"warmup\":false,\"status\":\"ok\",\"sent_epoch_us\":%d,"
            + "\"end_epoch_us\":%d,\"queue_delay_ms\":1,\"ttft_ms\":10,\"e2e_ms\":100,\"output_tokens\":5}", T0, T0 + 100_000)));
    JsonNode q = Aggregator.aggregate(List.of(old), old, ReportOptions.defaults().pngCharts(false)).path("phases").get(0);
    assertEquals(11.0, q.path("ttft_from_scheduled_ms").path("p50").asDouble(), 0.1);
  }
}
