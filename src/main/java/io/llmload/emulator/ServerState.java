package io.llmload.emulator;

import io.netty.channel.ChannelHandlerContext;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/** What all connections of one emulator share: parameters, scheduler, counters, ground truth. */
final class ServerState {
  /** Ground truth kept in memory; the oldest are dropped beyond this (the file keeps all). */
  static final int GROUND_TRUTH_CAPACITY = 200_000;

  final EmulatorConfig config;
  final ModelParams params;
  final Scheduler scheduler;
  final PoolingBatcher pooling;
  final long startedEpochSeconds = System.currentTimeMillis() / 1000;
  final LongAdder promptTokens = new LongAdder();
  final LongAdder generationTokens = new LongAdder();
  final LongAdder finishedLength = new LongAdder();
  final LongAdder finishedStop = new LongAdder();
  final LongAdder finishedAbort = new LongAdder();
  final LongAdder refused = new LongAdder();
  private final AtomicInteger ids = new AtomicInteger();
  /** A live {@link Exchange} while its response runs, its {@link GroundTruth} once it ended (so a closed channel is not kept). */
  private final Map<String, Object> truths = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<String> order = new ConcurrentLinkedQueue<>();
  private final AtomicInteger truthCount = new AtomicInteger();
  private final @Nullable BufferedWriter truthFile;

  ServerState(EmulatorConfig config) {
    this.config = config;
    this.params = config.params();
    this.scheduler = new Scheduler(params, config.seed(), config.jitter());
    this.pooling = new PoolingBatcher(params);
    if (config.groundTruthFile() != null) {
      try {
        truthFile = Files.newBufferedWriter(config.groundTruthFile(), StandardCharsets.UTF_8,
            StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
      } catch (IOException e) {
        throw new UncheckedIOException("groundTruthFile: cannot open " + config.groundTruthFile() + ": " + e.getMessage(), e);
      }
    } else {
      truthFile = null;
    }
  }

  String nextId(String prefix) {
    return prefix + Integer.toHexString(0x100000 + ids.incrementAndGet());
  }

  void track(Exchange x) {
    if (truths.put(x.requestId, x) == null) {
      order.add(x.requestId);
      if (truthCount.incrementAndGet() > GROUND_TRUTH_CAPACITY) {
        String oldest = order.poll();
        if (oldest != null) {
          truths.remove(oldest);
          truthCount.decrementAndGet();
        }
      }
    }
  }

  @Nullable GroundTruth groundTruth(String id) {
    return truth(truths.get(id));
  }

  private static @Nullable GroundTruth truth(@Nullable Object o) {
    return o instanceof Exchange x ? x.snapshot() : (GroundTruth) o;
  }

  Collection<GroundTruth> groundTruths() {
    return List.copyOf(truths.values().stream().map(ServerState::truth).toList());
  }

  /** Called once per request when its response ended, normally or not. Event loop. */
  void finished(Exchange x) {
    GroundTruth g = x.snapshot();
    truths.replace(x.requestId, x, g);
    promptTokens.add(x.promptTokens);
    generationTokens.add((long) x.written * x.choices);
    Integer status = x.status;
    if ("length".equals(x.sentFinish)) {
      finishedLength.increment();
    } else if ("stop".equals(x.sentFinish)) {
      finishedStop.increment();
    } else if (status != null && status == 200) {
      // started streaming but did not finish: a fault, or the client went away
      finishedAbort.increment();
    }
    if (truthFile != null) {
      String line = GroundTruthJson.line(g);
      synchronized (truthFile) {
        try {
          truthFile.write(line);
          truthFile.flush();
        } catch (IOException e) {
          // The emulator keeps serving; a lost ground-truth line is reported once on stderr.
          System.err.println("emulator: ground truth not written: " + e.getMessage());
        }
      }
    }
  }

  void exchangeDone(ChannelHandlerContext ctx, Exchange x) {
    // nothing to release yet: the handler keeps only the current exchange of its connection
  }

  void reset(ChannelHandlerContext ctx) {
    Exchange.linger0(ctx);
    ctx.close();
  }

  void close() {
    if (truthFile != null) {
      synchronized (truthFile) {
        try {
          truthFile.close();
        } catch (IOException e) {
          System.err.println("emulator: ground truth file not closed: " + e.getMessage());
        }
      }
    }
  }
}
