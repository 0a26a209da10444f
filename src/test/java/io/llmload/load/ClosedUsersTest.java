package io.llmload.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Closed-model prompts by (user, iteration): N shards whose users each make K requests send, all
 * together, exactly the prompts one generator's users send making K requests each, whatever order
 * the users end in; the old striping by draw order does not when the shares are unequal.
 */
class ClosedUsersTest {

  /** An infinite workload whose record n is "p" + n: the reference is plain arithmetic. */
  private static Iterator<String> workload() {
    return new Iterator<>() {
      long n;

      @Override
      public boolean hasNext() {
        return true;
      }

      @Override
      public String next() {
        return "p" + n++;
      }
    };
  }

  /**
   * One generator's (or shard's) closed model at a level of {@code level} users, each making
   * {@code k} requests: the users end in a random order and each is replaced at once, as Gatling
   * does. Returns "user/iteration=prompt" for every request.
   */
  private static List<String> run(Shards shards, int maxUsers, int[] levels, int k, long seed) {
    ClosedUsers users = new ClosedUsers(shards, maxUsers);
    IndexedRecords<String> records = new IndexedRecords<>(workload(), users::owns);
    Random rnd = new Random(seed);
    List<String> sent = new ArrayList<>();
    List<ClosedUsers.Turn> inFlight = new ArrayList<>();
    for (int level : levels) {
      int share = shards.share(level);
      int[] done = new int[maxUsers];
      List<ClosedUsers.Turn> parked = new ArrayList<>();
      while (inFlight.size() < share) inFlight.add(send(users, records, sent));
      // each ending user is replaced at once (it takes the slot it freed); one that made its k
      // requests waits for the level's end, so the level ends with every user at k
      while (!inFlight.isEmpty()) {
        ClosedUsers.Turn t = inFlight.remove(rnd.nextInt(inFlight.size()));
        if (++done[t.user()] < k) {
          users.release(t);
          inFlight.add(send(users, records, sent));
        } else {
          parked.add(t);
        }
      }
      parked.forEach(users::release);
    }
    return sent;
  }

  private static ClosedUsers.Turn send(ClosedUsers users, IndexedRecords<String> records, List<String> sent) {
    ClosedUsers.Turn t = users.take();
    String prompt = records.get(t.record());
    assertEquals("p" + ClosedUsers.recordIndex(t.user(), t.iteration(), users.maxUsers()), prompt);
    sent.add(t.user() + "/" + t.iteration() + "=" + prompt);
    return t;
  }

  @Test
  void nShardsTogetherSendExactlyOneGeneratorsPromptsByUserAndIteration() {
    int[][] loads = {{5}, {1}, {3, 1, 5}, {7, 2, 7}, {16}};
    for (int[] levels : loads) {
      int max = 0;
      for (int l : levels) max = Math.max(max, l);
      List<String> alone = run(Shards.ONE, max, levels, 4, 1);
      Collections.sort(alone);
      for (int n = 1; n <= 7; n++) {
        List<String> union = new ArrayList<>();
        for (int i = 0; i < n; i++) union.addAll(run(new Shards(n, i), max, levels, 4, 100 + i));
        Collections.sort(union);
        assertEquals(alone, union, "levels " + java.util.Arrays.toString(levels) + " over " + n + " shards");
      }
    }
  }

  @Test
  void atEachLevelTheUsersAreZeroToLevelMinusOneAndNoPromptRepeats() {
    for (int n = 1; n <= 7; n++) {
      TreeSet<Integer> seen = new TreeSet<>();
      TreeSet<String> prompts = new TreeSet<>();
      int count = 0;
      for (int i = 0; i < n; i++) {
        for (String s : run(new Shards(n, i), 5, new int[] {5}, 3, i)) {
          seen.add(Integer.parseInt(s.substring(0, s.indexOf('/'))));
          prompts.add(s.substring(s.indexOf('=') + 1));
          count++;
        }
      }
      assertEquals(new TreeSet<>(List.of(0, 1, 2, 3, 4)), seen);
      assertEquals(15, count);
      assertEquals(15, prompts.size(), "no record sent twice");
    }
  }

  @Test
  void stripingByDrawOrderDoesNotGiveOneGeneratorsPromptsWhenSharesDiffer() {
    // 5 users over 3 shards (2, 2, 1), 4 requests each: one generator sends records 0..19
    List<Integer> whole = new ArrayList<>();
    for (int r = 0; r < 40; r++) whole.add(r);
    List<Integer> union = new ArrayList<>();
    int[] draws = {8, 8, 4};
    for (int i = 0; i < 3; i++) {
      Iterator<Integer> it = new Shards(3, i).stripe(whole.iterator());
      for (int d = 0; d < draws[i]; d++) union.add(it.next());
    }
    Collections.sort(union);
    assertNotEquals(whole.subList(0, 20), union, "the old feeder's union");
    // by (user, iteration): the union is one generator's, whatever each shard's share
    List<String> alone = run(Shards.ONE, 5, new int[] {5}, 4, 3);
    List<String> sharded = new ArrayList<>();
    for (int i = 0; i < 3; i++) sharded.addAll(run(new Shards(3, i), 5, new int[] {5}, 4, i));
    Collections.sort(alone);
    Collections.sort(sharded);
    assertEquals(alone, sharded);
  }

  @Test
  void recordsOfOtherShardsAreNotKept() {
    Shards s = new Shards(3, 1);
    ClosedUsers users = new ClosedUsers(s, 6);
    IndexedRecords<String> records = new IndexedRecords<>(workload(), users::owns);
    // this shard's users are 1 and 4: records 1, 4, 7, 10, ...
    assertEquals("p4", records.get(4));
    assertEquals(1, records.keptCount(), "record 1 kept for user 1, records 0, 2, 3 dropped");
    assertEquals("p1", records.get(1));
    assertEquals(0, records.keptCount());
    assertTrue(users.owns(7) && !users.owns(8));
  }
}
