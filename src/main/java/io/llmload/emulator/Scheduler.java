package io.llmload.emulator;

import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * The emulated inference engine: one thread that owns the waiting queue and the running batch.
 *
 * <p>Batched mode (continuous batching, as vLLM, SGLang and llama.cpp do it): while anything runs,
 * decode steps follow back to back. At each step boundary waiting requests are admitted while
 * slots are free (at most {@code maxAdmitPerStep} of them); the step then takes {@code stepNanos(b)} for the b sequences of the batch plus the
 * prefill of every request admitted at that boundary: prefill and decode share one forward pass
 * (llama.cpp's and vLLM v1's mixed batches), so a prefill stalls the tokens of everyone running,
 * which is why TTFT and inter-token latency grow with load. A profile with a prompt cache adds each
 * admitted request's launch work on the server's loop thread to the same stall ({@link PromptCache}).
 * At the end of the step every running sequence gets {@code tokensPerChunk} tokens; the new ones
 * get their first.
 *
 * <p>Fixed-rate mode (for client benchmarks): no batch limit, each stream gets a token every
 * 1000/tokensPerSecond ms from its own start, after its own prefill; nothing stalls anything.
 *
 * <p>Timing uses nanoTime deadlines on an ideal timeline (a step starts where the previous one
 * ended, so late wake-ups do not accumulate drift) and {@link LockSupport#parkNanos}. Tokens are
 * handed to each channel's event loop as one task per event loop per step; the event loop encodes,
 * writes and flushes each channel once.
 */
final class Scheduler implements Runnable {
  /**
   * A step starts where the previous one ended even if the thread woke up late, so that a starved
   * CPU (the emulator shares a small machine with the load generator) costs no throughput; only when
   * later than this does the timeline restart from now, to avoid a burst of back-to-back steps.
   */
  private static final long MAX_CATCH_UP_NANOS = 50_000_000;

  private static final long FIXED_RATE_HORIZON_NANOS = 500_000;

  private final ModelParams p;
  private final Jitter jitter;
  private final ConcurrentLinkedQueue<Exchange> arrivals = new ConcurrentLinkedQueue<>();
  private final ArrayDeque<Exchange> waiting = new ArrayDeque<>();
  private final ArrayList<Exchange> running = new ArrayList<>();
  private final PriorityQueue<Exchange> timers = new PriorityQueue<>((a, b) -> Long.compare(a.nextNanos, b.nextNanos));
  /** Requests accepted and not yet finished: waiting plus running. */
  private final AtomicLong inSystem = new AtomicLong();
  private final long capacity;
  private final @Nullable PromptCache cache;
  private final Thread thread;
  private volatile boolean stopped;
  volatile int runningCount;
  volatile int waitingCount;
  final AtomicLong steps = new AtomicLong();

  Scheduler(ModelParams p, long seed, double jitter) {
    this.p = p;
    this.jitter = new Jitter(seed, jitter);
    this.capacity = (long) p.maxBatch() + p.queueLimit();
    this.cache = p.cacheEntries() > 0
        ? new PromptCache(p.maxBatch(), p.cacheEntries(), p.cacheSaveMs(), p.cacheFreshMs(), p.cacheCheckUs())
        : null;
    this.thread = new Thread(this, "emulator-scheduler");
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  void stop() {
    stopped = true;
    LockSupport.unpark(thread);
    try {
      thread.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Accepts a request unless batch and queue are full. Any thread. */
  boolean offer(Exchange x) {
    if (inSystem.incrementAndGet() > capacity) {
      inSystem.decrementAndGet();
      return false;
    }
    arrivals.add(x);
    LockSupport.unpark(thread);
    return true;
  }

  @Override
  public void run() {
    try {
      if (p.fixedRate()) {
        runFixedRate();
      } else {
        runBatched();
      }
    } catch (RuntimeException | Error e) {
      System.err.println("emulator scheduler stopped: " + e);
      throw e;
    }
  }

  private void drainArrivals() {
    Exchange x;
    while ((x = arrivals.poll()) != null) {
      waiting.add(x);
    }
  }

  private void runBatched() {
    long prevEnd = 0;
    boolean wasIdle = true;
    while (!stopped) {
      drainArrivals();
      dropCancelled();
      if (running.isEmpty() && waiting.isEmpty()) {
        publishCounts();
        wasIdle = true;
        LockSupport.park(this);
        continue;
      }
      long now = System.nanoTime();
      long t0;
      if (running.isEmpty() && wasIdle) {
        // an idle server starts on a request when it arrives: the scheduler thread's wake-up
        // latency (tens of µs, ms on a starved CPU) is this process's, not the emulated server's
        t0 = Math.max(prevEnd, Math.max(now - MAX_CATCH_UP_NANOS, waiting.peekFirst().receivedNanos));
        if (p.batchWindowMs() > 0) {
          // Gather while requests keep coming: until a window has passed since the latest arrival,
          // at most four windows after the first, or until the batch is full.
          long window = Math.round(p.batchWindowMs() * 1e6);
          long cap = waiting.peekFirst().receivedNanos + 4 * window;
          long until = Math.min(cap, waiting.peekLast().receivedNanos + window);
          while (!stopped && System.nanoTime() < until && waiting.size() < p.maxBatch()) {
            LockSupport.parkNanos(this, until - System.nanoTime());
            drainArrivals();
            until = Math.min(cap, waiting.peekLast().receivedNanos + window);
          }
          t0 = Math.max(now, Math.min(until, System.nanoTime()));
        }
      } else {
        t0 = now - prevEnd > MAX_CATCH_UP_NANOS ? now : prevEnd;
      }
      wasIdle = false;
      long prefill = 0;
      int admitted = 0;
      while (true) {
        int before = admitted;
        while (running.size() < p.maxBatch() && admitted < p.maxAdmitPerStep() && !waiting.isEmpty()) {
          Exchange x = waiting.peekFirst();
          if (x.receivedNanos > t0 + prefill) {
            break;
          }
          waiting.pollFirst();
          if (x.cancelled) {
            inSystem.decrementAndGet();
            continue;
          }
          long pf = Math.round(x.prefillNanos * jitter.factor());
          x.prefillNanos = pf;
          x.admittedNanos = t0;
          admitted++;
          prefill += pf;
          if (cache != null) {
            PromptCache.Launch launch = cache.launch();
            x.slot = launch.slot();
            prefill += Math.round(launch.nanos() * jitter.factor());
          }
          running.add(x);
        }
        if (!p.joinDuringPrefill() || admitted == before || admitted >= p.maxAdmitPerStep()
            || running.size() >= p.maxBatch()) {
          break;
        }
        // llama.cpp launches queued tasks one after another before it decodes, and takes the ones
        // that arrived meanwhile too: wait out the prefills admitted so far, then look again
        sleepUntil(t0 + prefill);
        drainArrivals();
      }
      publishCounts();
      if (running.isEmpty()) {
        // everything waiting arrived after t0 (a late wake-up); start again from now
        wasIdle = true;
        continue;
      }
      long duration = Math.round(p.stepNanos(running.size()) * jitter.factor()) + prefill;
      long deadline = t0 + duration;
      sleepUntil(deadline);
      steps.incrementAndGet();
      Map<EventExecutor, StepBatch> batches = new IdentityHashMap<>(4);
      int kept = 0;
      for (int i = 0; i < running.size(); i++) {
        Exchange x = running.get(i);
        if (x.cancelled) {
          finish(x);
          continue;
        }
        int k = Math.min(x.tokensPerChunk, x.target - x.generated);
        if (x.generated == 0) {
          x.firstTokenNanos = deadline;
        }
        x.generated += k;
        x.lastTokenNanos = deadline;
        batches.computeIfAbsent(x.ctx.executor(), e -> new StepBatch()).add(x, k);
        if (x.generated >= x.target) {
          finish(x);
        } else {
          running.set(kept++, x);
        }
      }
      running.subList(kept, running.size()).clear();
      StepBatch.dispatch(batches);
      prevEnd = deadline;
    }
  }

  private void runFixedRate() {
    long interval = Math.round(1e9 / p.tokensPerSecond());
    while (!stopped) {
      Exchange x;
      while ((x = arrivals.poll()) != null) {
        x.admittedNanos = x.receivedNanos;
        x.prefillNanos = Math.round(x.prefillNanos * jitter.factor());
        // The prefill pass yields the first token, as in real engines: TTFT = prefill, then one
        // token per interval.
        x.nextNanos = x.receivedNanos + x.prefillNanos;
        timers.add(x);
      }
      runningCount = timers.size();
      Exchange head = timers.peek();
      if (head == null) {
        LockSupport.park(this);
        continue;
      }
      long now = System.nanoTime();
      if (head.nextNanos > now) {
        LockSupport.parkNanos(this, head.nextNanos - now);
        continue;
      }
      Map<EventExecutor, StepBatch> batches = new IdentityHashMap<>(4);
      // Everything due within the next 0.5 ms goes out with this wake-up: thousands of streams
      // then cost a few thousand wake-ups per second, not one per token, for at most 0.5 ms early.
      long horizon = now + FIXED_RATE_HORIZON_NANOS;
      while ((head = timers.peek()) != null && head.nextNanos <= horizon) {
        timers.poll();
        if (head.cancelled) {
          inSystem.decrementAndGet();
          continue;
        }
        int k = Math.min(head.tokensPerChunk, head.target - head.generated);
        if (head.generated == 0) {
          head.firstTokenNanos = head.nextNanos;
        }
        head.lastTokenNanos = head.nextNanos;
        head.generated += k;
        batches.computeIfAbsent(head.ctx.executor(), e -> new StepBatch()).add(head, k);
        if (head.generated >= head.target) {
          inSystem.decrementAndGet();
        } else {
          head.nextNanos += Math.round(interval * jitter.factor());
          timers.add(head);
        }
      }
      steps.incrementAndGet();
      StepBatch.dispatch(batches);
    }
  }

  private void dropCancelled() {
    for (int i = running.size() - 1; i >= 0; i--) {
      if (running.get(i).cancelled) {
        finish(running.remove(i));
      }
    }
  }

  /** A running request leaves the batch: its slot keeps its state for the prompt cache. */
  private void finish(Exchange x) {
    inSystem.decrementAndGet();
    if (cache != null && x.slot >= 0) {
      cache.finish(x.slot);
      x.slot = -1;
    }
  }

  private void publishCounts() {
    runningCount = running.size();
    waitingCount = waiting.size();
  }

  private void sleepUntil(long deadline) {
    long left;
    while (!stopped && (left = deadline - System.nanoTime()) > 0) {
      LockSupport.parkNanos(this, left);
    }
  }
}
