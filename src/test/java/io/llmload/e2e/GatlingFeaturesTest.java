package io.llmload.e2e;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmload.testing.SimulationRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Gatling's own features work around {@code llm(...)} as around {@code http(...)}. */
class GatlingFeaturesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static SimulationRunner.Result run(Path dir, String... kv) throws Exception {
    Map<String, String> p = new HashMap<>(Map.of(
        "emulator.mode", "fixed-rate", "emulator.tokensPerSecond", "400", "maxTokens", "4", "console.period", "0s"));
    for (int i = 0; i < kv.length; i += 2) p.put(kv[i], kv[i + 1]);
    return SimulationRunner.run("io.llmload.testsims.GatlingFeatures", p, dir, Duration.ofSeconds(120));
  }

  private static List<JsonNode> records(SimulationRunner.Result r) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (String l : Files.readAllLines(r.runFolder().resolve("requests.jsonl"))) out.add(JSON.readTree(l));
    return out;
  }

  /** Four users that would send ~100 requests/s, throttled to 5/s for 3 s. */
  @Test
  void throttleHoldsTheRequestRate(@TempDir Path dir) throws Exception {
    var r = run(dir, "test.throttle", "5");
    assertEquals(0, r.exitCode(), SimulationRunner.tail(r.output()));
    List<JsonNode> recs = records(r);
    assertTrue(recs.size() >= 10 && recs.size() <= 20, "5 requests/s for 3 s, not " + recs.size());
    // spread over the 3 s, not sent in a burst
    long first = recs.stream().mapToLong(n -> n.get("sent_epoch_us").asLong()).min().orElseThrow();
    long last = recs.stream().mapToLong(n -> n.get("sent_epoch_us").asLong()).max().orElseThrow();
    assertTrue(last - first >= 2_000_000, "sends spread over the throttle: " + (last - first) + " us");
  }

  @Test
  void groupPauseExitTryMaxRandomSwitchAndFeeders(@TempDir Path dir) throws Exception {
    var r = run(dir);
    String out = r.output();
    assertEquals(0, r.exitCode(), SimulationRunner.tail(out));
    // every assertion of the simulation was evaluated, and held
    for (String a : List.of("turn / grouped: count of all events is 1.0", "before: count of successful events is 1.0",
        "after: count of successful events is 1.0", "doomed: count of failed events is 1.0",
        "flaky: count of failed events is 3.0", "fed: count of successful events is 3.0")) {
      assertTrue(out.contains(a + " : true"), "assertion '" + a + "' held:\n" + assertionLines(out));
    }
    List<JsonNode> recs = records(r);
    Map<String, List<JsonNode>> byName = new HashMap<>();
    for (JsonNode n : recs) byName.computeIfAbsent(n.get("request").asText(), k -> new ArrayList<>()).add(n);
    // pause: the second request went at least 400 ms after the first ended
    long firstEnd = byName.get("before").get(0).get("end_epoch_us").asLong();
    long secondSent = byName.get("after").get(0).get("sent_epoch_us").asLong();
    assertTrue(secondSent - firstEnd >= 400_000, "pause(400ms) held: " + (secondSent - firstEnd) + " us");
    // exitHereIfFailed: the user stopped at the failed request
    assertFalse(byName.containsKey("unreached"), "nothing after exitHereIfFailed");
    assertEquals("check_failed", byName.get("doomed").get(0).get("status").asText());
    // tryMax(3): three tries of the same user
    assertEquals(3, byName.get("flaky").size());
    assertEquals(1, byName.get("flaky").stream().map(n -> n.get("user").asLong()).distinct().count());
    // randomSwitch: 20 users split between the branches, none lost
    int heads = byName.getOrDefault("heads", List.of()).size();
    int tails = byName.getOrDefault("tails", List.of()).size();
    assertEquals(20, heads + tails);
    assertTrue(heads > 0 && tails > 0, "both branches taken: " + heads + " / " + tails);
    // feeder: each user's record carries its own fed value
    TreeSet<Integer> fed = new TreeSet<>();
    for (JsonNode n : byName.get("fed")) {
      fed.add(n.get("max_tokens").asInt());
      assertEquals(n.get("max_tokens").asInt(), n.get("output_tokens").asInt(), "the fed length was asked: " + n);
    }
    assertEquals(new TreeSet<>(List.of(3, 5, 7)), fed);
  }

  private static String assertionLines(String out) {
    StringBuilder sb = new StringBuilder();
    for (String l : out.split("\n")) if (l.endsWith(": true") || l.endsWith(": false")) sb.append(l).append('\n');
    return sb.toString();
  }

  /**
   * maxDuration ends a run whose users loop on llm(...) forever: they stop with the simulation
   * (they kept the event loops busy, and the run never ended).
   */
  @Test
  void maxDurationEndsAForeverLoop(@TempDir Path dir) throws Exception {
    long t0 = System.nanoTime();
    var r = run(dir, "test.maxDuration", "true");
    assertEquals(0, r.exitCode(), SimulationRunner.tail(r.output()));
    assertTrue(records(r).size() > 10, "the users looped until maxDuration");
    assertTrue(System.nanoTime() - t0 < 60e9, "the run ended soon after its 3 s");
  }
}
