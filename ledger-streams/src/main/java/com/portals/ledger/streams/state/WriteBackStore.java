package com.portals.ledger.streams.state;

import com.portals.ledger.schemas.keys.Keys;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Decoded values in front of an uncached, logged RocksDB store, written back once per commit.
 *
 * <p>Between two commits, every change stays here, decoded: an aggregate read and changed many
 * times is decoded once and encoded, written to RocksDB and sent to the changelog once, at {@link
 * #flush()}, which the task's {@link CommitHook} calls before Kafka Streams commits. A key put as
 * new ({@link #putNew}) and deleted again before the commit (a record held by intake until its
 * tick, an input waiting in a stage buffer) never reaches RocksDB or the changelog at all.
 *
 * <p>Clean values read from RocksDB are kept decoded in a bounded LRU map. Everything here belongs
 * to one task and is used by its stream thread only.
 *
 * <p>Not thread-safe. Iteration ({@link #scan}) sees the store as it was when the scan started and
 * must not be interleaved with changes: callers copy what they need, then change.
 */
public final class WriteBackStore<V> {

  /** A pending change: a value, or a deletion ({@code value == null}). */
  private static final class Change<V> {
    final V value;

    /** Whether the key was certainly absent from RocksDB when it was first changed. */
    final boolean fresh;

    Change(V value, boolean fresh) {
      this.value = value;
      this.fresh = fresh;
    }
  }

  private final KeyValueStore<Bytes, byte[]> store;
  private final Codec<V> codec;
  private final Map<Bytes, Change<V>> dirty;

  /**
   * For a queue-like store (inputs waiting for their turn): the keys in RocksDB, kept in memory so
   * that scans and lookups of keys that are not there never reach RocksDB (an iterator's seek over
   * a head of deleted keys is the most expensive thing RocksDB does here). Null for other stores.
   */
  private final NavigableSet<Bytes> index;

  private final LinkedHashMap<Bytes, V> clean;

  private long flushedPuts;
  private long flushedDeletes;
  private long skippedWrites;

  /**
   * @param store the RocksDB store, logged and without Kafka Streams' cache
   * @param cleanCapacity how many clean decoded values to keep (0: none)
   */
  public WriteBackStore(KeyValueStore<Bytes, byte[]> store, Codec<V> codec, int cleanCapacity) {
    this(store, codec, cleanCapacity, true, false);
  }

  /**
   * @param ordered whether scans must see pending changes in key order (buffers, schedules); an
   *     unordered store keeps its pending changes in a hash map, and its scans see only what is in
   *     RocksDB (with pending changes applied to it), which is what a sweep over old entries needs
   * @param indexed whether to keep every key of the RocksDB store in memory (for stores whose
   *     entries are few and short-lived); the index is read once, here
   */
  public WriteBackStore(
      KeyValueStore<Bytes, byte[]> store,
      Codec<V> codec,
      int cleanCapacity,
      boolean ordered,
      boolean indexed) {
    this.store = store;
    this.codec = codec;
    this.dirty = ordered ? new TreeMap<>() : new HashMap<>();
    this.index = indexed ? new TreeSet<>() : null;
    if (indexed) {
      try (KeyValueIterator<Bytes, byte[]> all = store.all()) {
        all.forEachRemaining(entry -> index.add(entry.key));
      }
    }
    this.clean =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Bytes, V> eldest) {
            return size() > cleanCapacity;
          }
        };
  }

  /** The value of {@code key}, or null. */
  public V get(Bytes key) {
    Change<V> change = dirty.get(key);
    if (change != null) {
      return change.value;
    }
    V value = clean.get(key);
    if (value != null) {
      return value;
    }
    if (index != null && !index.contains(key)) {
      return null;
    }
    byte[] bytes = store.get(key);
    if (bytes == null) {
      return null;
    }
    value = codec.decode(bytes);
    clean.put(key, value);
    return value;
  }

  /** Sets {@code key} to {@code value}. */
  public void put(Bytes key, V value) {
    Change<V> previous = dirty.get(key);
    dirty.put(key, new Change<>(value, previous != null && previous.fresh));
    clean.remove(key);
  }

  /**
   * Sets {@code key}, which the caller knows is not in RocksDB (a key that is never used twice): if
   * it is deleted again before the next commit, nothing is written at all.
   */
  public void putNew(Bytes key, V value) {
    Change<V> previous = dirty.get(key);
    dirty.put(key, new Change<>(value, previous == null || previous.fresh));
    clean.remove(key);
  }

  /** Deletes {@code key}. */
  public void delete(Bytes key) {
    Change<V> previous = dirty.get(key);
    if (previous != null && previous.fresh) {
      dirty.remove(key);
      skippedWrites++;
      return;
    }
    dirty.put(key, new Change<>(null, false));
    clean.remove(key);
  }

  /**
   * An entry of a scan. Its value is decoded only when asked for: a drain that stops at the first
   * entry it cannot apply yet, or a sweep that only needs a few bytes, decodes nothing else.
   */
  public final class Entry {
    private final Bytes key;
    private final byte[] stored;
    private V value;

    private Entry(Bytes key, byte[] stored, V value) {
      this.key = key;
      this.stored = stored;
      this.value = value;
    }

    public Bytes key() {
      return key;
    }

    /** The value, decoded (and cached) on first use. */
    public V value() {
      if (value == null) {
        value = clean.get(key);
        if (value == null) {
          value = codec.decode(stored != null ? stored : store.get(key));
        }
      }
      return value;
    }

    /** The bytes in RocksDB if the entry came from there unchanged and was read, else null. */
    public byte[] stored() {
      return value == null ? stored : null;
    }
  }

  /**
   * The entries from {@code from} (inclusive) to {@code to} (exclusive) in key order, pending
   * changes included, at most {@code limit} of them.
   */
  public List<Entry> list(Bytes from, Bytes to, int limit) {
    List<Entry> entries = new ArrayList<>(Math.min(limit, 64));
    if (!(dirty instanceof NavigableMap<Bytes, Change<V>> sorted)) {
      return listStored(from, to, limit, entries);
    }
    NavigableMap<Bytes, Change<V>> pending = sorted.subMap(from, true, to, false);
    Iterator<Map.Entry<Bytes, Change<V>>> changes = pending.entrySet().iterator();
    Map.Entry<Bytes, Change<V>> change = changes.hasNext() ? changes.next() : null;
    if (index != null) {
      Iterator<Bytes> keys = index.subSet(from, true, to, false).iterator();
      Bytes key = keys.hasNext() ? keys.next() : null;
      while (entries.size() < limit && (change != null || key != null)) {
        int order = change == null ? 1 : key == null ? -1 : change.getKey().compareTo(key);
        if (order <= 0) {
          if (change.getValue().value != null) {
            entries.add(new Entry(change.getKey(), null, change.getValue().value));
          }
          if (order == 0) {
            key = keys.hasNext() ? keys.next() : null;
          }
          change = changes.hasNext() ? changes.next() : null;
        } else {
          entries.add(new Entry(key, null, null));
          key = keys.hasNext() ? keys.next() : null;
        }
      }
      return entries;
    }
    try (KeyValueIterator<Bytes, byte[]> stored = store.range(from, to)) {
      KeyValue<Bytes, byte[]> entry = nextBelow(stored, to);
      while (entries.size() < limit && (change != null || entry != null)) {
        int order = change == null ? 1 : entry == null ? -1 : change.getKey().compareTo(entry.key);
        if (order <= 0) {
          if (change.getValue().value != null) {
            entries.add(new Entry(change.getKey(), null, change.getValue().value));
          }
          if (order == 0) {
            entry = nextBelow(stored, to);
          }
          change = changes.hasNext() ? changes.next() : null;
        } else {
          entries.add(new Entry(entry.key, entry.value, null));
          entry = nextBelow(stored, to);
        }
      }
    }
    return entries;
  }

  /** The entries of RocksDB in the range, with their pending changes applied. */
  private List<Entry> listStored(Bytes from, Bytes to, int limit, List<Entry> entries) {
    try (KeyValueIterator<Bytes, byte[]> stored = store.range(from, to)) {
      for (KeyValue<Bytes, byte[]> entry = nextBelow(stored, to);
          entry != null && entries.size() < limit;
          entry = nextBelow(stored, to)) {
        Change<V> change = dirty.get(entry.key);
        if (change == null) {
          entries.add(new Entry(entry.key, entry.value, null));
        } else if (change.value != null) {
          entries.add(new Entry(entry.key, null, change.value));
        }
      }
    }
    return entries;
  }

  /**
   * Calls {@code visit} with every entry whose key starts with {@code prefix}, decoded, in order.
   */
  public void scanPrefix(Bytes prefix, BiConsumer<Bytes, V> visit) {
    for (Entry entry : list(prefix, Keys.afterPrefix(prefix), Integer.MAX_VALUE)) {
      visit.accept(entry.key(), entry.value());
    }
  }

  private static KeyValue<Bytes, byte[]> nextBelow(KeyValueIterator<Bytes, byte[]> it, Bytes to) {
    // RocksDB's range is inclusive of its upper bound; this store's is not.
    if (it.hasNext()) {
      KeyValue<Bytes, byte[]> next = it.next();
      if (next.key.compareTo(to) < 0) {
        return next;
      }
    }
    return null;
  }

  /**
   * Writes every pending change to RocksDB (and so to the changelog) and forgets it, in one RocksDB
   * write batch: one call into RocksDB instead of one per key. A deletion is written as a null
   * value: RocksDB's delete would read the old value first, for nothing.
   */
  public void flush() {
    if (dirty.isEmpty()) {
      return;
    }
    List<KeyValue<Bytes, byte[]>> batch = new ArrayList<>(dirty.size());
    for (Map.Entry<Bytes, Change<V>> entry : dirty.entrySet()) {
      Change<V> change = entry.getValue();
      if (change.value == null) {
        batch.add(KeyValue.pair(entry.getKey(), null));
        flushedDeletes++;
        if (index != null) {
          index.remove(entry.getKey());
        }
      } else {
        batch.add(KeyValue.pair(entry.getKey(), codec.encode(change.value)));
        clean.put(entry.getKey(), change.value);
        flushedPuts++;
        if (index != null) {
          index.add(entry.getKey());
        }
      }
    }
    store.putAll(batch);
    dirty.clear();
  }

  /** Forgets pending changes and cached values (the task's state is being reset). */
  public void clear() {
    dirty.clear();
    clean.clear();
  }

  /** The first key at or after {@code from} and before {@code to}, or null. */
  public Bytes firstKey(Bytes from, Bytes to) {
    List<Entry> first = list(from, to, 1);
    return first.isEmpty() ? null : first.get(0).key();
  }

  /** Pending changes. */
  public int pending() {
    return dirty.size();
  }

  /** Counts since this task started: values written, deletions written, writes never needed. */
  public long[] counts() {
    return new long[] {flushedPuts, flushedDeletes, skippedWrites};
  }
}
