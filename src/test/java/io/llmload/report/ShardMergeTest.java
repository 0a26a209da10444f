package io.llmload.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The merge's refusals and its incomplete result, on hand-written shard folders (no load). */
class ShardMergeTest {
  private static final long T0 = 1_800_000_000_000_000L;

  /** A shard's folder: one phase c4 of 10 s with its share, two records. */
  private static Path shard(Path dir, int index, int count, long startUs, String rate, boolean complete) throws Exception {
    Path f = dir.resolve("shard" + index + "-" + startUs);
    Files.createDirectories(f);
    int share = 4 / count + (index < 4 % count ? 1 : 0);
    Files.writeString(f.resolve("run.json"), """
        {"schema":1,"simulation":"io.llmload.simulations.ConstantUsers","model":"m","protocol":"openai-chat",
         "parameters":{"users":"%s","shards":%d,"shard":"%d","maxTokens":"8"},"start_epoch_us":%d,"end_epoch_us":%d,
         "phases":[{"name":"c4","level":%d,"start_epoch_us":%d,"end_epoch_us":%d,"warmup_end_epoch_us":%d}],
         "shard":{"index":%d,"count":%d,"start_at_epoch_ms":1800000000000,"actual_start_epoch_us":%d},
         "complete":%s}
        """.formatted(rate, count, index, startUs, startUs + 10_000_000, share, startUs, startUs + 10_000_000, startUs,
        index, count, startUs, complete));
    StringBuilder recs = new StringBuilder();
    for (int k = 0; k < 2; k++) {
      long sent = startUs + 1_000_000 + k * 100_000;
      recs.append("""
          {"schema":1,"definitions":2,"protocol":"openai-chat","scenario":"chat","request":"chat","phase":"c4","level":%d,"warmup":false,"user":%d,"seq":%d,"id":"r%d-%d","shard":"%d/%d","status":"ok","scheduled_epoch_us":%d,"start_epoch_us":%d,"sent_epoch_us":%d,"end_epoch_us":%d,"ttft_ms":20.0,"e2e_ms":100.0,"output_tokens":8}
          """.formatted(share, k, k, index, k, index, count, sent, sent, sent, sent + 100_000).strip()).append('\n');
    }
    Files.writeString(f.resolve("requests.jsonl"), recs.toString());
    return f;
  }

  private static int merge(StringBuilder console, Object... args) {
    List<String> a = new ArrayList<>();
    for (Object o : args) a.add(o.toString());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream p = new PrintStream(out, true, StandardCharsets.UTF_8);
    int rc = MergeShardsMain.run(a.toArray(String[]::new), p, p);
    console.append(out.toString(StandardCharsets.UTF_8));
    return rc;
  }

  @Test
  void levelsAddAndRecordsAreAllKept(@TempDir Path dir) throws Exception {
    StringBuilder c = new StringBuilder();
    Path out = dir.resolve("m");
    assertEquals(0, merge(c, shard(dir, 0, 3, T0, "4", true), shard(dir, 1, 3, T0 + 2000, "4", true),
        shard(dir, 2, 3, T0 + 1000, "4", true), "--out", out), c.toString());
    String summary = Files.readString(out.resolve("summary.json"));
    assertTrue(summary.contains("\"level\" : 4"), summary);
    assertEquals(6, Files.readAllLines(out.resolve("requests.jsonl")).size());
    assertTrue(Files.readString(out.resolve("run.json")).contains("\"start_spread_ms\" : 2.0"));
  }

  @Test
  void badInputIsOneLineBeforeMerging(@TempDir Path dir) throws Exception {
    Path a = shard(dir, 0, 2, T0, "4", true);
    String[][] cases = {
      {"merge: shard 0 given twice", a.toString(), shard(dir, 0, 2, T0 + 1, "4", true).toString()},
      {"is shard 1 of 3, the others of 2", a.toString(), shard(dir, 1, 3, T0, "4", true).toString()},
      {"differ in parameter users", a.toString(), shard(dir, 1, 2, T0 + 2, "8", true).toString()},
      {"spread over 1500.0 ms, more than the tolerance of 1000 ms", a.toString(),
          shard(dir, 1, 2, T0 + 1_500_000, "4", true).toString()},
    };
    for (String[] k : cases) {
      StringBuilder c = new StringBuilder();
      assertEquals(2, merge(c, k[1], k[2], "--out", dir.resolve("x")), c.toString());
      assertTrue(c.toString().contains(k[0]), c.toString());
      assertEquals(1, c.toString().strip().lines().count(), c.toString());
    }
    StringBuilder c = new StringBuilder();
    assertEquals(0, merge(c, a, shard(dir, 1, 2, T0 + 1_500_000, "4", true), "--out", dir.resolve("y"), "--force"), c.toString());
    assertTrue(c.toString().contains("(forced)"), c.toString());
  }

  @Test
  void aMissingOrCutShortShardIsNamedAndTheResultIncomplete(@TempDir Path dir) throws Exception {
    StringBuilder c = new StringBuilder();
    Path out = dir.resolve("m");
    Path cut = shard(dir, 1, 3, T0, "4", false);
    Files.writeString(cut.resolve("requests.jsonl"), "{\"schema\":1,\"torn", java.nio.file.StandardOpenOption.APPEND);
    assertEquals(3, merge(c, shard(dir, 0, 3, T0, "4", true), cut, "--out", out), c.toString());
    String summary = Files.readString(out.resolve("summary.json"));
    assertTrue(summary.contains("shard 2 of 3 is missing"), summary);
    assertTrue(summary.contains("shard 1 (" + cut.getFileName() + ") did not end normally"), summary);
    assertTrue(summary.contains("\"complete\" : false"), summary);
    assertEquals(4, Files.readAllLines(out.resolve("requests.jsonl")).size(), "the torn line is left out");
    assertFalse(c.toString().isBlank());
  }
}
