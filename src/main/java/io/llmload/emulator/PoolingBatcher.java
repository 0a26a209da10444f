package io.llmload.emulator;

import io.netty.channel.ChannelHandlerContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The latency model of embeddings and rerank, which run one forward pass (a prefill) per input
 * and generate nothing: requests that arrive while a batch runs wait and form the next batch
 * together; a batch takes {@code prefillBaseMs + prefillPerTokenMs × its input tokens}, so latency
 * grows with the batch's size and its inputs' length, and concurrent requests share the fixed cost.
 */
final class PoolingBatcher {

  /** One request: its input tokens, and what to send when its batch is done. */
  record Job(ChannelHandlerContext ctx, int tokens, Runnable respond) {}

  private final ModelParams params;
  private final List<Job> pending = new ArrayList<>();
  private boolean running;

  PoolingBatcher(ModelParams params) {
    this.params = params;
  }

  void offer(Job job) {
    boolean start;
    synchronized (this) {
      pending.add(job);
      start = !running;
      running = true;
    }
    if (start) runBatch(job.ctx());
  }

  private void runBatch(ChannelHandlerContext where) {
    List<Job> batch;
    synchronized (this) {
      batch = new ArrayList<>(pending);
      pending.clear();
    }
    long tokens = 0;
    for (Job j : batch) tokens += j.tokens();
    long nanos = params.prefillNanos((int) Math.min(Integer.MAX_VALUE, tokens));
    where.executor().schedule(() -> finish(batch), nanos, TimeUnit.NANOSECONDS);
  }

  private void finish(List<Job> batch) {
    for (Job j : batch) j.ctx().executor().execute(j.respond());
    Job next;
    synchronized (this) {
      if (pending.isEmpty()) {
        running = false;
        return;
      }
      next = pending.get(0);
    }
    runBatch(next.ctx());
  }
}
