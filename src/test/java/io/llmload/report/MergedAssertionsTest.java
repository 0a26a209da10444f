package io.llmload.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The simulation's Gatling assertions judged again after a merge, over both shards' records, on
 * hand-written shard folders whose answers are counted by hand: shard 0 sends 100 requests of
 * 100 ms, all ok; shard 1 sends 100, of which 10 take 900 ms and 4 fail. Each shard's own Gatling
 * would judge its part: shard 1 alone fails an E2E p95 of 500 ms (its p95 is 900) and an error
 * rate of 3 % (it has 4 %); over the whole load the p95 is 100 ms (190th of 200 values) and the
 * error rate 2 %: both hold. The p99 (198th value: 900 ms) does not.
 */
class MergedAssertionsTest {
  private static final long T0 = 1_800_000_000_000_000L;
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Path shard(Path dir, int index, String assertions) throws Exception {
    Path f = dir.resolve("shard" + index);
    Files.createDirectories(f);
    long start = T0 + index * 1000;
    Files.writeString(f.resolve("run.json"), """
        {"schema":1,"simulation":"io.llmload.simulations.ConstantUsers","model":"m","protocol":"openai-chat",
         "parameters":{"users":"4","shards":2,"shard":"%d"},"start_epoch_us":%d,"end_epoch_us":%d,
         "phases":[{"name":"c4","level":2,"start_epoch_us":%d,"end_epoch_us":%d,"warmup_end_epoch_us":%d}],
         "shard":{"index":%d,"count":2,"start_at_epoch_ms":1800000000000,"actual_start_epoch_us":%d},
         "assertions":%s, "complete":true}
        """.formatted(index, start, start + 60_000_000, start, start + 60_000_000, start, index, start, assertions));
    StringBuilder recs = new StringBuilder();
    for (int k = 0; k < 100; k++) {
      // sent 0.4 ms into a millisecond: Gatling's row truncates both ends to whole epoch ms
      long sent = start + 1_000_000 + k * 500_000L + 400;
      boolean slow = index == 1 && k % 10 == 0;
      boolean failed = index == 1 && k % 25 == 1;
      long e2eUs = slow ? 900_000 : 100_000;
      recs.append("""
          {"schema":1,"definitions":2,"protocol":"openai-chat","scenario":"chat","request":"chat","phase":"c4","level":2,"warmup":false,"user":%d,"seq":%d,"id":"r%d-%d","shard":"%d/2","status":"%s","scheduled_epoch_us":%d,"start_epoch_us":%d,"sent_epoch_us":%d,"end_epoch_us":%d,"ttft_ms":%s,"e2e_ms":%s,"tpot_ms":%s,"output_tokens":8}
          """.formatted(k % 2, k, index, k, index, failed ? "http_error" : "ok", sent, sent, sent, sent + e2eUs,
          failed ? "null" : "20.0", e2eUs / 1000.0, failed ? "null" : slow ? "110.0" : "10.0").strip()).append('\n');
    }
    Files.writeString(f.resolve("requests.jsonl"), recs.toString());
    return f;
  }

  private static int merge(StringBuilder console, Path out, Path... shards) {
    String[] args = new String[shards.length + 2];
    for (int i = 0; i < shards.length; i++) args[i] = shards[i].toString();
    args[shards.length] = "--out";
    args[shards.length + 1] = out.toString();
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    PrintStream p = new PrintStream(o, true, StandardCharsets.UTF_8);
    int rc = MergeShardsMain.run(args, p, p);
    console.append(o.toString(StandardCharsets.UTF_8));
    return rc;
  }

  private static final String HOLDING = """
      [{"row":"chat","stat":"response_time_percentile","percentile":95,"lte":500},
       {"row":"chat ttft","stat":"response_time_percentile","percentile":50,"lte":20},
       {"row":"chat","stat":"failed_percent","lte":3.0},
       {"row":"chat","stat":"tpot_percentile","percentile":90,"lte":10.0}]""";

  @Test
  void theMergedVerdictIsOverEveryShardsRecordsNotAnyShardsOwn(@TempDir Path dir) throws Exception {
    StringBuilder c = new StringBuilder();
    Path out = dir.resolve("merged");
    assertEquals(0, merge(c, out, shard(dir, 0, HOLDING), shard(dir, 1, HOLDING)), c.toString());
    JsonNode a = JSON.readTree(out.resolve("summary.json").toFile()).path("assertions");
    assertEquals("passed", a.path("verdict").asText(), c.toString());
    JsonNode r = a.path("results");
    assertEquals(200, r.get(0).path("requests").asInt());
    assertEquals(100.0, r.get(0).path("actual").asDouble(), "p95: the 190th of 200 spans is 100 ms");
    assertEquals(196, r.get(1).path("requests").asInt(), "the ttft row has the requests with a first token");
    assertEquals(20.0, r.get(1).path("actual").asDouble());
    assertEquals(2.0, r.get(2).path("actual").asDouble(), 1e-9, "4 of 200 failed");
    assertEquals(10.0, r.get(3).path("actual").asDouble(), "TPOT p90 over 196 ok requests: the 177th is 10 ms");
    // shard 1 alone, as its own Gatling judged it: p95 900 ms and 4 % failed
    JsonNode alone = JSON.readTree(AssertionJudge.judge(RunFolder.open(dir.resolve("shard1"), JSON), JSON).toString());
    assertEquals("failed", alone.path("verdict").asText());
    assertEquals(900.0, alone.path("results").get(0).path("actual").asDouble());
    assertEquals(4.0, alone.path("results").get(2).path("actual").asDouble(), 1e-9);
    assertTrue(c.toString().contains("Gatling assertions over all shards: PASSED"), c.toString());
    assertTrue(Files.readString(out.resolve("report.md")).contains("Gatling assertions, judged over this folder's records: PASSED"));
  }

  @Test
  void aFailedAssertionOverTheMergeIsInTheReportAndTheExitCode(@TempDir Path dir) throws Exception {
    String p99 = """
        [{"row":"chat","stat":"response_time_percentile","percentile":99,"lte":500}]""";
    StringBuilder c = new StringBuilder();
    Path out = dir.resolve("merged");
    assertEquals(MergeShardsMain.ASSERTIONS_FAILED, merge(c, out, shard(dir, 0, p99), shard(dir, 1, p99)), c.toString());
    JsonNode a = JSON.readTree(out.resolve("summary.json").toFile()).path("assertions");
    assertEquals("failed", a.path("verdict").asText());
    assertEquals(900.0, a.path("results").get(0).path("actual").asDouble(), "p99: the 198th of 200 is 900 ms");
    String md = Files.readString(out.resolve("report.md"));
    assertTrue(md.contains("| chat | response time percentile p99 | ≤ 500 | 900 | 200 | FAILED |"), md);
    assertTrue(c.toString().contains("chat: 99th percentile of response time (ms) is less than or equal to 500 : false"), c.toString());
  }

  @Test
  void aRunWithoutAssertionsHasNoVerdict(@TempDir Path dir) throws Exception {
    StringBuilder c = new StringBuilder();
    Path out = dir.resolve("merged");
    assertEquals(0, merge(c, out, shard(dir, 0, "[]"), shard(dir, 1, "[]")), c.toString());
    assertFalse(JSON.readTree(out.resolve("summary.json").toFile()).has("assertions"));
    assertFalse(c.toString().contains("Gatling assertions"));
  }
}
