package com.portals.ledger.streams.task;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.kafka.common.utils.Bytes;

/**
 * When the sessions of the sessions store may be forgotten: the instant each one's last click was
 * ordered at, kept in memory and listed by time, so that the sweep finds the expired sessions
 * without reading the store.
 *
 * <p>Why: the sweep used to walk the store itself, a few thousand sessions per commit, and a
 * RocksDB iterator steps over every deleted session not yet compacted away. Late in a catch-up of a
 * million events that walk took 100-200 ms of every commit (half of writing the stores back), and
 * 30-80 ms of a commit at a live pace (docs/performance.md).
 *
 * <p>Sessions are listed in buckets of {@code window / 64} of event time by their last click; a
 * session clicked again moves to a later bucket and its earlier listing goes stale (the instant
 * kept here tells). The sweep empties the buckets that end at or before the horizon and forgets the
 * sessions of theirs that are still expired; the bucket the horizon falls in waits for a later
 * sweep, which only delays forgetting, not any outcome. Memory: a hash map entry per session whose
 * last click is within the window, and a reference per bucket a session was listed in.
 */
final class SessionExpiry {

  private final long bucketMillis;
  private final Map<Bytes, Long> lastAt = new HashMap<>();
  private final TreeMap<Long, List<Bytes>> buckets = new TreeMap<>();

  /**
   * @param window how long, in event time, a session is kept after its last click
   */
  SessionExpiry(long window) {
    this.bucketMillis = Math.max(1L, window / 64);
  }

  /** The session at {@code key} now has its last click ordered at {@code at}. */
  void touch(Bytes key, long at) {
    Long previous = lastAt.put(key, at);
    long bucket = Math.floorDiv(at, bucketMillis);
    if (previous == null || Math.floorDiv(previous, bucketMillis) != bucket) {
      buckets.computeIfAbsent(bucket, b -> new ArrayList<>()).add(key);
    }
  }

  /**
   * Gives {@code forget} every session listed in a bucket that ends at or before {@code horizon}
   * whose last click was ordered before {@code horizon}, and stops keeping it.
   */
  void expire(long horizon, Consumer<Bytes> forget) {
    while (!buckets.isEmpty() && (buckets.firstKey() + 1) * bucketMillis <= horizon) {
      for (Bytes key : buckets.pollFirstEntry().getValue()) {
        Long at = lastAt.get(key);
        if (at != null && at < horizon) {
          lastAt.remove(key);
          forget.accept(key);
        }
      }
    }
  }

  /** Sessions kept. */
  int size() {
    return lastAt.size();
  }

  void clear() {
    lastAt.clear();
    buckets.clear();
  }
}
