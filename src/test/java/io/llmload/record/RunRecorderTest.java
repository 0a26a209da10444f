package io.llmload.record;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunRecorderTest {

  private static RequestRecord record(int i) {
    RequestRecord r = new RequestRecord();
    r.protocol = "openai-chat";
    r.scenario = "chat";
    r.request = "chat";
    r.id = "r" + i;
    r.status = "ok";
    r.scheduledEpochUs = 1;
    r.endEpochUs = 2;
    r.ttftMs = 12.3456789;
    r.outputTokens = 10L;
    r.outputTokensSource = "usage";
    r.itlNanos = new long[] {1_000_000, 3_000_000, 2_000_000, 0};
    r.itlWeights = new int[] {1, 1, 1, 0};
    r.itlEntries = 3;
    r.itlCount = 3;
    r.itlSumNanos = 6_000_000;
    return r;
  }

  @Test
  void recordsWrittenBeforeTheRunFolderExistsMoveIntoIt(@TempDir Path dir) throws Exception {
    RunRecorder rec = new RunRecorder(dir, "io.llmload.simulations.ConstantUsers");
    rec.append(record(1));
    rec.append(record(2));
    long armed = System.currentTimeMillis();
    rec.armLocator(armed);
    Thread.sleep(300);
    assertNull(rec.runFolder());
    assertEquals(2, Files.readAllLines(rec.staging().resolve("requests.jsonl")).size());

    String name = "constantusers-"
        + DateTimeFormatter.ofPattern("yyyyMMddHHmmssSSS").withZone(ZoneOffset.UTC).format(Instant.ofEpochMilli(armed + 3));
    Path run = Files.createDirectories(dir.resolve(name));
    assertEquals(run, rec.awaitRunFolder(5000));
    rec.append(record(3));
    rec.close();

    List<String> lines = Files.readAllLines(run.resolve("requests.jsonl"));
    assertEquals(3, lines.size());
    assertEquals(name, Files.readString(dir.resolve("LATEST")).trim());
    assertFalse(Files.exists(rec.staging()), "staging folder removed once empty");

    JsonNode first = new ObjectMapper().readTree(lines.get(0));
    assertEquals(1, first.get("schema").asInt());
    assertEquals(12.346, first.get("ttft_ms").asDouble(), 1e-9);
    assertEquals(3, first.get("itl_ms").get("n").asInt());
    assertEquals(2.0, first.get("itl_ms").get("p50").asDouble(), 1e-9);
    assertEquals(3.0, first.get("itl_ms").get("max").asDouble(), 1e-9);
    assertFalse(first.has("tpot_ms"), "absent values are omitted, never 0");
    assertEquals(2, first.get("definitions").asInt());
  }

  /** The gap histogram holds every gap, weights included, and decodes to the same counts. */
  @Test
  void gapHistogramIsCompactAndMergesExactly() throws Exception {
    RequestRecord a = record(1);
    // 255 gaps of a 20 ms +- 2 ms decode, as (value, weight) entries; the reference is plain arithmetic
    java.util.Random rnd = new java.util.Random(7);
    a.itlNanos = new long[200];
    a.itlWeights = new int[200];
    long count = 0;
    long below21 = 0;
    for (int i = 0; i < 200; i++) {
      long v = 18_000_000 + rnd.nextInt(4_000_000);
      int w = i < 55 ? 2 : 1;
      a.itlNanos[i] = v;
      a.itlWeights[i] = w;
      count += w;
      if (v < 21_000_000) below21 += w;
    }
    a.itlEntries = 200;
    a.itlCount = count;
    a.itlSumNanos = 1;
    java.io.StringWriter out = new java.io.StringWriter();
    try (var g = new com.fasterxml.jackson.core.JsonFactory().createGenerator(out)) {
      a.write(g);
    }
    JsonNode j = new ObjectMapper().readTree(out.toString());
    String enc = j.get("itl_hist").asText();
    assertTrue(enc.length() < 700, "compact: " + enc.length() + " characters for " + count + " gaps");
    org.HdrHistogram.Histogram h = GapHistogram.decode(enc);
    assertEquals(count, h.getTotalCount());
    assertEquals(count, j.get("itl_ms").get("n").asLong());
    // µs, 3 significant digits: the count below 21 ms is exact up to the bucket holding 21,000 µs
    long hBelow = h.getCountBetweenValues(0, 20_990);
    assertTrue(Math.abs(hBelow - below21) <= 3, hBelow + " vs " + below21);
    org.HdrHistogram.Histogram merged = GapHistogram.decode(enc);
    merged.add(GapHistogram.decode(enc));
    assertEquals(2 * count, merged.getTotalCount());
    assertEquals(h.getValueAtPercentile(99), merged.getValueAtPercentile(99));
    var bad = assertThrows(IllegalArgumentException.class, () -> GapHistogram.decode("not-a-histogram"));
    assertTrue(bad.getMessage().startsWith("itl_hist: "), bad.getMessage());
  }
}
