package com.portals.ledger.streams.task;

import com.portals.ledger.avro.internal.Handover;
import com.portals.ledger.schemas.serde.AvroSerde;
import com.portals.ledger.streams.state.WriteBackStore;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.utils.Bytes;

/**
 * The numbered channels between this task and every other: what it sent each task, what it applied
 * from each. A message is applied only after every earlier message of its channel; one that comes
 * early (directly, while older ones of its channel still wait in the hand-over topic after a
 * rebalance) waits here, in the meta store, until they have come. One already applied is ignored.
 */
final class Channels {

  private static final Bytes COUNTERS = StoreKeys.utf8("channels");
  private static final String EARLY = "channels/early/";

  private final int self;
  private final long[] sent;
  private final long[] applied;
  private final List<TreeMap<Long, Handover>> early = new ArrayList<>();
  private final WriteBackStore<byte[]> meta;
  private final AvroSerde<Handover> serde;
  private boolean changed;

  Channels(int self, int partitions, WriteBackStore<byte[]> meta, AvroSerde<Handover> serde) {
    this.self = self;
    this.sent = new long[partitions];
    this.applied = new long[partitions];
    this.meta = meta;
    this.serde = serde;
    for (int q = 0; q < partitions; q++) {
      early.add(new TreeMap<>());
    }
    byte[] counters = meta.get(COUNTERS);
    if (counters != null && ByteBuffer.wrap(counters).getInt() == partitions) {
      ByteBuffer buffer = ByteBuffer.wrap(counters, 4, counters.length - 4);
      for (int q = 0; q < partitions; q++) {
        sent[q] = buffer.getLong();
        applied[q] = buffer.getLong();
      }
    }
    Bytes prefix = StoreKeys.utf8(EARLY);
    meta.scanPrefix(
        prefix,
        (key, value) -> {
          Handover message = serde.deserialize("", value);
          early.get(message.getFrom()).put(message.getSeq(), message);
        });
  }

  /** The number of the next message to {@code to}. */
  long nextOut(int to) {
    changed = true;
    return ++sent[to];
  }

  /**
   * Takes a message that arrived; returns the messages that can be applied now, in order: none if
   * it came early or was applied before, else it and those that waited for it.
   */
  List<Handover> arrived(Handover message) {
    int from = message.getFrom();
    long seq = message.getSeq();
    if (from < 0 || from >= applied.length || from == self || seq <= applied[from]) {
      return List.of();
    }
    if (seq > applied[from] + 1) {
      early.get(from).put(seq, message);
      meta.putNew(earlyKey(from, seq), serde.serialize("", message));
      return List.of();
    }
    List<Handover> ready = new ArrayList<>(1);
    ready.add(message);
    applied[from] = seq;
    TreeMap<Long, Handover> waiting = early.get(from);
    for (Map.Entry<Long, Handover> next = waiting.firstEntry();
        next != null && next.getKey() == applied[from] + 1;
        next = waiting.firstEntry()) {
      waiting.pollFirstEntry();
      meta.delete(earlyKey(from, next.getKey()));
      ready.add(next.getValue());
      applied[from] = next.getKey();
    }
    changed = true;
    return ready;
  }

  void beforeCommit() {
    if (changed) {
      ByteBuffer buffer = ByteBuffer.allocate(4 + 16 * sent.length).putInt(sent.length);
      for (int q = 0; q < sent.length; q++) {
        buffer.putLong(sent[q]).putLong(applied[q]);
      }
      meta.put(COUNTERS, buffer.array());
      changed = false;
    }
  }

  private static Bytes earlyKey(int from, long seq) {
    byte[] prefix = EARLY.getBytes(StandardCharsets.UTF_8);
    return Bytes.wrap(
        ByteBuffer.allocate(prefix.length + 12).put(prefix).putInt(from).putLong(seq).array());
  }
}
