package io.llmload.load;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The open model's concurrency cap: no lost wake-up, strict arrival order, never over the cap. */
class ConcurrencyCapTest {

  @Test
  void waitersGoInArrivalOrder() {
    ConcurrencyCap<String> cap = new ConcurrencyCap<>(2);
    assertTrue(cap.admit("a"));
    assertTrue(cap.admit("b"));
    assertFalse(cap.admit("c"));
    assertFalse(cap.admit("d"));
    assertEquals("c", cap.release());
    // a slot freed while someone waits is never taken by a newcomer
    assertFalse(cap.admit("e"));
    assertEquals("d", cap.release());
    assertEquals("e", cap.release());
    assertNull(cap.release());
    assertNull(cap.release());
    assertTrue(cap.idle());
    assertTrue(cap.admit("f"));
    assertFalse(cap.idle());
  }

  /**
   * The interleaving that hung capped runs: an arrival finds the cap full; before it is queued, a
   * completion on another thread frees the only slot and looks at the (still empty) queue. That
   * completion must hand its slot to the arrival, and a later arrival must not overtake it.
   */
  @Test
  void aCompletionBetweenTheCheckAndTheEnqueueStillStartsTheArrival() throws Exception {
    AtomicReference<Thread> completer = new AtomicReference<>();
    AtomicReference<String> handedTo = new AtomicReference<>("nothing yet");
    CountDownLatch completed = new CountDownLatch(1);
    @SuppressWarnings("unchecked")
    ConcurrencyCap<String>[] holder = new ConcurrencyCap[1];
    Runnable hook = () -> {
      if (completer.get() != null) return; // only the first arrival that waits
      Thread t = new Thread(() -> {
        handedTo.set(String.valueOf(holder[0].release()));
        completed.countDown();
      }, "completion");
      completer.set(t);
      t.start();
      // give the completion every chance to run in the window: it either finishes (a lost
      // wake-up: it saw no waiter) or blocks until the arrival is queued
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
      while (t.getState() != Thread.State.BLOCKED && t.getState() != Thread.State.TERMINATED
          && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
    };
    ConcurrencyCap<String> cap = new ConcurrencyCap<>(1, hook);
    holder[0] = cap;
    assertTrue(cap.admit("first"));
    assertFalse(cap.admit("second"), "the cap is full: the second arrival waits");
    assertTrue(completed.await(5, TimeUnit.SECONDS), "the completion ran");
    assertEquals("second", handedTo.get(), "the freed slot went to the waiting arrival");
    assertFalse(cap.admit("third"), "a later arrival does not overtake");
    assertEquals(1, cap.inFlight());
    assertEquals("third", cap.release());
    assertNull(cap.release());
    assertTrue(cap.idle());
  }

  /**
   * One pacer admits 50,000 arrivals in order while three threads complete them in random order:
   * every arrival starts exactly once, never more than the cap run at once, each thread sees the
   * waiters it starts in arrival order, and the run ends (bounded).
   */
  @Test
  void stressNoLostArrivalNoOvertakingNeverOverTheCap() throws Exception {
    int n = 50_000;
    int limit = 8;
    ConcurrencyCap<Integer> cap = new ConcurrencyCap<>(limit);
    ConcurrentLinkedQueue<Integer> running = new ConcurrentLinkedQueue<>();
    AtomicInteger concurrent = new AtomicInteger();
    AtomicInteger maxConcurrent = new AtomicInteger();
    AtomicInteger[] starts = new AtomicInteger[n];
    for (int i = 0; i < n; i++) starts[i] = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    AtomicReference<String> failure = new AtomicReference<>();
    ExecutorService completers = Executors.newFixedThreadPool(3);
    CountDownLatch all = new CountDownLatch(1);
    try {
      List<Runnable> loops = new ArrayList<>();
      for (int w = 0; w < 3; w++) {
        loops.add(() -> {
          int lastHanded = -1;
          while (done.get() < n) {
            Integer item = running.poll();
            if (item == null) {
              Thread.onSpinWait();
              continue;
            }
            if (ThreadLocalRandom.current().nextInt(4) == 0) Thread.yield();
            concurrent.decrementAndGet();
            if (done.incrementAndGet() == n) all.countDown();
            Integer next = cap.release();
            if (next != null) {
              if (next <= lastHanded) failure.compareAndSet(null, "waiter " + next + " started after " + lastHanded);
              lastHanded = next;
              start(next, starts, concurrent, maxConcurrent, running);
            }
          }
        });
      }
      loops.forEach(completers::execute);
      for (int i = 0; i < n; i++) {
        if (cap.admit(i)) start(i, starts, concurrent, maxConcurrent, running);
      }
      assertTrue(all.await(30, TimeUnit.SECONDS),
          "every arrival ended (no lost wake-up): " + done.get() + " of " + n + ", waiting " + cap.waiting());
    } finally {
      completers.shutdownNow();
      completers.awaitTermination(5, TimeUnit.SECONDS);
    }
    assertNull(failure.get());
    for (int i = 0; i < n; i++) assertEquals(1, starts[i].get(), "arrival " + i + " started once");
    assertTrue(maxConcurrent.get() <= limit, "at most " + limit + " at once: " + maxConcurrent.get());
    assertTrue(cap.idle());
  }

  private static void start(int item, AtomicInteger[] starts, AtomicInteger concurrent, AtomicInteger max,
      ConcurrentLinkedQueue<Integer> running) {
    starts[item].incrementAndGet();
    max.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
    running.add(item);
  }
}
