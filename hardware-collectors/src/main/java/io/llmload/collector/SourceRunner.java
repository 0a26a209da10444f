package io.llmload.collector;

import java.lang.System.Logger.Level;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Runs one source on its own daemon thread: opens it there (so a slow NVML init or OSHI start delays no
 * other source and never the load test), then polls it at its period, and keeps its status. Nothing a
 * source throws leaves this class; after {@value #MAX_CONSECUTIVE_ERRORS} failed polls in a row the
 * source is stopped and marked failed.
 */
final class SourceRunner {

  private static final System.Logger LOG = System.getLogger(SourceRunner.class.getName());
  static final int MAX_CONSECUTIVE_ERRORS = 10;
  static final String THREAD_PREFIX = "llmload-collector-";

  private final Source source;
  private final ScheduledExecutorService exec;
  private volatile String status = SourceStatus.FAILED;
  private volatile @Nullable String reason = "still opening when the session closed";
  private volatile long errors;
  private int consecutive;
  private boolean opened;
  private boolean stopping;
  private boolean closed;

  SourceRunner(Source source) {
    this.source = source;
    this.exec = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, THREAD_PREFIX + source.name());
      t.setDaemon(true);
      return t;
    });
  }

  Source source() {
    return source;
  }

  /** Opens the source on its thread and, if it opened, polls it there. Returns at once. */
  void start(SampleSink sink) {
    exec.execute(() -> open(sink));
  }

  private void open(SampleSink sink) {
    synchronized (this) {
      if (stopping) {
        return;
      }
    }
    try {
      source.open(sink);
      status = SourceStatus.RUNNING;
      reason = null;
    } catch (UnsupportedSourceException e) {
      status = SourceStatus.UNSUPPORTED;
      reason = e.getMessage();
      LOG.log(Level.DEBUG, () -> "hardware collector: " + source.name() + " unsupported: " + e.getMessage());
      closeSource();
      return;
    } catch (InterruptedException e) {
      status = SourceStatus.FAILED;
      reason = "the session closed while the source was still opening";
      closeSource();
      return;
    } catch (Exception | LinkageError e) {
      status = SourceStatus.FAILED;
      reason = "open failed: " + e;
      LOG.log(Level.WARNING, "hardware collector: " + source.name() + " failed to open: " + e);
      closeSource();
      return;
    }
    synchronized (this) {
      opened = true;
      if (stopping) {
        // the session closed while this source was opening: it is ours to close
        closeSource();
        return;
      }
    }
    if (!source.selfDriven()) {
      try {
        exec.scheduleAtFixedRate(this::tick, source.periodMs(), source.periodMs(), TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        return; // stopped between opening and scheduling: awaitAndClose closes the opened source
      }
      tick();
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
        exec.shutdown();
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

  /** Stops polling without waiting; a source not yet opened will not be. */
  synchronized void signalStop() {
    stopping = true;
    exec.shutdown();
  }

  /** Waits up to {@code millis} for an open or poll in progress, then closes the source. */
  void awaitAndClose(long millis) {
    boolean idle;
    try {
      idle = exec.awaitTermination(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      idle = false;
    }
    if (!idle) {
      exec.shutdownNow();
    }
    synchronized (this) {
      if (opened) {
        closeSource();
      }
      // else still opening: open() closes it when it returns
    }
  }

  private synchronized void closeSource() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      source.close();
    } catch (RuntimeException | LinkageError e) {
      LOG.log(Level.WARNING, "hardware collector: closing " + source.name() + ": " + e);
    }
  }
}
