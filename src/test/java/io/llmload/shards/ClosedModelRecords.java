package io.llmload.shards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmload.config.Params;
import io.llmload.load.ClosedUsers;
import io.llmload.wire.Protocol;
import io.llmload.workload.WorkloadContext;
import io.llmload.workload.Workloads;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The closed-model checks of a merged sharded sweep, from its {@code requests.jsonl} alone: every
 * request says which global user's which iteration it was and which workload record it sent, and
 * together they are what one generator's users send (ClosedUsers' numbering, see its javadoc).
 */
final class ClosedModelRecords {
  private ClosedModelRecords() {}

  /** Gatling's closed model may move to the next level up to this early (ConcurrencySweep's transition). */
  private static final long TRANSITION_US = 1_000_000;

  /**
   * @param records the merged run's request lines
   * @param run the merged run's run.json (each shard's actual start)
   * @param levels the sweep's levels, each lasting {@code eachUs} (warm-up included)
   * @param warmupUs each level's warm-up
   * @param workload the workload properties the shards ran
   * @return the number of (user, iteration) pairs checked
   */
  static int check(List<JsonNode> records, JsonNode run, List<Integer> levels, long eachUs, long warmupUs,
      Map<String, String> workload) {
    int shards = run.path("shards").path("count").asInt();
    int maxUsers = levels.stream().mapToInt(Integer::intValue).max().orElseThrow();
    Map<Integer, Long> started = new TreeMap<>();
    run.path("shards").path("merged").forEach(m -> started.put(m.get("index").asInt(), m.get("actual_start_epoch_us").asLong()));
    Map<Integer, TreeSet<Long>> iterations = new TreeMap<>();
    // level index -> shard -> the users that started requests in the level's settled window
    Map<Integer, Map<Integer, TreeSet<Integer>>> settledUsers = new TreeMap<>();
    Map<Long, Long> promptByRecord = new HashMap<>();
    for (JsonNode r : records) {
      assertTrue(r.has("workload_record") && r.has("global_user") && r.has("iteration"), "closed-model request: " + r);
      int user = r.get("global_user").asInt();
      long k = r.get("iteration").asLong();
      long record = r.get("workload_record").asLong();
      assertEquals(ClosedUsers.recordIndex(user, k, maxUsers), record, "record = iteration*maxUsers+user: " + r);
      assertEquals((long) k * maxUsers + user, record, "plain arithmetic: " + r);
      assertTrue(user >= 0 && user < maxUsers, "user within maxUsers: " + r);
      int shard = Integer.parseInt(r.get("shard").asText().split("/")[0]);
      assertEquals(shard, user % shards, "shard " + shard + " sent only its own users: " + r);
      assertTrue(iterations.computeIfAbsent(user, u -> new TreeSet<>()).add(k), "(user, iteration) twice: " + r);
      promptByRecord.put(record, r.path("target_prompt_tokens").asLong(-1));
      // the record's own phase label names the level that was running: a measured request of
      // phase cL comes from a user below L (a shard's phases count from its own first user)
      if (!r.path("warmup").asBoolean() && r.path("phase").asText().startsWith("c")) {
        int labelled = Integer.parseInt(r.get("phase").asText().substring(1));
        assertTrue(user < labelled, "a measured request of phase " + r.get("phase").asText() + " from user " + user + ": " + r);
      }
      // the level by the shard's own injection clock (from its first request), leaving out each
      // level's warm-up and the transition seconds around a change, as ClosedUsers' javadoc allows
      long t = r.get("start_epoch_us").asLong() - started.get(shard);
      int level = (int) (t / eachUs);
      long in = t - level * eachUs;
      boolean last = level == levels.size() - 1;
      // (Gatling changes level up to a second before the boundary: that second and the next
      // level's warm-up are left out, as ConcurrencySweep's phases do)
      boolean settled = level < levels.size() && in >= warmupUs && (last || in < eachUs - TRANSITION_US);
      if (settled) settledUsers.computeIfAbsent(level, l -> new TreeMap<>()).computeIfAbsent(shard, i -> new TreeSet<>()).add(user);
    }
    for (Map.Entry<Integer, TreeSet<Long>> e : iterations.entrySet()) {
      TreeSet<Long> its = e.getValue();
      assertEquals(0L, its.first(), "user " + e.getKey() + " starts at iteration 0");
      assertEquals(its.size() - 1, its.last(), "user " + e.getKey() + "'s iterations are contiguous: " + its);
    }
    // each settled level's users are exactly 0 to L-1, shard i's those with u mod N = i
    for (int l = 0; l < levels.size(); l++) {
      for (int shard = 0; shard < shards; shard++) {
        TreeSet<Integer> expected = new TreeSet<>();
        for (int u = shard; u < levels.get(l); u += shards) expected.add(u);
        TreeSet<Integer> got = settledUsers.getOrDefault(l, Map.of()).getOrDefault(shard, new TreeSet<>());
        assertEquals(expected, got, "the users of shard " + shard + " at level " + levels.get(l) + ": " + settledUsers);
      }
    }
    System.out.println("closed-model users by level index -> shard -> users: " + settledUsers);
    // each record's prompt is the workload's record at that index, as one generator draws it
    long last = promptByRecord.keySet().stream().mapToLong(Long::longValue).max().orElseThrow();
    List<Long> lengths = workloadLengths(workload, last + 1);
    int differing = 0;
    for (Map.Entry<Long, Long> e : promptByRecord.entrySet()) {
      long index = e.getKey();
      assertEquals(lengths.get((int) index), e.getValue(), "target_prompt_tokens of workload record " + index);
      if (!lengths.get((int) index).equals(lengths.get(0))) differing++;
    }
    assertTrue(differing > 0, "the prompts differ between records, so the check can tell them apart");
    return promptByRecord.size();
  }

  /** The intended input lengths of the workload's first {@code n} records, drawn in-process. */
  private static List<Long> workloadLengths(Map<String, String> workload, long n) {
    Properties p = new Properties();
    workload.forEach(p::setProperty);
    // like the emulator target: no /tokenize, so every count is the estimate the shards made
    WorkloadContext ctx = new WorkloadContext("http://127.0.0.1:1", Protocol.OPENAI_CHAT, null, "Hello", 8, null, true);
    Iterator<Map<String, Object>> feeder = Workloads.fromParams(new Params(p), ctx).feeder();
    List<Long> out = new ArrayList<>();
    for (long i = 0; i < n; i++) out.add(((Number) feeder.next().get("inputTokens")).longValue());
    return out;
  }
}
