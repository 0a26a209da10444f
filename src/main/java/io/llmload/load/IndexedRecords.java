package io.llmload.load;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.LongPredicate;

/**
 * Workload records by index over a sequential feeder: record n is the feeder's n-th. The feeder is
 * walked forward once; the records passed on the way that a later call may ask for ({@code
 * wanted}: this shard's users' records) are kept until asked, the others dropped. Each index is
 * asked at most once (a (user, iteration) pair occurs once), so a kept record is dropped when used.
 * Memory: the records of users that lag behind the busiest one (idle slots of a lower level).
 */
public final class IndexedRecords<T> {
  private final Iterator<T> source;
  private final LongPredicate wanted;
  private final Map<Long, T> kept = new HashMap<>();
  private long next;

  public IndexedRecords(Iterator<T> source, LongPredicate wanted) {
    this.source = source;
    this.wanted = wanted;
  }

  /** Record {@code index}, or null when the feeder ends before it (a finite workload). */
  public synchronized T get(long index) {
    if (index < next) {
      T t = kept.remove(index);
      if (t == null) throw new IllegalStateException("record " + index + " asked twice or not kept");
      return t;
    }
    while (next < index) {
      if (!source.hasNext()) return null;
      T t = source.next();
      if (wanted.test(next)) kept.put(next, t);
      next++;
    }
    if (!source.hasNext()) return null;
    next++;
    return source.next();
  }

  /** Records kept for later (for tests and memory figures). */
  public synchronized int keptCount() {
    return kept.size();
  }
}
