package io.llmload.report;

import org.jspecify.annotations.Nullable;

/**
 * One phase of a run as run.json declares it. Records sent before {@code warmupEndEpochUs} are
 * warm-up; the measured window runs from there to {@code endEpochUs}.
 */
record PhaseWindow(
    String name, @Nullable Double level, long startEpochUs, long endEpochUs, long warmupEndEpochUs) {

  long measuredStartUs() {
    return Math.max(startEpochUs, Math.min(warmupEndEpochUs, endEpochUs));
  }

  boolean containsMeasured(long epochUs) {
    return epochUs >= measuredStartUs() && epochUs <= endEpochUs;
  }
}
