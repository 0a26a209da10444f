package io.llmload.cluster;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The merge job's wait: it ends when all N markers are there, names the others when it gives up. */
class ShardsAwaitTest {

  @Test
  void endsAsSoonAsTheLastShardWritesItsMarker(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("shard-0.exit"), "0\n");
    Thread late = new Thread(() -> {
      try {
        Thread.sleep(300);
        Files.writeString(dir.resolve("shard-1.exit"), "0\n");
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    });
    late.start();
    long t0 = System.nanoTime();
    List<String> problems = ShardsAwait.await(dir, 2, Duration.ofSeconds(20), Duration.ofMillis(20));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    late.join();
    assertEquals(List.of(), problems);
    assertTrue(ms >= 250 && ms < 10_000, "waited for the late marker, not for the whole wait: " + ms + " ms");
  }

  @Test
  void namesTheShardsThatDidNotFinishOrFailed(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("shard-0.exit"), "0\n");
    Files.writeString(dir.resolve("shard-2.exit"), "137\n");
    List<String> problems = ShardsAwait.await(dir, 4, Duration.ofMillis(200), Duration.ofMillis(20));
    assertEquals(List.of("1 has not finished (no shard-1.exit)", "2 exited 137", "3 has not finished (no shard-3.exit)"),
        problems);
  }

  @Test
  void mergeWithoutAnyRunFolderSaysSoAndExits3(@TempDir Path dir) throws Exception {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = ShardsAwait.run(dir, List.of("--wait", "100ms"), Map.of("SHARDS", "2"),
        new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
    String e = err.toString(StandardCharsets.UTF_8);
    assertEquals(3, code, e);
    assertTrue(e.contains("merge: shard 0 has not finished") && e.contains("merge: shard 1 has not finished"), e);
    assertTrue(e.contains("nothing to merge"), e);
  }

  @Test
  void badShardCountOrWaitIsOneLineBeforeWaiting(@TempDir Path dir) throws Exception {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
    PrintStream o = new PrintStream(new ByteArrayOutputStream());
    assertEquals(2, ShardsAwait.run(dir, List.of(), Map.of("SHARDS", "three"), o, e));
    assertEquals(2, ShardsAwait.run(dir, List.of("--wait", "soon"), Map.of("SHARDS", "3"), o, e));
    String lines = err.toString(StandardCharsets.UTF_8);
    assertTrue(lines.contains("shards: 'three' is not a whole number >= 1"), lines);
    assertTrue(lines.contains("--wait"), lines);
    assertEquals(2, lines.strip().split("\n").length, lines);
  }
}
