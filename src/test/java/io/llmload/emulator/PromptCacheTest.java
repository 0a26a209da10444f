package io.llmload.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The prompt-cache launch cost, launch by launch, in whole nanoseconds. */
class PromptCacheTest {
  private static final long SAVE = 1_000_000;
  private static final long FRESH = 10_000_000;
  private static final long CHECK = 100_000;

  private static PromptCache cache(int slots, int entries) {
    return new PromptCache(slots, entries, SAVE / 1e6, FRESH / 1e6, CHECK / 1e3);
  }

  /** Sends c requests together, finishes them all, and returns what their launches cost. */
  private static long round(PromptCache cache, int c) {
    List<Integer> slots = new ArrayList<>();
    long nanos = 0;
    for (int i = 0; i < c; i++) {
      PromptCache.Launch l = cache.launch();
      slots.add(l.slot());
      nanos += l.nanos();
    }
    slots.forEach(cache::finish);
    return nanos;
  }

  @Test
  void savesCostMoreWhileTheCacheGrowsThanOnceItRecyclesEvictedEntries() {
    PromptCache cache = cache(4, 2);
    assertEquals(0, round(cache, 1), "an empty slot has nothing to save");
    assertEquals(CHECK + SAVE + FRESH, round(cache, 1));
    assertEquals(CHECK + SAVE + FRESH, round(cache, 1));
    assertEquals(2, cache.size());
    assertEquals(CHECK + SAVE, round(cache, 1), "full: the oldest entry goes, its memory is reused");
    assertEquals(CHECK + SAVE, round(cache, 1));
    assertEquals(2, cache.size());
  }

  @Test
  void aRoundOfCPaysCCopiesAndCTimesCPlusOneOverTwoChecks() {
    for (int c : new int[] {2, 8, 32}) {
      PromptCache cache = cache(64, 1000);
      round(cache, c); // c empty slots take their first states
      round(cache, c); // c fresh copies
      // the first launch checks and copies its own slot and every idle one; the k-th finds its own
      // slot cached (one check) and checks the c - k slots still idle: c + (c - 1) + (c - 1)(c - 2)/2
      assertEquals(c * (SAVE + FRESH) + (long) c * (c + 1) / 2 * CHECK, round(cache, c), "c = " + c);
    }
  }

  @Test
  void aStateEvictedWhileItsSlotIsIdleIsCopiedAgain() {
    PromptCache cache = cache(8, 2);
    round(cache, 3); // slots 7, 6 and 5 hold states
    // slot 5 is copied, then idle 6 and 7; 7's copy evicts 5's
    assertEquals(3 * CHECK + 2 * (SAVE + FRESH) + SAVE, round(cache, 1));
    // slot 5's new state evicts 6's, so idle 6 is copied again, evicting 7's, so 7 is copied again
    assertEquals(3 * (CHECK + SAVE), round(cache, 1));
    assertEquals(2, cache.size());
  }

  @Test
  void moreRequestsThanSlotsIsTheSchedulersBug() {
    PromptCache cache = cache(2, 4);
    cache.launch();
    cache.launch();
    assertThrows(IllegalStateException.class, cache::launch);
  }
}
