package io.llmload.faults;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmload.report.Aggregator;
import io.llmload.report.ReportOptions;
import io.llmload.testing.SimulationRunner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGKILL of the Gatling JVM mid-run: what was written stays readable and is reported as incomplete. */
class CrashSafetyTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aKilledRunLeavesReadableFilesAndAnIncompleteReport(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("run.log");
    Path results = dir.resolve("results");
    Process p =
        SimulationRunner.start(
            "io.llmload.simulations.ConstantUsers",
            Map.of(
                "users", "4",
                "duration", "60s",
                "maxTokens", "20",
                "emulator.mode", "fixed-rate",
                "emulator.tokensPerSecond", "100",
                "collector.hostPeriod", "200ms",
                "console.period", "0s"),
            results,
            log);
    Path folder;
    try {
      folder = awaitRecords(results, p, log);
      p.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no after()
      assertTrue(p.waitFor(20, TimeUnit.SECONDS), "the killed JVM ended");
    } finally {
      if (p.isAlive()) p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    assertEquals(137, p.exitValue(), "killed by SIGKILL");

    // requests.jsonl: every complete line parses; at most the last one is torn.
    String text = Files.readString(folder.resolve("requests.jsonl"), StandardCharsets.UTF_8);
    int lastNewline = text.lastIndexOf('\n');
    List<String> complete = text.substring(0, lastNewline + 1).lines().toList();
    assertTrue(complete.size() >= 8, "records before the kill: " + complete.size());
    for (String line : complete) {
      JsonNode n = JSON.readTree(line);
      assertTrue(n.hasNonNull("status") && n.hasNonNull("id"), line);
    }

    // The collector's CSVs: a header, then rows of the same width.
    Path hw = folder.resolve("hardware");
    Path host = hw.resolve("host.csv");
    assertTrue(Files.exists(host), "host.csv in " + hw + ": " + list(hw));
    List<String> rows = Files.readAllLines(host);
    assertTrue(rows.get(0).startsWith("epoch_ms,"), rows.get(0));
    int width = rows.get(0).split(",", -1).length;
    long full = rows.stream().skip(1).filter(r -> r.split(",", -1).length == width).count();
    assertTrue(full >= 2, "host rows: " + rows);
    if (Files.exists(hw.resolve("collector.json"))) JSON.readTree(hw.resolve("collector.json").toFile());

    JsonNode runJson = JSON.readTree(folder.resolve("run.json").toFile());
    assertFalse(runJson.get("complete").asBoolean(), "run.json says the run did not finish");

    Path out = dir.resolve("report");
    Files.createDirectories(out);
    JsonNode summary = Aggregator.aggregate(List.of(folder), out, ReportOptions.defaults());
    assertFalse(summary.get("complete").asBoolean(), "the aggregator reports the run as incomplete");
    long counted = 0;
    for (JsonNode ph : summary.get("phases")) counted += ph.get("requests").asLong() + ph.get("warmup_requests").asLong();
    assertEquals(complete.size(), counted, "every complete record is counted");
    assertTrue(Files.exists(out.resolve("summary.json")), "summary written: " + list(out));
  }

  /** Waits for LATEST (records may still be in staging before it) and some records and host rows. */
  private static Path awaitRecords(Path results, Process p, Path log) throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < end) {
      if (!p.isAlive()) fail("the run ended before it was killed:\n" + Files.readString(log));
      Path latest = results.resolve("LATEST");
      if (Files.exists(latest)) {
        Path folder = results.resolve(Files.readString(latest).trim());
        Path jsonl = folder.resolve("requests.jsonl");
        Path host = folder.resolve("hardware").resolve("host.csv");
        if (Files.exists(jsonl) && Files.readAllLines(jsonl).size() >= 10 && Files.exists(host) && Files.readAllLines(host).size() >= 4) {
          return folder;
        }
      }
      Thread.sleep(100);
    }
    fail("no records within 60 s:\n" + SimulationRunner.tail(Files.readString(log)));
    return null;
  }

  private static String list(Path dir) throws java.io.IOException {
    if (!Files.isDirectory(dir)) return "(no folder)";
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(x -> x.getFileName().toString()).toList().toString();
    }
  }
}
