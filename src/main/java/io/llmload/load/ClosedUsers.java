package io.llmload.load;

import java.util.BitSet;

/**
 * The users of a closed model, numbered so that N shards together send what one generator would:
 * Gatling starts a new virtual user for each iteration, so a "user" here is a concurrency slot, the
 * lowest free one, taken when a Gatling user starts and given back when it ends. Slot j of shard i
 * of N is global user {@code j*N + i}; at a level of L users the shares' slots are exactly the
 * global users 0 to L-1 (shard i's share is the count of g < L with g mod N = i). Each global user
 * counts its iterations, and its k-th iteration asks workload record {@code k*maxUsers + user}
 * ({@link #recordIndex}), a function of (user, iteration) only, never of which shard sends it.
 *
 * <p>After a level goes down, the users still in flight may hold slots above the new level until
 * each ends once (Gatling lets them finish); the lowest-free rule then brings the numbering back to
 * 0 to L-1. That happens in the transition second a sweep leaves out of its statistics.
 */
public final class ClosedUsers {
  private final Shards shards;
  private final int maxUsers;
  private final BitSet busy = new BitSet();
  private long[] iterations;

  /** One user's turn: who, which iteration, and the workload record it asks. */
  public record Turn(int slot, int user, long iteration, long record) {}

  /**
   * @param maxUsers the largest concurrency of the whole load (all shards): the stride of the
   *     record index, so that users 0 to maxUsers-1 never share a record
   */
  public ClosedUsers(Shards shards, int maxUsers) {
    if (maxUsers < 1) throw new IllegalArgumentException("maxUsers: " + maxUsers + " is out of range; allowed: >= 1");
    this.shards = shards;
    this.maxUsers = maxUsers;
    this.iterations = new long[Math.max(1, shards.share(maxUsers))];
  }

  /** The workload record of global user {@code user}'s iteration {@code iteration}. */
  public static long recordIndex(int user, long iteration, int maxUsers) {
    return iteration * maxUsers + user;
  }

  /** True when record {@code index} belongs to one of this shard's users. */
  public boolean owns(long index) {
    return shards.owns(Math.floorMod(index, (long) maxUsers));
  }

  /** A Gatling user starts: the lowest free slot and its next iteration. */
  public synchronized Turn take() {
    int slot = busy.nextClearBit(0);
    int user = slot * shards.count() + shards.index();
    if (user >= maxUsers) {
      // more users in flight than the load's largest level: a simulation's maxUsers is wrong
      throw new IllegalStateException("closed model: user " + user + " is beyond maxUsers " + maxUsers
          + "; pass the load's largest concurrency");
    }
    if (slot >= iterations.length) iterations = java.util.Arrays.copyOf(iterations, slot + 1);
    busy.set(slot);
    long k = iterations[slot]++;
    return new Turn(slot, user, k, recordIndex(user, k, maxUsers));
  }

  /** The Gatling user of {@code turn} ended: its slot is free for the next one. */
  public synchronized void release(Turn turn) {
    busy.clear(turn.slot());
  }

  public int maxUsers() {
    return maxUsers;
  }
}
