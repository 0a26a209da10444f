package io.llmload.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The split of every load model over N = 1..7 generators: disjoint shares that add up to the whole. */
class ShardsTest {

  @Test
  void closedConcurrencySharesAddUpForEveryNIncludingMoreShardsThanUsers() {
    for (int n = 1; n <= 7; n++) {
      for (int users : new int[] {0, 1, 2, 3, 5, 6, 7, 10, 13, 256}) {
        int sum = 0, min = Integer.MAX_VALUE, max = 0;
        for (int i = 0; i < n; i++) {
          int s = new Shards(n, i).share(users);
          assertTrue(s >= 0);
          sum += s;
          min = Math.min(min, s);
          max = Math.max(max, s);
        }
        assertEquals(users, sum, "users " + users + " over " + n);
        assertTrue(max - min <= 1, "even split of " + users + " over " + n);
      }
    }
  }

  @Test
  void everyLevelOfASweepAndEveryStepOfARampAddsUp() {
    List<Integer> sweep = List.of(1, 2, 4, 8, 16, 32, 3, 5);
    int[][] ramps = {{1, 64}, {0, 5}, {3, 1}, {2, 2}};
    for (int n = 1; n <= 7; n++) {
      int[] sums = new int[sweep.size()];
      int[][] rampSums = new int[ramps.length][2];
      for (int i = 0; i < n; i++) {
        Shards s = new Shards(n, i);
        List<Integer> mine = s.shares(sweep);
        for (int k = 0; k < sweep.size(); k++) sums[k] += mine.get(k);
        for (int r = 0; r < ramps.length; r++) {
          rampSums[r][0] += s.share(ramps[r][0]);
          rampSums[r][1] += s.share(ramps[r][1]);
        }
      }
      for (int k = 0; k < sweep.size(); k++) assertEquals(sweep.get(k), sums[k], "level " + k + " over " + n);
      for (int r = 0; r < ramps.length; r++) {
        assertEquals(ramps[r][0], rampSums[r][0]);
        assertEquals(ramps[r][1], rampSums[r][1]);
      }
    }
  }

