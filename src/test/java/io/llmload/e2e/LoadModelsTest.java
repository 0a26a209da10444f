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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A short run of each load model against the emulator: its injection and its phases. */
class LoadModelsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A fast emulator: no batching model, 200 tokens/s per stream, 8 tokens per request. */
  private static Map<String, String> fast(String... kv) {
    Map<String, String> m = new HashMap<>(Map.of(
        "emulator.mode", "fixed-rate", "emulator.tokensPerSecond", "200", "maxTokens", "8", "console.period", "1s"));
    for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
    return m;
  }

  private static List<JsonNode> records(SimulationRunner.Result r) throws Exception {
    assertEquals(0, r.exitCode(), SimulationRunner.tail(r.output()));
    List<JsonNode> out = new ArrayList<>();
    for (String l : Files.readAllLines(r.runFolder().resolve("requests.jsonl"))) out.add(JSON.readTree(l));
    return out;
  }

  private static SimulationRunner.Result run(String sim, Map<String, String> props, Path dir) throws Exception {
    return SimulationRunner.run("io.llmload.simulations." + sim, props, dir, Duration.ofSeconds(120));
  }

  @Test
  void concurrencySweepTagsEveryRequestWithItsLevel(@TempDir Path dir) throws Exception {
    var r = run("ConcurrencySweep", fast("levels", "1,3", "levelDuration", "2s", "warmup", "500ms"), dir);
    List<JsonNode> recs = records(r);
    JsonNode runJson = JSON.readTree(r.runFolder().resolve("run.json").toFile());
    Map<String, Long> phaseEnd = new HashMap<>();
    runJson.get("phases").forEach(p -> phaseEnd.put(p.get("name").asText(), p.get("end_epoch_us").asLong()));
    Map<String, Integer> perPhase = new TreeMap<>();
    for (JsonNode n : recs) {
      String phase = n.get("phase").asText();
      perPhase.merge(phase, 1, Integer::sum);
      int level = n.get("level").asInt();
      assertEquals("c" + level, phase);
      // Gatling changes level on its own clock, and phases are anchored on the first request
      // (a little after Gatling's start on a busy machine): the end of a phase may overlap the next
      boolean nearEnd = phaseEnd.get(phase) - n.get("sent_epoch_us").asLong() < 500_000;
      if (!n.get("warmup").asBoolean() && !nearEnd) {
        assertTrue(n.get("in_flight").asInt() <= level, "closed model holds the level: " + n);
      }
    }
    assertEquals(List.of("c1", "c3"), List.copyOf(perPhase.keySet()));
    assertTrue(perPhase.get("c3") > perPhase.get("c1"), perPhase.toString());
    assertTrue(recs.stream().anyMatch(n -> n.get("warmup").asBoolean()), "warm-up records are marked");
    assertTrue(r.output().contains("[llm] "), "a live console line was printed");
    JsonNode summary = JSON.readTree(r.runFolder().resolve("summary.json").toFile());
    assertEquals(2, summary.get("phases").size());
  }

  /**
   * With a hold longer than E2E, every request judged at level 1 ended before level 3's users
   * started (the first request sent with another in flight), so none finished under the next
   * level's load; requests sent in the hold are level 3's warm-up.
   */
  @Test
  void sweepHoldJudgesALevelOnlyAtItsOwnLoad(@TempDir Path dir) throws Exception {
    // 30 tokens at 10 tokens/s: 3 s a request, so the one user's second request (sent at about 3 s,
    // inside level 1's window) would still be running when level 3 began without the 4 s hold
    var r = run("ConcurrencySweep", fast("levels", "1,3", "levelDuration", "4s", "warmup", "500ms",
        "levelHold", "4s", "emulator.tokensPerSecond", "10", "maxTokens", "30"), dir);
    List<JsonNode> recs = records(r);
    long levelChange = recs.stream().filter(n -> n.get("in_flight").asInt() > 1)
        .mapToLong(n -> n.get("sent_epoch_us").asLong()).min().orElseThrow();
    List<JsonNode> judgedAt1 = recs.stream()
        .filter(n -> n.get("phase").asText().equals("c1") && !n.get("warmup").asBoolean()).toList();
    assertFalse(judgedAt1.isEmpty(), "level 1 judged " + judgedAt1.size() + " requests");
    for (JsonNode n : judgedAt1) {
      assertTrue(n.get("end_epoch_us").asLong() <= levelChange,
          "a level-1 request ended " + (n.get("end_epoch_us").asLong() - levelChange) / 1000 + " ms after level 3 began");
    }
    assertTrue(recs.stream().anyMatch(n -> n.get("phase").asText().equals("c3") && n.get("warmup").asBoolean()
        && n.get("sent_epoch_us").asLong() < levelChange), "requests sent in the hold are level 3's warm-up");
    assertTrue(recs.stream().anyMatch(n -> n.get("phase").asText().equals("c3") && !n.get("warmup").asBoolean()));
  }

  @Test
  void rampUsersReportsConcurrencyBands(@TempDir Path dir) throws Exception {
    var r = run("RampUsers", fast("from", "1", "to", "4", "ramp", "2s", "duration", "1s"), dir);
    List<JsonNode> recs = records(r);
    JsonNode runJson = JSON.readTree(r.runFolder().resolve("run.json").toFile());
    List<String> phases = new ArrayList<>();
    runJson.get("phases").forEach(p -> phases.add(p.get("name").asText()));
    assertEquals(List.of("ramp-2", "ramp-3", "ramp-4", "c4"), phases);
    assertTrue(recs.stream().anyMatch(n -> n.get("phase").asText().equals("c4")));
    assertTrue(recs.stream().anyMatch(n -> n.get("phase").asText().startsWith("ramp-")));
  }

  @Test
  void arrivalRateSendsOnItsOwnScheduleAndRecordsTheLateness(@TempDir Path dir) throws Exception {
    var r = run("ArrivalRate", fast("rate", "20", "duration", "2s", "arrival", "constant"), dir);
    List<JsonNode> recs = records(r);
    assertEquals(40, recs.size(), "20 requests/s for 2 s");
    List<Long> scheduled = new ArrayList<>();
    for (JsonNode n : recs) {
      scheduled.add(n.get("scheduled_epoch_us").asLong());
      assertTrue(n.has("queue_delay_ms"));
      assertEquals("r20", n.get("phase").asText());
    }
    scheduled.sort(null);
    for (int i = 1; i < scheduled.size(); i++) {
      assertEquals(50_000, scheduled.get(i) - scheduled.get(i - 1), 2, "the schedule is exact: 50 ms apart");
    }
  }

  /**
   * The schedule holds against a server that cannot keep up: 20 requests/s without a cap against
   * an emulator that serves one stream at a time, 10 tokens at 20 tokens/s (2 requests/s). The
   * measured start of every request (not its computed scheduled instant) must be on time while
   * the streams pile up.
   */
  @Test
  void theOpenModelKeepsItsScheduleAgainstASlowServer(@TempDir Path dir) throws Exception {
    Map<String, String> p = new HashMap<>();
    String[] kv = {"rate", "20", "duration", "6s", "arrival", "constant", "maxTokens", "10",
        "emulator.maxBatch", "1", "emulator.stepSingleMs", "50", "emulator.prefillMs", "0",
        "emulator.batchWindowMs", "0", "timeout", "2s", "console.period", "0s"};
    for (int i = 0; i < kv.length; i += 2) p.put(kv[i], kv[i + 1]);
    List<JsonNode> recs = records(run("ArrivalRate", p, dir));
    assertEquals(120, recs.size(), "20 requests/s for 6 s, each recorded");
    // a cold JVM loads and compiles its classes while the first requests go: the arrivals of the
    // first 0.5 s of the schedule are left out
    long first = recs.stream().mapToLong(n -> n.get("scheduled_epoch_us").asLong()).min().orElseThrow();
    List<Double> steady = new ArrayList<>();
    int served = 0;
    int maxInFlight = 0;
    for (int i = 0; i < recs.size(); i++) {
      JsonNode n = recs.get(i);
      // the generator's own measured instant: start (after any wait, before connecting) where the
      // record has it, else the send
      long started = n.has("start_epoch_us") ? n.get("start_epoch_us").asLong() : n.get("sent_epoch_us").asLong();
      assertTrue(started > 0, "every request went out: " + n);
      double delay = (started - n.get("scheduled_epoch_us").asLong()) / 1000.0;
      if (n.get("scheduled_epoch_us").asLong() - first >= 475_000) steady.add(delay);
      if ("ok".equals(n.get("status").asText())) served++;
      maxInFlight = Math.max(maxInFlight, n.path("in_flight").asInt());
    }
    // 110 samples, so that the p99 is not the single slowest start (one descheduling of a busy machine)
    assertEquals(110, steady.size(), "110 requests after the warm-up");
    String inOrder = steady.toString();
    double[] delays = steady.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    double p99 = delays[(int) Math.ceil(0.99 * delays.length) - 1];
    System.out.printf(java.util.Locale.ROOT, "slow server: queue delay p99 %.2f ms after warm-up, %d served, %d in flight at most%n", p99, served, maxInFlight);
    assertTrue(p99 < 10, "requests went out on schedule: queue delay p99 " + p99 + " ms, in order of completion " + inOrder);
    assertTrue(served <= 20, "the server could not keep up (2 requests/s, 2 s timeout): " + served + " served");
    assertTrue(maxInFlight >= 20, "the streams piled up: at most " + maxInFlight + " in flight");
  }

  @Test
  void arrivalRateWithACapQueuesTheOverflow(@TempDir Path dir) throws Exception {
    // 40 req/s of 8 tokens at 20 tokens/s (0.4 s each) needs ~16 streams; a cap of 2 must queue.
    var r = run("ArrivalRate", fast("rate", "40", "duration", "1s", "maxConcurrency", "2", "emulator.tokensPerSecond", "20"), dir);
    List<JsonNode> recs = records(r);
    assertEquals(40, recs.size());
    assertTrue(recs.stream().allMatch(n -> n.get("in_flight").asInt() <= 2), "never more than 2 in flight");
    double maxDelay = recs.stream().mapToDouble(n -> n.get("queue_delay_ms").asDouble()).max().orElse(0);
    assertTrue(maxDelay > 1000, "the wait for a slot shows as queue delay: " + maxDelay);
  }

  @Test
  void soakCutsTheRunIntoSnapshots(@TempDir Path dir) throws Exception {
    var r = run("Soak", fast("users", "2", "duration", "3s", "snapshot", "1s"), dir);
    List<JsonNode> recs = records(r);
    assertTrue(recs.stream().map(n -> n.get("phase").asText()).distinct().count() >= 3,
        "requests in every snapshot window");
    assertTrue(r.output().contains("summary refreshed"), "the summary is refreshed while the run goes on");
  }

  @Test
  void badLoadModelParameters(@TempDir Path dir) throws Exception {
    var r = run("ConcurrencySweep", Map.of("levels", "1,two"), dir.resolve("a"));
    assertNotEquals(0, r.exitCode());
    assertTrue(r.output().contains("llm-load-suite: levels: 'two' is not a whole number"), r.output());
    r = run("ArrivalRate", Map.of("arrival", "bursty"), dir.resolve("b"));
    assertTrue(r.output().contains("llm-load-suite: arrival: 'bursty' is not one of constant, poisson"), r.output());
    r = run("ArrivalRate", Map.of("rate", "-5"), dir.resolve("c"));
    assertTrue(r.output().contains("llm-load-suite: rate: -5 is out of range"), r.output());
  }
}
