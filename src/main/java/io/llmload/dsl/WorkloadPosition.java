package io.llmload.dsl;

import org.jspecify.annotations.Nullable;

/**
 * Which workload record a request sends, and in the closed model which user's which iteration it
 * is: written to {@code requests.jsonl} so that a merged sharded run can be checked record by
 * record against a single generator's. Load models that index their workload put it in the
 * session under {@link #KEY}; others leave it out and the fields stay absent.
 *
 * @param record the workload record's index (open model: the arrival index; closed model:
 *     {@code iteration * maxUsers + user})
 * @param user the closed model's global user (0 to maxUsers-1, the same numbering on every shard)
 * @param iteration that user's iteration, from 0
 */
public record WorkloadPosition(long record, @Nullable Integer user, @Nullable Long iteration) {
  /** Session attribute holding the position of the user's current workload record. */
  public static final String KEY = "llmload.workloadPosition";

  /** Open model: arrival {@code index} sends workload record {@code index}. */
  public static WorkloadPosition arrival(long index) {
    return new WorkloadPosition(index, null, null);
  }

  /** Closed model: global user {@code user}'s iteration {@code iteration} sends {@code record}. */
  public static WorkloadPosition closed(long record, int user, long iteration) {
    return new WorkloadPosition(record, user, iteration);
  }
}
