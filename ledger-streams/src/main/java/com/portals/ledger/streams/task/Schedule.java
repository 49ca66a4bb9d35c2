package com.portals.ledger.streams.task;

import com.portals.ledger.streams.state.WriteBackStore;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.utils.Bytes;

/**
 * Actions due at an instant (an order's 60-day release, an orphan's expiry, a cycle's posting),
 * kept in a store keyed by stage and instant, so that the due ones are found by a range scan up to
 * the stage's frontier, never by a scan of every order or account.
 *
 * <p>A drain reads the due actions a chunk at a time into a window ({@link #open}); an action added
 * or removed meanwhile (a placement schedules its release, possibly within the drain when a replay
 * leaps far ahead) changes the window too, so that it runs in order in the same drain. Each stage
 * remembers the lowest key that may still be due (its floor), so that scans do not walk over the
 * deleted head of the store again and again.
 */
final class Schedule {

  private static final int CHUNK = 1024;

  private final WriteBackStore<byte[]> store;
  private final Bytes[] floors = new Bytes[4];

  /**
   * Per stage, the instant of its earliest scheduled action, when known ({@link Long#MAX_VALUE}:
   * none), so that a drain with nothing due does not look at the store at all.
   */
  private final Long[] nextDue = new Long[4];

  private Window window;

  Schedule(WriteBackStore<byte[]> store) {
    this.store = store;
    reset();
  }

  void reset() {
    for (byte stage = 0; stage < floors.length; stage++) {
      floors[stage] = StoreKeys.stage(stage);
      nextDue[stage] = null;
    }
    window = null;
  }

  /** Schedules an action whose key is used once (a release, an orphan's expiry). */
  void addNew(byte stage, long at, int kind, String id, byte[] payload) {
    Bytes key = StoreKeys.action(stage, at, kind, id);
    store.putNew(key, payload);
    added(stage, key, payload);
  }

  /** Schedules an action unless it is scheduled already (a cycle's posting). */
  void addIfAbsent(byte stage, long at, int kind, String id, byte[] payload) {
    Bytes key = StoreKeys.action(stage, at, kind, id);
    if (store.get(key) == null) {
      store.put(key, payload);
      added(stage, key, payload);
    }
  }

  private void added(byte stage, Bytes key, byte[] payload) {
    if (key.compareTo(floors[stage]) < 0) {
      floors[stage] = key;
    }
    if (nextDue[stage] != null) {
      nextDue[stage] = Math.min(nextDue[stage], StoreKeys.actionAt(key));
    }
    if (window != null && window.stage == stage) {
      window.added(key, payload);
    }
  }

  /** Unschedules an action. */
  void remove(byte stage, long at, int kind, String id) {
    Bytes key = StoreKeys.action(stage, at, kind, id);
    store.delete(key);
    if (window != null && window.stage == stage) {
      window.loaded.remove(key);
    }
  }

  /** The actions of {@code stage} due at or before {@code limit}, for one drain. */
  Window open(byte stage, long limit) {
    window = new Window(stage, StoreKeys.stageAfter(stage, limit));
    if (nextDue[stage] != null && nextDue[stage] > limit) {
      window.complete = true;
      window.loadedTo = window.end;
      window.skipped = true;
    }
    return window;
  }

  /** Due actions of one drain, in order. */
  final class Window implements AutoCloseable {
    private final byte stage;
    private final Bytes end;
    private final TreeMap<Bytes, byte[]> loaded = new TreeMap<>();
    private Bytes loadedTo;
    private boolean complete;
    private boolean skipped;

    private Window(byte stage, Bytes end) {
      this.stage = stage;
      this.end = end;
      this.loadedTo = floors[stage];
    }

    /** The first due action, or null. */
    Map.Entry<Bytes, byte[]> first() {
      if (loaded.isEmpty() && !complete) {
        List<WriteBackStore<byte[]>.Entry> chunk = store.list(loadedTo, end, CHUNK);
        for (WriteBackStore<byte[]>.Entry entry : chunk) {
          loaded.put(entry.key(), entry.value());
        }
        if (chunk.size() < CHUNK) {
          complete = true;
          loadedTo = end;
        } else {
          loadedTo = StoreKeys.successor(chunk.get(chunk.size() - 1).key());
        }
      }
      return loaded.firstEntry();
    }

    /** Removes a due action from the store: it is being run. */
    void take(Bytes key) {
      loaded.remove(key);
      store.delete(key);
    }

    private void added(Bytes key, byte[] payload) {
      if (key.compareTo(end) < 0 && (complete || key.compareTo(loadedTo) < 0)) {
        loaded.put(key, payload);
      }
    }

    @Override
    public void close() {
      window = null;
      if (skipped) {
        return;
      }
      if (loaded.isEmpty()) {
        floors[stage] = loadedTo;
        Bytes first = store.firstKey(loadedTo, StoreKeys.stage((byte) (stage + 1)));
        nextDue[stage] = first == null ? Long.MAX_VALUE : StoreKeys.actionAt(first);
      } else {
        floors[stage] = loaded.firstKey();
        nextDue[stage] = StoreKeys.actionAt(loaded.firstKey());
      }
    }
  }
}
