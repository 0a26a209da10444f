package io.llmload.workload;

/**
 * A one-line message about a workload property or file. Its own type, so that {@link Workloads}
 * reports these through {@code Params.invalid} without reporting Params' own errors twice.
 */
final class BadWorkload extends IllegalArgumentException {
  BadWorkload(String message) {
    super(message);
  }
}
