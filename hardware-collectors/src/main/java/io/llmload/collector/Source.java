package io.llmload.collector;

import org.jspecify.annotations.Nullable;

/**
 * One kind of telemetry source (NVML, nvidia-smi, a Prometheus endpoint, OSHI, RAPL, ...).
 *
 * <p>The session opens each source once, on a background thread, then calls {@link #poll} every
 * {@link #periodMs()} on the source's own thread. A source that drives itself (a long-running child
 * process) returns true from {@link #selfDriven()} and reports its death through {@link #failure()}.
 * Implementations need not be thread-safe: open, poll and close of one source are never concurrent.
 */
public interface Source {

  /** Name used in {@code collector.json}. */
  String name();

  /** Sampling period in milliseconds. */
  long periodMs();

  /** Scraped URL, for sources that have one. */
  default @Nullable String url() {
    return null;
  }

  /**
   * Prepares the source.
   *
   * @throws UnsupportedSourceException when the source cannot run here (no library, no tool, no permission)
   * @throws Exception anything else, recorded as {@code failed}
   */
  void open(SampleSink sink) throws Exception;

  /** Takes one sample into the sink given to {@link #open}. */
  void poll() throws Exception;

  /** True when the source samples on its own (child process) and {@link #poll} is never called. */
  default boolean selfDriven() {
    return false;
  }

  /** Non-null once a self-driven source has died: the reason. */
  default @Nullable String failure() {
    return null;
  }

  /** Samples produced so far. */
  long samples();

  /** Releases what {@link #open} acquired; never throws. */
  void close();
}
