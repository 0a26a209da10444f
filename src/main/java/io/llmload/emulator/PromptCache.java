package io.llmload.emulator;

import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * The launch cost of llama.cpp's host-memory prompt cache ({@code --cache-ram}, 8192 MiB by default,
 * with {@code --cache-idle-slots} on), as {@code tools/server/server-context.cpp} and
 * {@code server-task.cpp} of the llama.cpp that node-llama-cpp 3.22.1 bundles do it.
 *
 * <p>When a task takes a slot whose KV state it would mostly overwrite, the server first copies
 * that state to host memory; right after, it offers every idle slot's state to the cache as well.
 * Each offer first sizes the state, a walk over every KV cell of the context, and only then finds
 * the state already cached. All of it runs on the server's single loop thread before the next
 * decode, so a round of c requests sent together pays c copies and about c²/2 checks before anyone's
 * first token. A copy into memory that an evicted entry freed is cheap; while the cache is still
 * growing it touches fresh pages and costs more. That is why the fixture's launch cost per user
 * falls from about 18 ms to 8 ms once the cache has filled (during its 16-user level) and then
 * grows again with c.
 *
 * <p>Not modelled: loading a cached prompt into an empty slot (the server does it when prompts
 * share a prefix) and prompt similarity (every launch is taken to displace its slot's state).
 * Owned by the scheduler thread.
 */
final class PromptCache {
  private final int entries;
  private final long saveNanos;
  private final long freshNanos;
  private final long checkNanos;
  private final boolean[] busy;
  /** Per slot: the version of the state it holds, -1 while it has never run a request. */
  private final int[] version;
  /** Per slot: the version of its state that the cache holds, -1 if none. */
  private final int[] cached;
  /** Cached states, oldest first, as slot * 2^32 + version. */
  private final ArrayDeque<Long> fifo = new ArrayDeque<>();
  /** Evicted entries whose memory a copy can reuse. */
  private int free;

  PromptCache(int slots, int entries, double saveMs, double freshMs, double checkUs) {
    this.entries = entries;
    this.saveNanos = Math.round(saveMs * 1e6);
    this.freshNanos = Math.round(freshMs * 1e6);
    this.checkNanos = Math.round(checkUs * 1e3);
    this.busy = new boolean[slots];
    this.version = new int[slots];
    this.cached = new int[slots];
    Arrays.fill(version, -1);
    Arrays.fill(cached, -1);
  }

  /** Prompts cached now. */
  int size() {
    return fifo.size();
  }

  /** A launched request's slot, and the launch's work on the server's loop thread. */
  record Launch(int slot, long nanos) {}

  /**
   * Gives a new request a slot: the first idle slot holding a state if there is one (llama.cpp
   * picks the slot whose cached tokens best match the prompt), else the last empty one (its
   * least-recently-used rule picks the last of equals).
   */
  Launch launch() {
    int slot = -1;
    for (int s = 0; s < busy.length && slot < 0; s++) {
      if (!busy[s] && version[s] >= 0) {
        slot = s;
      }
    }
    for (int s = busy.length - 1; s >= 0 && slot < 0; s--) {
      if (!busy[s]) {
        slot = s;
      }
    }
    if (slot < 0) {
      throw new IllegalStateException("no free slot: the scheduler admits at most maxBatch requests");
    }
    long cost = version[slot] >= 0 ? offer(slot) : 0;
    busy[slot] = true;
    for (int s = 0; s < busy.length; s++) {
      if (!busy[s] && version[s] >= 0) {
        cost += offer(s);
      }
    }
    return new Launch(slot, cost);
  }

  /** The slot's request finished or was cancelled: the slot now holds a new state. */
  void finish(int slot) {
    busy[slot] = false;
    version[slot]++;
  }

  /** llama.cpp's {@code prompt_save}: size the state, then copy it unless the cache holds it. */
  private long offer(int slot) {
    if (cached[slot] == version[slot]) {
      return checkNanos;
    }
    long cost = checkNanos + saveNanos;
    if (fifo.size() >= entries) {
      long oldest = fifo.pollFirst();
      int s = (int) (oldest >>> 32);
      if (cached[s] == (int) oldest) {
        cached[s] = -1;
      }
      free++;
    }
    if (free > 0) {
      free--;
    } else {
      cost += freshNanos;
    }
    fifo.addLast(((long) slot << 32) | (version[slot] & 0xFFFFFFFFL));
    cached[slot] = version[slot];
    return cost;
  }
}
