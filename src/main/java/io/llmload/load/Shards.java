package io.llmload.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * This generator's part of one load run by {@code count} generators ({@code -Dshards=N
 * -Dshard=i}): a closed-model concurrency is split into integer shares that add up to the whole
 * (the first {@code total % N} shards take one more), an open-model schedule is striped by arrival
 * index (shard i sends arrivals i, i+N, i+2N, ...), as k6's execution segments do. No coordinator:
 * every shard computes the whole plan and keeps its part.
 *
 * @param count how many generators share the load, >= 1
 * @param index this generator's index, 0 to count - 1
 */
public record Shards(int count, int index) {
  /** One generator: the whole load. */
  public static final Shards ONE = new Shards(1, 0);

  /** The Kubernetes Indexed Job's variable, read for {@code shard} when it is set. */
  public static final String JOB_INDEX_ENV = "JOB_COMPLETION_INDEX";

  public Shards {
    if (count < 1) throw new IllegalArgumentException("shards: " + count + " is out of range; allowed: >= 1");
    if (index < 0 || index >= count) {
      throw new IllegalArgumentException("shard: " + index + " is out of range; allowed: 0 to " + (count - 1)
          + " (shards=" + count + ")");
    }
  }

  /**
   * Reads {@code shards} and {@code shard} (or {@code JOB_COMPLETION_INDEX} when {@code shard} is
   * not given).
   *
   * @throws IllegalArgumentException one line naming the parameter and what is allowed
   */
  public static Shards from(Properties props, Map<String, String> env) {
    String n = props.getProperty("shards");
    String i = props.getProperty("shard");
    String source = "shard";
    if (i == null && env.get(JOB_INDEX_ENV) != null) {
      i = env.get(JOB_INDEX_ENV);
      source = JOB_INDEX_ENV;
    }
    if (n == null) {
      if (i != null) throw new IllegalArgumentException(source + ": " + i + " given without -Dshards=N; allowed: both or neither");
      return ONE;
    }
    int count = whole("shards", n);
    if (count < 1) throw new IllegalArgumentException("shards: " + count + " is out of range; allowed: >= 1");
    if (i == null) throw new IllegalArgumentException("shard: missing; -Dshards=" + count + " needs -Dshard=0 to " + (count - 1));
    int index = whole(source, i);
    if (index < 0 || index >= count) {
      throw new IllegalArgumentException(source + ": " + index + " is out of range; allowed: 0 to " + (count - 1)
          + " (shards=" + count + ")");
    }
    return new Shards(count, index);
  }

  private static int whole(String name, String text) {
    try {
      return Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + ": '" + text + "' is not a whole number");
    }
  }

  /** True when there is more than one generator. */
  public boolean split() {
    return count > 1;
  }

  /** This shard's integer part of {@code total}; the parts of all shards add up to {@code total}. */
  public int share(int total) {
    return shareOf(total, count, index);
  }

  /** This shard's part of each level, level by level. */
  public List<Integer> shares(List<Integer> levels) {
    List<Integer> out = new ArrayList<>(levels.size());
    for (int l : levels) out.add(share(l));
    return out;
  }

  /** True when arrival {@code i} of the whole schedule is this shard's. */
  public boolean owns(long arrivalIndex) {
    return Math.floorMod(arrivalIndex, (long) count) == index;
  }

  /** Shard {@code index}'s part of {@code total} among {@code count}: floor, plus one for the first {@code total % count}. */
  static int shareOf(int total, int count, int index) {
    if (total < 0) throw new IllegalArgumentException("total: " + total + " is out of range; allowed: >= 0");
    return total / count + (index < total % count ? 1 : 0);
  }

  /**
   * This shard's records of a closed-model feeder: records i, i+N, i+2N, ... of the workload, so
   * the shards never send the same record (one generator's prompts, not N copies of its first
   * ones, which a prefix cache would serve from the copies), and together they send the workload's
   * records in the order one generator would, as far as each got.
   */
  public <T> java.util.Iterator<T> stripe(java.util.Iterator<T> whole) {
    if (count == 1) return whole;
    return new java.util.Iterator<T>() {
      boolean skipped;

      @Override
      public synchronized boolean hasNext() {
        if (!skipped) {
          for (int k = 0; k < index && whole.hasNext(); k++) whole.next();
          skipped = true;
        }
        return whole.hasNext();
      }

      @Override
      public synchronized T next() {
        if (!hasNext()) throw new java.util.NoSuchElementException();
        T t = whole.next();
        for (int k = 1; k < count && whole.hasNext(); k++) whole.next();
        return t;
      }
    };
  }

  /** For run.json and the records: "i/N". */
  public String label() {
    return index + "/" + count;
  }
}
