package io.llmload.workload;

import static io.llmload.workload.WorkloadFixtures.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MultiTurnWorkloadTest {

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> messages(Map<String, Object> r) {
    return (List<Map<String, Object>>) r.get("messages");
  }

  @Test
  void historyGrowsTurnByTurn() {
    List<Map<String, Object>> recs = take(build("workload", "multiturn", "turns", "3", "conversations", "2",
        "input", "fixed:40", "output", "fixed:30"), 7);
    assertEquals(List.of(1, 1, 1, 2, 2, 2, 1), field(recs, "conversation"));
    assertEquals(List.of(1, 2, 3, 1, 2, 3, 1), field(recs, "turn"));
    for (int t = 1; t <= 3; t++) {
      Map<String, Object> r = recs.get(t - 1);
      List<Map<String, Object>> m = messages(r);
      assertEquals(2 * t - 1, m.size());
      assertEquals("user", m.get(m.size() - 1).get("role"));
      assertEquals(m.get(m.size() - 1).get("content"), r.get("prompt"), "prompt is the last user message");
      // t user turns of 40 tokens and t-1 synthetic answers of 30: 4n-1 chars each, summed then /4
      int chars = t * (4 * 40 - 1) + (t - 1) * (4 * 30 - 1);
      assertEquals((chars + 3) / 4, r.get("inputTokens"));
      assertEquals(30, r.get("maxTokens"));
      if (t > 1) {
        assertEquals(messages(recs.get(t - 2)), m.subList(0, 2 * t - 3), "earlier turns are kept verbatim");
        assertEquals("assistant", m.get(2 * t - 3).get("role"));
        assertEquals(30, ((String) m.get(2 * t - 3).get("content")).split(" ").length, "answer of the requested length");
      }
    }
    assertNotEquals(recs.get(0).get("prompt"), recs.get(3).get("prompt"), "conversations differ");
    assertEquals(recs.get(0), recs.get(6), "the feeder starts over after the last conversation");
  }

  @Test
  void seededAndDescribedAsSynthetic() {
    String[] kv = {"workload", "multiturn", "input", "uniform:10,50", "output", "uniform:5,20", "seed", "4", "conversations", "5"};
    assertEquals(take(build(kv), 15), take(build(kv), 15));
    kv[7] = "5";
    assertNotEquals(take(build(kv), 15), take(build("workload", "multiturn", "input", "uniform:10,50", "output", "uniform:5,20", "seed", "4", "conversations", "5"), 15));
    Map<String, Object> d = build(kv).describe();
    assertTrue(((String) d.get("history")).startsWith("synthetic"));
    assertEquals(3, d.get("turns"));
  }

  @Test
  void sharedPrefixOpensEachConversation() {
    List<Map<String, Object>> recs = take(build("workload", "multiturn", "conversations", "3", "turns", "2", "input", "fixed:60", "sharedPrefix", "50"), 6);
    String prefix = String.join(" ", List.of(((String) recs.get(0).get("prompt")).split(" ")).subList(0, 50));
    for (int c = 0; c < 3; c++) {
      String first = (String) messages(recs.get(2 * c)).get(0).get("content");
      assertTrue(first.startsWith(prefix + " "));
      assertEquals(60, first.split(" ").length);
      assertEquals(first, messages(recs.get(2 * c + 1)).get(0).get("content"));
    }
  }
}
