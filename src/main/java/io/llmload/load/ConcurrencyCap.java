package io.llmload.load;

import java.util.ArrayDeque;
import org.jspecify.annotations.Nullable;

/**
 * At most {@code cap} items in flight; the others wait in arrival order. The check of the count
 * and the enqueue are one step under one lock, and a finishing item hands its slot straight to the
 * head of the queue in the same step: a completion on another thread cannot slip between an
 * arrival's check and its enqueue (the arrival would then wait for a completion that may never
 * come), and a later arrival cannot take a slot while an earlier one waits.
 *
 * @param <T> what waits (an arrival)
 */
public final class ConcurrencyCap<T> {
  private final int cap;
  private final Runnable betweenCheckAndEnqueue;
  private final ArrayDeque<T> waiting = new ArrayDeque<>();
  private int inFlight;

  /** @param cap the most items in flight, >= 1 */
  public ConcurrencyCap(int cap) {
    this(cap, () -> {});
  }

  /** For tests: {@code hook} runs after an arrival found the cap full and before it is queued. */
  ConcurrencyCap(int cap, Runnable hook) {
    if (cap < 1) throw new IllegalArgumentException("cap: " + cap + " is out of range; allowed: >= 1");
    this.cap = cap;
    this.betweenCheckAndEnqueue = hook;
  }

  /** True when {@code item} takes a slot now; false when it was queued (a later {@link #release()} returns it). */
  public boolean admit(T item) {
    synchronized (this) {
      if (inFlight < cap && waiting.isEmpty()) {
        inFlight++;
        return true;
      }
      betweenCheckAndEnqueue.run();
      waiting.add(item);
      return false;
    }
  }

  /**
   * One item in flight finished. Returns the item that takes its slot (the longest waiting), to
   * be started by the caller, or null when none waits and the slot is free.
   */
  public @Nullable T release() {
    synchronized (this) {
      T next = waiting.poll();
      if (next == null) inFlight--;
      return next;
    }
  }

  /** Nothing in flight and nothing waiting. */
  public synchronized boolean idle() {
    return inFlight == 0 && waiting.isEmpty();
  }

  public synchronized int inFlight() {
    return inFlight;
  }

  public synchronized int waiting() {
    return waiting.size();
  }
}
