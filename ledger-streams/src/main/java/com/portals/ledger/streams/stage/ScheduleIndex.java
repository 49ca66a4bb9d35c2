package com.portals.ledger.streams.stage;

import java.time.Instant;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Things due at an instant (an order's 60-day release, a cycle's posting), kept in a store keyed by
 * that instant so that the due ones are found by a range scan up to "now", never by a scan of every
 * order or account.
 *
 * <p>Within one drain the scan resumes where the last due entry was taken, so that a drain over a
 * long stretch of time does not walk over the same deleted entries again and again.
 */
public final class ScheduleIndex {

  private final KeyValueStore<Bytes, byte[]> store;
  private Bytes cursor;

  public ScheduleIndex(KeyValueStore<Bytes, byte[]> store) {
    this.store = store;
  }

  /** Schedules {@code payload} at {@code at}; {@code id} makes the entry unique at that instant. */
  public void add(Instant at, String id, byte[] payload) {
    store.put(key(at, id), payload);
  }

  /** Removes the entry of {@code id} at {@code at}, if any. */
  public void remove(Instant at, String id) {
    store.delete(key(at, id));
  }

  /** Starts a drain: the next scan begins at the earliest entry again. */
  public void resetCursor() {
    cursor = null;
  }

  /** The earliest entry due at or before {@code limit}, or null. */
  public Entry firstDue(Instant limit) {
    Bytes upper = Keys.afterPrefix(Keys.builder().instant(limit).build());
    try (KeyValueIterator<Bytes, byte[]> it = store.range(cursor, upper)) {
      while (it.hasNext()) {
        KeyValue<Bytes, byte[]> next = it.next();
        if (next.key.compareTo(upper) < 0) {
          return new Entry(Keys.instantAt(next.key, 0), Keys.tailAt(next.key, 8), next.value);
        }
      }
      return null;
    }
  }

  /** Removes a due entry returned by {@link #firstDue} and continues scanning after it. */
  public void take(Entry entry) {
    Bytes key = key(entry.at(), entry.id());
    store.delete(key);
    cursor = key;
  }

  private static Bytes key(Instant at, String id) {
    return Keys.builder().instant(at).tail(id).build();
  }

  /** An entry of the index. */
  public record Entry(Instant at, String id, byte[] payload) {}
}
