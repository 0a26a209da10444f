package io.llmload.collector;

import org.jspecify.annotations.Nullable;

/**
 * What one source did during a session, as written to {@code collector.json}.
 *
 * @param name source name ({@code nvml}, {@code nvml-energy}, {@code nvidia-smi}, {@code dcgm}, {@code server}, ...)
 * @param status {@code running}, {@code unsupported} or {@code failed}
 * @param reason why it is unsupported or failed, or the last transient error; null when none
 * @param periodMs sampling period in milliseconds
 * @param url scraped URL for Prometheus sources, null otherwise
 * @param samples samples the source produced
 * @param errors polls that threw
 */
public record SourceStatus(
    String name,
    String status,
    @Nullable String reason,
    long periodMs,
    @Nullable String url,
    long samples,
    long errors) {

  public static final String RUNNING = "running";
  public static final String UNSUPPORTED = "unsupported";
  public static final String FAILED = "failed";
}
