package io.llmload.e2e;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmload.testing.SimulationRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Streaming checks mark exactly the requests that break their bounds as KO. */
class StreamingChecksTest {

  @Test
  void ttftAndTokensPerSecondChecksMarkExactlyTheBreakingRequests(@TempDir Path dir) throws Exception {
    double ttftBound = 250;
    double tpsBound = 60;
    var r =
        SimulationRunner.run(
            "io.llmload.testsims.CheckedChat",
            Map.of(
                "emulator.mode", "fixed-rate",
                "emulator.tokensPerSecond", "40",
                "maxTokens", "20",
                "test.requests", "8",
                "test.ttftBoundMs", "250",
                "test.tpsBound", "60"),
            dir,
            Duration.ofSeconds(120));
    // KO requests make no assertion fail here (none declared), so Gatling exits 0.
    assertEquals(0, r.exitCode(), SimulationRunner.tail(r.output()));
    List<JsonNode> recs = new ArrayList<>();
    for (String line : Files.readAllLines(r.runFolder().resolve("requests.jsonl"))) {
      recs.add(new ObjectMapper().readTree(line));
    }
    assertEquals(8, recs.size());
    int ok = 0, ttftFailed = 0, tpsFailed = 0;
    for (JsonNode n : recs) {
      double ttft = n.get("ttft_ms").asDouble();
      double tps = n.get("tokens_per_s").asDouble();
      boolean breaks = ttft >= ttftBound || tps <= tpsBound;
      String status = n.get("status").asText();
      assertEquals(breaks ? "check_failed" : "ok", status, n.toString());
      if (!breaks) ok++;
      else if (ttft >= ttftBound) {
        ttftFailed++;
        assertTrue(n.get("error").asText().startsWith("ttft.lt(250.0), but actually found "), n.toString());
      } else {
        tpsFailed++;
        assertTrue(n.get("error").asText().startsWith("tokensPerSecond.gt(60.0), but actually found "), n.toString());
      }
    }
    // Both sides of each bound occurred.
    assertTrue(ok > 0 && ttftFailed > 0 && tpsFailed > 0, "ok=" + ok + " ttft=" + ttftFailed + " tps=" + tpsFailed);
    long[] counts = r.gatlingCount("chat");
    assertArrayEquals(new long[] {8, ok, 8 - ok}, counts, "Gatling's own count agrees with the records");
    // Gatling's error table: one row per failed check, never one per measured value
    Map<String, Long> errors = new java.util.TreeMap<>();
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("(?m)^> (check_failed: .*?)\\s+(\\d+) \\(\\s*[\\d.]+%\\)\\s*$").matcher(r.output());
    while (m.find()) errors.put(m.group(1), Long.parseLong(m.group(2)));
    assertEquals(
        java.util.Set.of("check_failed: ttft.lt(250.0)", "check_failed: tokensPerSecond.gt(60.0)"),
        errors.keySet(), SimulationRunner.tail(r.output()));
  }
}
