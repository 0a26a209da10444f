package io.llmload.emulator;

import io.netty.util.concurrent.EventExecutor;
import java.util.Map;

/** The tokens of one step for the channels of one event loop. */
final class StepBatch implements Runnable {
  private Exchange[] xs = new Exchange[8];
  private int[] ks = new int[8];
  private int n;

  /** Hands each event loop its batch. */
  static void dispatch(Map<EventExecutor, StepBatch> batches) {
    for (Map.Entry<EventExecutor, StepBatch> e : batches.entrySet()) {
      e.getKey().execute(e.getValue());
    }
  }

  void add(Exchange x, int k) {
    if (n == xs.length) {
      xs = java.util.Arrays.copyOf(xs, n * 2);
      ks = java.util.Arrays.copyOf(ks, n * 2);
    }
    xs[n] = x;
    ks[n++] = k;
  }

  @Override
  public void run() {
    for (int i = 0; i < n; i++) {
      try {
        xs[i].emit(ks[i]);
      } catch (RuntimeException e) {
        xs[i].ctx.close();
      }
    }
  }
}
