package io.llmload.report;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The largest heap in use just after a garbage collection, over the collections between start and
 * stop: what a program holds (plus old-generation garbage not collected yet), unlike the peak of
 * the heap pools, which is mostly how large the collector chose to let the young generation grow.
 */
final class HeapAfterGc {
  private final AtomicLong max = new AtomicLong();
  private final AtomicLong collections = new AtomicLong();
  private final List<Runnable> stops = new ArrayList<>();

  static HeapAfterGc start() {
    HeapAfterGc h = new HeapAfterGc();
    Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(p -> p.getType() == MemoryType.HEAP).map(p -> p.getName()).collect(Collectors.toSet());
    NotificationListener l = (n, handback) -> {
      if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) return;
      GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
      long used = 0;
      for (Map.Entry<String, MemoryUsage> e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
        if (heapPools.contains(e.getKey())) used += e.getValue().getUsed();
      }
      h.collections.incrementAndGet();
      h.max.accumulateAndGet(used, Math::max);
    };
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter e) {
        e.addNotificationListener(l, null, null);
        h.stops.add(() -> {
          try {
            e.removeNotificationListener(l);
          } catch (javax.management.ListenerNotFoundException ignored) {
            // already gone
          }
        });
      }
    }
    return h;
  }

  /** Stops listening, after the notifications of collections so far have arrived (they come on another thread). */
  void stop() throws InterruptedException {
    Thread.sleep(200);
    stops.forEach(Runnable::run);
  }

  long maxBytes() {
    return max.get();
  }

  long collections() {
    return collections.get();
  }
}
