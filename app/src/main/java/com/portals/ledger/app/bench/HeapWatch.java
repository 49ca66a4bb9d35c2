package com.portals.ledger.app.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The most heap this JVM had in use right after a garbage collection while watching: what the
 * ledger (and the benchmark's own bookkeeping) keeps, as opposed to what it has yet to collect.
 * Told by the JVM's notification after each collection; heap pools only. Also how long the
 * collections took: with the parallel collector every one stops the ledger, its producer and the
 * benchmark's publisher and reader, so the pauses are part of the latencies a phase measures.
 */
final class HeapWatch implements AutoCloseable {

  private final Set<String> heapPools =
      ManagementFactory.getMemoryPoolMXBeans().stream()
          .filter(pool -> pool.getType() == MemoryType.HEAP)
          .map(MemoryPoolMXBean::getName)
          .collect(Collectors.toSet());

  private final List<NotificationEmitter> emitters = new ArrayList<>();
  private final NotificationListener listener = this::collected;
  private long maxAfterGc;
  private long collections;
  private long fullCollections;
  private long pausedMillis;
  private long longestMillis;

  private HeapWatch() {}

  /** Starts watching. */
  static HeapWatch start() {
    HeapWatch watch = new HeapWatch();
    for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (collector instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener(watch.listener, null, null);
        watch.emitters.add(emitter);
      }
    }
    return watch;
  }

  private void collected(Notification notification, Object handback) {
    if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(
        notification.getType())) {
      return;
    }
    GarbageCollectionNotificationInfo info =
        GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
    long used = 0;
    for (Map.Entry<String, MemoryUsage> pool :
        info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
      if (heapPools.contains(pool.getKey())) {
        used += pool.getValue().getUsed();
      }
    }
    long millis = info.getGcInfo().getDuration();
    boolean full = info.getGcAction() != null && info.getGcAction().contains("major");
    synchronized (this) {
      maxAfterGc = Math.max(maxAfterGc, used);
      collections++;
      fullCollections += full ? 1 : 0;
      pausedMillis += millis;
      longestMillis = Math.max(longestMillis, millis);
    }
  }

  /** The most heap in use after a collection so far, in bytes; 0 if none happened. */
  synchronized long maxAfterGcBytes() {
    return maxAfterGc;
  }

  /** Collections seen so far. */
  synchronized long collections() {
    return collections;
  }

  /**
   * The collections so far, for a report line: how many, how many of the whole heap, how long they
   * took in all and the longest one.
   */
  synchronized String describePauses() {
    return String.format(
        java.util.Locale.ROOT,
        "%d garbage collections (%d of the whole heap) took %d ms in all, the longest %d ms",
        collections,
        fullCollections,
        pausedMillis,
        longestMillis);
  }

  /** Heap in use now, garbage included, in bytes. */
  static long usedNow() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /** Stops watching. */
  @Override
  public void close() {
    for (NotificationEmitter emitter : emitters) {
      try {
        emitter.removeNotificationListener(listener);
      } catch (ListenerNotFoundException gone) {
        // Removed already.
      }
    }
    emitters.clear();
  }
}
