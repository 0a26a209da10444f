package io.llmload.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading requests.jsonl in many parallel parts gives the figures of reading it whole. */
class ParallelReadTest {
  @TempDir Path tmp;

  @Test
  void segmentsStartLinesAndCoverTheFile() throws Exception {
    SyntheticRun s = new SyntheticRun();
    s.levels = new int[] {1, 4};
    s.phaseSeconds = 20;
    s.gpu = false;
    Path file = s.write(tmp.resolve("seg")).resolve("requests.jsonl");
    byte[] bytes = Files.readAllBytes(file);
    List<long[]> segs = RequestLogReader.segments(file, 3000);
    assertTrue(segs.size() > 10, "many parts: " + segs.size());
    long expect = 0;
    for (long[] seg : segs) {
      assertEquals(expect, seg[0]);
      assertTrue(seg[0] == 0 || bytes[(int) seg[0] - 1] == '\n', "part starts a line");
      expect = seg[1];
    }
    assertEquals(bytes.length, expect);
  }

  @Test
  void manySmallPartsGiveTheSameFiguresAsOne() throws Exception {
    SyntheticRun s = new SyntheticRun();
    s.levels = new int[] {2, 8};
    s.phaseSeconds = 300;
    s.failShare = 0.03;
    Path run = s.write(tmp.resolve("par"));
    // A torn tail must still be seen in the last part.
    Files.writeString(run.resolve("requests.jsonl"), "{\"schema\":1,\"phase\":\"c2\"", java.nio.file.StandardOpenOption.APPEND);
    ReportOptions whole = ReportOptions.defaults().pngCharts(false);
    JsonNode a = Aggregator.aggregate(List.of(run), tmp.resolve("a"), whole);
    JsonNode b = Aggregator.aggregate(List.of(run), tmp.resolve("b"), whole.segmentBytes(20_000));
    assertEquals(a.path("skipped_lines"), b.path("skipped_lines"));
    assertEquals(false, b.path("complete").asBoolean());
    for (int i = 0; i < 2; i++) {
      JsonNode pa = a.path("phases").get(i), pb = b.path("phases").get(i);
      for (String k : new String[] {"requests", "ok", "failed", "failures", "output_tokens", "output_tokens_per_s",
          "ttft_ms", "tpot_ms", "e2e_ms", "itl_ms", "queue_delay_ms", "gpu"}) {
        assertEquals(pa.path(k), pb.path(k), "phase " + i + " " + k);
      }
      for (String h : new String[] {"ttft_ms", "tpot_ms", "e2e_ms", "itl_ms", "queue_delay_ms"}) {
        // Encodings may differ in the histogram's grown range; the counts must not.
        assertEquals(IncompleteAndMergedRunTest.decode(pa.path("histograms").path(h).asText()),
            IncompleteAndMergedRunTest.decode(pb.path("histograms").path(h).asText()), "histogram " + h);
      }
      assertEquals(pa.path("tokens_per_s").path("n"), pb.path("tokens_per_s").path("n"));
      assertEquals(pa.path("tokens_per_s").path("mean").asDouble(), pb.path("tokens_per_s").path("mean").asDouble(), 1e-6);
      assertEquals(Math.min(2000, pa.path("ok").asInt()), pb.path("samples").path("ttft_ms").size());
    }
    assertTrue(a.path("phases").get(1).path("ok").asInt() > 2000, "the sample had to be redrawn");
    JsonNode c = Aggregator.aggregate(List.of(run), tmp.resolve("c"), whole.segmentBytes(20_000).parallelism(3));
    assertEquals(b.path("phases").get(1).path("samples"), c.path("phases").get(1).path("samples"), "reproducible");
  }
}