  @Test
  void openSchedulesAreStripedDisjointAndTheUnionIsTheWholeSchedule() {
    Map<String, Supplier<ArrivalSchedule>> models = Map.of(
        "constant", () -> ArrivalSchedule.constant(37, Duration.ofSeconds(3)),
        "poisson", () -> ArrivalSchedule.poisson(50, Duration.ofSeconds(3), 7),
        "ramp", () -> ArrivalSchedule.ramp(2, 40, Duration.ofSeconds(2)).then(Duration.ofSeconds(2),
            ArrivalSchedule.poisson(40, Duration.ofSeconds(1), 3)),
        "trace", () -> ArrivalSchedule.trace(List.of(0L, 0L, 5L, 17L, 17L, 400L, 401L, 950L), 1.5),
        "tiny", () -> ArrivalSchedule.constant(1, Duration.ofSeconds(3))); // 3 arrivals: N > arrivals
    models.forEach((name, model) -> {
      List<Long> whole = drain(model.get());
      for (int n = 1; n <= 7; n++) {
        List<long[]> union = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          Shards s = new Shards(n, i);
          // each shard computes the whole schedule itself and keeps its arrivals
          ArrivalSchedule own = model.get();
          long t;
          for (long k = 0; (t = own.nextOffsetNanos()) >= 0; k++) {
            if (s.owns(k)) union.add(new long[] {k, t});
          }
        }
        assertEquals(whole.size(), union.size(), name + " over " + n + ": count (disjoint, nothing lost)");
        union.sort((a, b) -> Long.compare(a[0], b[0]));
        for (int k = 0; k < whole.size(); k++) {
          assertEquals(k, union.get(k)[0], name + " over " + n + ": each index once");
          assertEquals(whole.get(k), union.get(k)[1], name + " over " + n + ": same instant");
        }
      }
    });
  }

  private static List<Long> drain(ArrivalSchedule s) {
    List<Long> out = new ArrayList<>();
    long t;
    while ((t = s.nextOffsetNanos()) >= 0) out.add(t);
    return out;
  }

  @Test
  void closedFeedersAreStripedDisjointAndTogetherTheWorkloadInOrder() {
    List<Integer> workload = new ArrayList<>();
    for (int k = 0; k < 23; k++) workload.add(k);
    for (int n = 1; n <= 7; n++) {
      List<Integer> union = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        java.util.Iterator<Integer> it = new Shards(n, i).stripe(workload.iterator());
        int k = 0;
        while (it.hasNext()) {
          int r = it.next();
          assertEquals(i + k * n, r, "shard " + i + " of " + n + ", its draw " + k);
          union.add(r);
          k++;
        }
      }
      union.sort(null);
      assertEquals(workload, union, "over " + n + ": every record once");
    }
  }

  @Test
  void parametersAndTheJobIndex() {
    assertEquals(Shards.ONE, Shards.from(props(), Map.of()));
    assertEquals(new Shards(3, 2), Shards.from(props("shards", "3", "shard", "2"), Map.of()));
    assertEquals(new Shards(4, 1), Shards.from(props("shards", "4"), Map.of("JOB_COMPLETION_INDEX", "1")));
    // -Dshard wins over the environment
    assertEquals(new Shards(4, 3), Shards.from(props("shards", "4", "shard", "3"), Map.of("JOB_COMPLETION_INDEX", "1")));
    assertMessage("shard: 3 is out of range; allowed: 0 to 2 (shards=3)", props("shards", "3", "shard", "3"), Map.of());
    assertMessage("shards: 0 is out of range; allowed: >= 1", props("shards", "0", "shard", "0"), Map.of());
    assertMessage("shards: 0 is out of range; allowed: >= 1", props("shards", "0"), Map.of());
    assertMessage("JOB_COMPLETION_INDEX: 'x1' is not a whole number", props("shards", "2"), Map.of("JOB_COMPLETION_INDEX", "x1"));
    assertMessage("shards: 'two' is not a whole number", props("shards", "two", "shard", "0"), Map.of());
    assertMessage("shard: missing; -Dshards=2 needs -Dshard=0 to 1", props("shards", "2"), Map.of());
    assertMessage("shard: 1 given without -Dshards=N; allowed: both or neither", props("shard", "1"), Map.of());
  }

  private static void assertMessage(String expected, Properties p, Map<String, String> env) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Shards.from(p, env));
    assertEquals(expected, e.getMessage());
  }

  private static Properties props(String... kv) {
    Properties p = new Properties();
    for (int i = 0; i < kv.length; i += 2) p.setProperty(kv[i], kv[i + 1]);
    return p;
  }

  @Test
  void startAtParsesEpochMillisAndIsoAndRefusesThePast() {
    long now = 1_800_000_000_000L;
    assertEquals(now + 1000, StartAt.parse(Long.toString(now + 1000), now));
    assertEquals(java.time.Instant.parse("2027-01-15T08:00:00Z").toEpochMilli(),
        StartAt.parse("2027-01-15T08:00:00Z", now));
    assertEquals(now - 4000, StartAt.parse(Long.toString(now - 4000), now)); // within the grace
    IllegalArgumentException past = assertThrows(IllegalArgumentException.class,
        () -> StartAt.parse(Long.toString(now - 6000), now));
    assertTrue(past.getMessage().startsWith("startAt: ") && past.getMessage().contains("6000 ms in the past"), past.getMessage());
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> StartAt.parse("tomorrow", now));
    assertTrue(bad.getMessage().startsWith("startAt: 'tomorrow' is neither"), bad.getMessage());
  }

  @Test
  void gatlingAcceptsAZeroShareOfAClosedLevel() {
    // a shard whose share of a level is 0 still runs that level's time: the levels stay aligned
    io.gatling.javaapi.core.CoreDsl.constantConcurrentUsers(0).during(Duration.ofSeconds(1));
    io.gatling.javaapi.core.CoreDsl.rampConcurrentUsers(0).to(0).during(Duration.ofSeconds(1));
  }
}
