package io.llmload.shards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

  /**
   * @param records the merged run's request lines
   * @param shards N
   * @param maxUsers the sweep's largest level
   * @param workload the workload properties the shards ran
   * @return the number of (user, iteration) pairs checked
   */
  static int check(List<JsonNode> records, int shards, int maxUsers, Map<String, String> workload) {
    Map<Integer, TreeSet<Long>> iterations = new TreeMap<>();
    // phase -> shard -> the users measured in it
    Map<String, Map<Integer, TreeSet<Integer>>> measuredUsers = new TreeMap<>();
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
      String phase = r.path("phase").asText("");
      // the transition second after a level change is the next level's warm-up: left out
      if (!phase.isEmpty() && !r.path("warmup").asBoolean()) {
        measuredUsers.computeIfAbsent(phase, p -> new TreeMap<>()).computeIfAbsent(shard, i -> new TreeSet<>()).add(user);
      }
    }
    for (Map.Entry<Integer, TreeSet<Long>> e : iterations.entrySet()) {
      TreeSet<Long> its = e.getValue();
      assertEquals(0L, its.first(), "user " + e.getKey() + " starts at iteration 0");
      assertEquals(its.size() - 1, its.last(), "user " + e.getKey() + "'s iterations are contiguous: " + its);
    }
    assertFalse(measuredUsers.isEmpty());
    // a level's measured users are exactly 0 to L-1, each shard's those u with u mod N = shard; a
    // shard that started late (within the merge's start tolerance) may have no measured request in
    // a short phase, so a shard is judged in the phases where it has some, and every shard in one
    // phase at least
    Map<Integer, Integer> phasesJudged = new TreeMap<>();
    for (Map.Entry<String, Map<Integer, TreeSet<Integer>>> e : measuredUsers.entrySet()) {
      int level = Integer.parseInt(e.getKey().substring(1)); // phases are named "c<level>"
      for (Map.Entry<Integer, TreeSet<Integer>> s : e.getValue().entrySet()) {
        TreeSet<Integer> expected = new TreeSet<>();
        for (int u = s.getKey(); u < level; u += shards) expected.add(u);
        assertEquals(expected, s.getValue(), "the users shard " + s.getKey() + " measured in phase " + e.getKey());
        phasesJudged.merge(s.getKey(), 1, Integer::sum);
      }
    }
    assertEquals(shards, phasesJudged.size(), "every shard had measured requests: " + measuredUsers);
    System.out.println("closed-model users measured, phase -> shard -> users: " + measuredUsers);
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
