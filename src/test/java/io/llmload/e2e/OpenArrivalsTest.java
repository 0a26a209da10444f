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
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each open-model arrival is a Gatling user of its own: several steps, conversations, shards. */
class OpenArrivalsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Map<Long, List<JsonNode>> byUser(Path dir, String chain, String... kv) throws Exception {
    Map<String, String> p = new HashMap<>(Map.of("test.chain", chain, "emulator.mode", "fixed-rate",
        "emulator.tokensPerSecond", "100", "maxTokens", "4", "console.period", "0s"));
    for (int i = 0; i < kv.length; i += 2) p.put(kv[i], kv[i + 1]);
    var r = SimulationRunner.run("io.llmload.testsims.OpenChain", p, dir, Duration.ofSeconds(120));
    assertEquals(0, r.exitCode(), SimulationRunner.tail(r.output()));
    if (chain.equals("steps")) {
      // Gatling's concurrent-users chart counts the arrivals in flight (it showed 1, the pacing
      // user, when arrivals were copies of its session)
      String html = Files.readString(r.runFolder().resolve("index.html"));
      int chart = html.indexOf("renderTo: 'MaxConcurrentUsersContainerId'");
      assertTrue(chart > 0, "Gatling's report has its concurrent-users chart");
      int from = html.indexOf("data: [", chart);
      Matcher m = Pattern.compile("\\[\\d+, (\\d+)\\]").matcher(html.substring(from, html.indexOf("]\n", from + 8) + 1));
      int max = 0;
      while (m.find()) max = Math.max(max, Integer.parseInt(m.group(1)));
      assertTrue(max >= 4, "arrivals of ~0.4 s at 10/s: several users at once in Gatling's chart, not " + max);
    }
    Map<Long, List<JsonNode>> out = new TreeMap<>();
    for (String l : Files.readAllLines(r.runFolder().resolve("requests.jsonl"))) {
      JsonNode n = JSON.readTree(l);
      if (!chain.equals("exit")) assertEquals("ok", n.get("status").asText(), l);
      out.computeIfAbsent(n.get("user").asLong(), k -> new ArrayList<>()).add(n);
    }
    for (List<JsonNode> l : out.values()) l.sort((a, b) -> Long.compare(a.get("sent_epoch_us").asLong(), b.get("sent_epoch_us").asLong()));
    return out;
  }

  @Test
  void anArrivalOfTwoStepsSendsBoth(@TempDir Path dir) throws Exception {
    Map<Long, List<JsonNode>> users = byUser(dir, "steps");
    assertEquals(10, users.size(), "10 arrivals/s for 1 s, each its own user");
    List<Long> firstScheduled = new ArrayList<>();
    for (List<JsonNode> u : users.values()) {
      assertEquals(List.of("first", "second"), u.stream().map(n -> n.get("request").asText()).toList());
      long gap = u.get(1).get("sent_epoch_us").asLong() - u.get(0).get("end_epoch_us").asLong();
      assertTrue(gap >= 300_000, "the pause between the steps held: " + gap + " us");
      firstScheduled.add(u.get(0).get("scheduled_epoch_us").asLong());
      // the second step is measured from when the user reached it, not from the arrival
      assertTrue(u.get(1).get("scheduled_epoch_us").asLong() >= u.get(0).get("end_epoch_us").asLong());
    }
    firstScheduled.sort(null);
    for (int i = 1; i < firstScheduled.size(); i++) {
      assertEquals(100_000, firstScheduled.get(i) - firstScheduled.get(i - 1), 2, "arrivals 100 ms apart");
    }
  }

  @Test
  void multiTurnConversationsRunInTheOpenModel(@TempDir Path dir) throws Exception {
    Map<Long, List<JsonNode>> users = byUser(dir, "turns", "rate", "5");
    assertEquals(5, users.size());
    for (List<JsonNode> u : users.values()) {
      assertEquals(3, u.size(), "three turns per arrival");
      // the history grows: each turn's prompt is longer than the last
      for (int i = 1; i < 3; i++) {
        assertTrue(u.get(i).get("prompt_tokens").asLong() > u.get(i - 1).get("prompt_tokens").asLong(), u.toString());
        assertTrue(u.get(i).get("sent_epoch_us").asLong() >= u.get(i - 1).get("end_epoch_us").asLong(), "turns in order");
      }
    }
  }

  @Test
  void aShardSendsOnlyTheArrivalsItSelects(@TempDir Path dir) throws Exception {
    Map<Long, List<JsonNode>> users = byUser(dir, "shard", "rate", "20");
    assertEquals(10, users.size(), "the even half of 20 arrivals");
    List<Long> scheduled = new ArrayList<>();
    users.values().forEach(u -> scheduled.add(u.get(0).get("scheduled_epoch_us").asLong()));
    scheduled.sort(null);
    for (int i = 1; i < scheduled.size(); i++) {
      assertEquals(100_000, scheduled.get(i) - scheduled.get(i - 1), 2, "every other slot of a 50 ms schedule");
    }
  }

  /** exitHereIfFailed inside an arrival ends that arrival only: every arrival runs, the run ends. */
  @Test
  void exitHereIfFailedEndsTheArrivalNotTheRun(@TempDir Path dir) throws Exception {
    Map<Long, List<JsonNode>> users = byUser(dir, "exit", "rate", "5");
    assertEquals(5, users.size(), "every arrival ran");
    for (List<JsonNode> u : users.values()) {
      assertEquals(List.of("doomed"), u.stream().map(n -> n.get("request").asText()).toList());
      assertEquals("check_failed", u.get(0).get("status").asText());
    }
  }
}
