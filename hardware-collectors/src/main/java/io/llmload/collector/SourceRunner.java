package io.llmload.collector;

import java.lang.System.Logger.Level;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Runs one source: opens it, polls it at its period on its own daemon thread, and keeps its status.
 * Nothing a source throws leaves this class; after {@value #MAX_CONSECUTIVE_ERRORS} failed polls in a
 * row the source is stopped and marked failed.
 */
final class SourceRunner {

  private static final System.Logger LOG = System.getLogger(SourceRunner.class.getName());
  static final int MAX_CONSECUTIVE_ERRORS = 10;
  static final String THREAD_PREFIX = "llmload-collector-";

  private final Source source;
  private @Nullable ScheduledExecutorService exec;
  private volatile String status = SourceStatus.FAILED;
  private volatile @Nullable String reason = "not started";
  private volatile long errors;
  private int consecutive;
  private volatile boolean opened;

  SourceRunner(Source source) {
    this.source = source;
  }

  Source source() {
    return source;
  }

  boolean running() {
    return opened && SourceStatus.RUNNING.equals(status) && source.failure() == null;
  }

  /** Opens the source on the calling thread and, if it opened, starts polling it. */
  void open(SampleSink sink) {
    try {
      source.open(sink);
      opened = true;
      status = SourceStatus.RUNNING;
      reason = null;
    } catch (UnsupportedSourceException e) {
      status = SourceStatus.UNSUPPORTED;
      reason = e.getMessage();
      LOG.log(Level.DEBUG, () -> "hardware collector: " + source.name() + " unsupported: " + e.getMessage());
      source.close();
      return;
    } catch (Exception | LinkageError e) {
      status = SourceStatus.FAILED;
      reason = "open failed: " + e;
      LOG.log(Level.WARNING, "hardware collector: " + source.name() + " failed to open: " + e);
      source.close();
      return;
    }
    if (!source.selfDriven()) {
      ScheduledExecutorService e = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, THREAD_PREFIX + source.name());
        t.setDaemon(true);
        return t;
      });
      exec = e;
      e.scheduleAtFixedRate(this::tick, 0, source.periodMs(), TimeUnit.MILLISECONDS);
    }
  }

  private void tick() {
    if (!SourceStatus.RUNNING.equals(status)) {
      return;
    }
    try {
      source.poll();
      consecutive = 0;
    } catch (Exception | LinkageError e) {
      errors++;
      consecutive++;
      reason = "last error: " + e;
      if (consecutive >= MAX_CONSECUTIVE_ERRORS) {
        status = SourceStatus.FAILED;
        reason = consecutive + " polls failed in a row; last: " + e;
        LOG.log(Level.WARNING, "hardware collector: " + source.name() + " stopped: " + reason);
        ScheduledExecutorService x = exec;
        if (x != null) {
          x.shutdown();
        }
      }
    }
  }

  SourceStatus status() {
    String s = status;
    String r = reason;
    String f = source.failure();
    if (SourceStatus.RUNNING.equals(s) && f != null) {
      s = SourceStatus.FAILED;
      r = f;
    }
    return new SourceStatus(source.name(), s, r, source.periodMs(), source.url(), source.samples(), errors);
  }

  /** Stops polling without waiting. */
  void signalStop() {
    ScheduledExecutorService x = exec;
    if (x != null) {
      x.shutdown();
    }
  }

  /** Waits up to {@code millis} for a poll in progress, then closes the source. */
  void awaitAndClose(long millis) {
    ScheduledExecutorService x = exec;
    if (x != null) {
      try {
        if (!x.awaitTermination(millis, TimeUnit.MILLISECONDS)) {
          x.shutdownNow();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (opened) {
      try {
        source.close();
      } catch (RuntimeException | LinkageError e) {
        LOG.log(Level.WARNING, "hardware collector: closing " + source.name() + ": " + e);
      }
    }
  }
}
