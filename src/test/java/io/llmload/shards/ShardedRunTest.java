package io.llmload.shards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmload.emulator.Emulator;
import io.llmload.emulator.EmulatorConfig;
import io.llmload.load.ArrivalSchedule;
import io.llmload.report.MergeShardsMain;
import io.llmload.testing.SimulationRunner;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three shard JVMs on loopback with one {@code startAt} against one emulator (jitter on), merged
 * into one run folder, compared with a single generator's run of the same load.
 */
class ShardedRunTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int N = 3;
  /** Enough for three JVMs to start and check the target on a busy two-core machine. */
  private static final Duration LEAD = Duration.ofSeconds(15);

  /**
   * Gatling starts injecting some time after the hold ends; with three shard JVMs and the test's
   * on two shared cores that time varies by more than the default 1 s, so the test allows 3 s.
   */
  private static final String TOLERANCE = "3s";

  private static Emulator emulator;

  @BeforeAll
  static void startEmulator() {
    Properties p = new Properties();
    p.setProperty("emulator.mode", "fixed-rate");
    p.setProperty("emulator.tokensPerSecond", "200");
    p.setProperty("emulator.jitter", "0.1");
    emulator = Emulator.start(EmulatorConfig.fromProperties(p));
  }

  @AfterAll
  static void stopEmulator() {
    if (emulator != null) emulator.close();
  }

  private static Map<String, String> props(String... kv) {
    Map<String, String> m = new HashMap<>(Map.of("target", emulator.baseUrl(), "maxTokens", "8",
        "console.period", "0s", "workload", "synthetic", "input", "uniform:8,64", "output", "fixed:8"));
    for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
    return m;
  }

  /** Starts the N shards with one startAt; returns their results folders once all ended. */
  private static List<Path> shards(String sim, Map<String, String> load, Path dir) throws Exception {
    long startAt = System.currentTimeMillis() + LEAD.toMillis();
    List<Process> ps = new ArrayList<>();
    List<Path> results = new ArrayList<>();
    for (int i = 0; i < N; i++) {
      Map<String, String> p = new HashMap<>(load);
      p.put("shards", Integer.toString(N));
      p.put("shard", Integer.toString(i));
      p.put("startAt", Long.toString(startAt));
      Path r = dir.resolve(sim + "-shard" + i);
      results.add(r);
      ps.add(SimulationRunner.start("io.llmload.simulations." + sim, p, r, dir.resolve(sim + "-shard" + i + ".log")));
    }
    for (int i = 0; i < N; i++) {
      assertTrue(ps.get(i).waitFor(150, TimeUnit.SECONDS), "shard " + i + " ended");
      assertEquals(0, ps.get(i).exitValue(), SimulationRunner.tail(Files.readString(dir.resolve(sim + "-shard" + i + ".log"))));
    }
    List<Path> folders = new ArrayList<>();
    for (Path r : results) folders.add(new SimulationRunner.Result(0, "", r).runFolder());
    return folders;
  }

  private static int merge(List<Path> shards, Path out, StringBuilder console, String... extra) {
    List<String> args = new ArrayList<>();
    shards.forEach(s -> args.add(s.toString()));
    args.add("--out");
    args.add(out.toString());
    args.addAll(List.of(extra));
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    int rc = MergeShardsMain.run(args.toArray(String[]::new), new PrintStream(o, true, StandardCharsets.UTF_8),
        new PrintStream(o, true, StandardCharsets.UTF_8));
    console.append(o.toString(StandardCharsets.UTF_8));
    return rc;
  }

  private static List<JsonNode> records(Path folder) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (String l : Files.readAllLines(folder.resolve("requests.jsonl"))) out.add(JSON.readTree(l));
    return out;
  }

  private static JsonNode json(Path f) throws Exception {
    return JSON.readTree(f.toFile());
  }

  @Test
  void concurrencySweepMergedLevelsAreTheRequestedLevels(@TempDir Path dir) throws Exception {
    Map<String, String> load = props("levels", "3,1,5", "levelDuration", "2s", "warmup", "500ms");
    List<Path> folders = shards("ConcurrencySweep", load, dir);
    // each shard ran its integer share: shard 2 had nothing at level 1 (more shards than users)
    List<Long> shard2 = new ArrayList<>();
    json(folders.get(2).resolve("run.json")).get("phases").forEach(p -> shard2.add(p.get("level").asLong()));
    assertEquals(List.of(1L, 0L, 1L), shard2);
    StringBuilder console = new StringBuilder();
    Path out = dir.resolve("merged-sweep");
    assertEquals(0, merge(folders, out, console, "--start-tolerance", TOLERANCE), console.toString());
    JsonNode summary = json(out.resolve("summary.json"));
    List<Long> levels = new ArrayList<>();
    summary.get("phases").forEach(p -> levels.add(p.get("level").asLong()));
    assertEquals(List.of(3L, 1L, 5L), levels, console.toString());
    assertTrue(summary.get("complete").asBoolean());
    // every record names its shard, and the measured in-flight count of a shard never exceeds its share
    Map<String, Integer> perShard = new TreeMap<>();
    for (JsonNode r : records(out)) perShard.merge(r.get("shard").asText(), 1, Integer::sum);
    assertEquals(List.of("0/3", "1/3", "2/3"), List.copyOf(perShard.keySet()));
    double spread = json(out.resolve("run.json")).path("shards").path("start_spread_ms").asDouble();
    assertTrue(spread <= 3000, "start spread " + spread + " ms");
    // the merged prompts are the single run's: by (global user, iteration), not by which shard
    int pairs = ClosedModelRecords.check(records(out), json(out.resolve("run.json")), List.of(3, 1, 5), 2_500_000, 500_000,
        Map.of("workload", "synthetic", "input", "uniform:8,64", "output", "fixed:8"));
    System.out.println("sharded sweep: start spread " + spread + " ms, requests per shard " + perShard
        + ", (user, iteration) pairs checked " + pairs);
  }

  @Test
  void poissonArrivalsMergedEqualOneGeneratorsScheduleAndPrompts(@TempDir Path dir) throws Exception {
    Map<String, String> load = props("rate", "40", "arrival", "poisson", "seed", "7", "duration", "3s");
    SimulationRunner.Result single = SimulationRunner.run("io.llmload.simulations.ArrivalRate", load,
        dir.resolve("single"), Duration.ofSeconds(120));
    assertEquals(0, single.exitCode(), SimulationRunner.tail(single.output()));
    List<Path> folders = shards("ArrivalRate", load, dir);
    StringBuilder console = new StringBuilder();
    Path out = dir.resolve("merged-open");
    assertEquals(0, merge(folders, out, console, "--start-tolerance", TOLERANCE), console.toString());

    // the schedule as one generator computes it, in microseconds from the start
    List<Long> expected = new ArrayList<>();
    ArrivalSchedule s = ArrivalSchedule.poisson(40, Duration.ofSeconds(3), 7);
    for (long t; (t = s.nextOffsetNanos()) >= 0; ) expected.add(t / 1000);
    // every shard's schedule counts from the common startAt, the merged run's start
    TreeMap<Long, Long> merged = offsets(out);
    TreeMap<Long, Long> alone = offsets(single.runFolder());
    assertEquals(expected.size(), alone.size(), "the single run sent the whole schedule");
    assertEquals(alone.size(), merged.size(), "request count");
    List<Long> got = new ArrayList<>(merged.keySet());
    assertEquals(expected, got, "the merged scheduled offsets are one generator's schedule");
    // a single run's zero is its own pacer start, not a whole microsecond: its offsets are two
    // truncated instants apart, so within 1 us of the schedule (a common start is a whole millisecond)
    List<Long> single1 = List.copyOf(alone.keySet());
    for (int i = 0; i < expected.size(); i++) {
      assertTrue(Math.abs(expected.get(i) - single1.get(i)) <= 1, "single run, arrival " + i);
    }
    assertEquals(List.copyOf(alone.values()), List.copyOf(merged.values()), "each arrival's prompt length");
    // each arrival says which workload record it sent: its index in the schedule, on every shard
    List<Long> indices = new ArrayList<>();
    for (long i = 0; i < expected.size(); i++) indices.add(i);
    assertEquals(indices, workloadRecords(out), "the merged arrivals' workload records, in schedule order");
    assertEquals(indices, workloadRecords(single.runFolder()), "the single run's workload records");

    // percentiles of the same load: merged vs one generator
    JsonNode a = json(single.runFolder().resolve("summary.json")).get("phases").get(0);
    JsonNode m = json(out.resolve("summary.json")).get("phases").get(0);
    assertEquals(40, m.get("level").asDouble(), 1e-9);
    for (String metric : List.of("e2e_ms", "tpot_ms")) {
      double x = a.path(metric).path("p50").asDouble(), y = m.path(metric).path("p50").asDouble();
      System.out.println("sharded open: " + metric + " p50 single " + x + " merged " + y);
      assertTrue(Math.abs(x - y) <= 0.25 * x, metric + " p50: single " + x + ", merged " + y);
    }

    // the gate over the merged folder behaves as over one generator's: against itself the same
    // verdict as the single run against itself, and the two are comparable with each other
    int mergedSelf = gate(out, out, dir.resolve("g1"));
    int singleSelf = gate(single.runFolder(), single.runFolder(), dir.resolve("g2"));
    assertEquals(singleSelf, mergedSelf, "the gate's exit code over the merged run");
    assertEquals(metrics(dir.resolve("g2")), metrics(dir.resolve("g1")), "the metrics gated");
    StringBuilder gated = new StringBuilder();
    int vsSingle = merge(folders, dir.resolve("merged-vs-single"), gated, "--start-tolerance", TOLERANCE,
        "--baseline", single.runFolder().toString());
    assertNotEquals(2, vsSingle, "the merged run is comparable with a single generator's: " + gated);
    assertTrue(Files.exists(dir.resolve("merged-vs-single").resolve("verdict.json")), gated.toString());
    System.out.println("sharded open: gate exit codes: merged vs itself " + mergedSelf + ", single vs itself "
        + singleSelf + ", merged vs single " + vsSingle);
  }

  private static int gate(Path baseline, Path current, Path outDir) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    PrintStream p = new PrintStream(o, true, StandardCharsets.UTF_8);
    return io.llmload.gate.GateMain.run(new String[] {"--baseline", baseline.toString(), "--current",
        current.toString(), "--out", outDir.toString()}, p, p);
  }

  private static List<String> metrics(Path gateOut) throws Exception {
    List<String> m = new ArrayList<>();
    json(gateOut.resolve("verdict.json")).path("results").forEach(r -> m.add(r.path("phase").asText() + " " + r.path("metric").asText()));
    return m;
  }

  /** The requests' workload_record (-1 where absent), in scheduled order. */
  private static List<Long> workloadRecords(Path folder) throws Exception {
    TreeMap<Long, Long> byScheduled = new TreeMap<>();
    for (JsonNode r : records(folder)) byScheduled.put(r.get("scheduled_epoch_us").asLong(), r.path("workload_record").asLong(-1));
    return List.copyOf(byScheduled.values());
  }

  /** Scheduled offset (us from its generator's start) to the request's intended prompt length. */
  private static TreeMap<Long, Long> offsets(Path folder) throws Exception {
    long from = json(folder.resolve("run.json")).get("start_epoch_us").asLong();
    TreeMap<Long, Long> out = new TreeMap<>();
    for (JsonNode r : records(folder)) {
      Long prev = out.put(r.get("scheduled_epoch_us").asLong() - from, r.path("target_prompt_tokens").asLong(-1));
      assertEquals(null, prev, "two arrivals at one instant: " + r);
    }
    return out;
  }

  @Test
  void aShardKilledMidRunMakesTheMergeIncompleteAndNamesIt(@TempDir Path dir) throws Exception {
    List<Process> ps = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      Map<String, String> p = props("users", "2", "duration", "6s", "shards", "2", "shard", Integer.toString(i));
      ps.add(SimulationRunner.start("io.llmload.simulations.ConstantUsers", p, dir.resolve("r" + i), dir.resolve(i + ".log")));
    }
    // kill shard 1 once its run folder exists and it has sent requests for a while
    Path latest = dir.resolve("r1").resolve("LATEST");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (!Files.exists(latest) && System.nanoTime() < deadline && ps.get(1).isAlive()) Thread.sleep(100);
    Thread.sleep(1500);
    ps.get(1).destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    assertTrue(ps.get(0).waitFor(90, TimeUnit.SECONDS));
    assertEquals(0, ps.get(0).exitValue(), SimulationRunner.tail(Files.readString(dir.resolve("0.log"))));
    List<Path> folders = new ArrayList<>();
    folders.add(new SimulationRunner.Result(0, "", dir.resolve("r0")).runFolder());
    Path killed = new SimulationRunner.Result(0, "", dir.resolve("r1")).runFolder();
    if (killed != null && Files.exists(killed.resolve("run.json"))) folders.add(killed);
    StringBuilder console = new StringBuilder();
    Path out = dir.resolve("merged");
    assertEquals(3, merge(folders, out, console, "--start-tolerance", "10s"), console.toString());
    assertTrue(console.toString().contains("INCOMPLETE"), console.toString());
    JsonNode summary = json(out.resolve("summary.json"));
    assertFalse(summary.get("complete").asBoolean());
    String warnings = summary.get("warnings").toString();
    assertTrue(warnings.contains("shard 1"), warnings);
    System.out.println("killed shard: " + warnings);
    // the gate refuses the incomplete merged run as it refuses an incomplete single run
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    int gate = io.llmload.gate.GateMain.run(new String[] {"--baseline", folders.get(0).toString(), "--current", out.toString()},
        new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(o, true, StandardCharsets.UTF_8));
    assertEquals(2, gate, o.toString(StandardCharsets.UTF_8));
  }
}
