package com.portals.ledger.streams.task;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.common.utils.Bytes;

/**
 * Keys of the task's stores, built so that byte order (RocksDB's order) is the order a stage needs.
 * Instants are written as epoch milliseconds with the sign bit flipped, so that they sort
 * chronologically, before 1970 too.
 *
 * <pre>
 * buffer    [INTAKE][topic][offset]                             records held until their tick
 *           [ATTRIBUTION][orderAt][ref]                         attribution requests
 *           [ORDERS|ACCOUNTS][orderAt][priority][id 0x00][seq]  stage inputs, in the order applied
 *           [CLICKS][orderAt][partition][offset]                clicks attribution cannot re-read
 * schedule  [ORDERS|ACCOUNTS][at][kind][id]                     actions due at an instant
 * </pre>
 *
 * A stage input's {@code seq} is where it was read (topic, partition, offset), so that two copies
 * of one event never share a key; a derived input (a commission movement) has none.
 */
final class StoreKeys {

  static final byte INTAKE = 0;
  static final byte ATTRIBUTION = 1;
  static final byte ORDERS = 2;
  static final byte ACCOUNTS = 3;

  /** Clicks that attribution keeps in the buffer: those it could not re-read as they were. */
  static final byte CLICKS = 4;

  private static final int INSTANT = 8;

  private StoreKeys() {}

  static long encodeInstant(long epochMillis) {
    return epochMillis ^ Long.MIN_VALUE;
  }

  /** The instant written at {@code offset} of {@code key}. */
  static long instantAt(Bytes key, int offset) {
    return ByteBuffer.wrap(key.get(), offset, INSTANT).getLong() ^ Long.MIN_VALUE;
  }

  /** The first key of {@code stage}. */
  static Bytes stage(byte stage) {
    return Bytes.wrap(new byte[] {stage});
  }

  /** The first key of {@code stage} at or after {@code epochMillis}. */
  static Bytes stageAt(byte stage, long epochMillis) {
    return Bytes.wrap(
        ByteBuffer.allocate(1 + INSTANT).put(stage).putLong(encodeInstant(epochMillis)).array());
  }

  /** The first key of {@code stage} after every key at {@code epochMillis}. */
  static Bytes stageAfter(byte stage, long epochMillis) {
    return epochMillis == Long.MAX_VALUE
        ? stage((byte) (stage + 1))
        : stageAt(stage, epochMillis + 1);
  }

  /** A held input record: intake's buffer, by topic and offset. */
  static Bytes held(int topic, long offset) {
    return Bytes.wrap(
        ByteBuffer.allocate(2 + Long.BYTES).put(INTAKE).put((byte) topic).putLong(offset).array());
  }

  /** The first held key of {@code topic} at or after {@code offset}. */
  static Bytes heldFrom(int topic, long offset) {
    return held(topic, offset);
  }

  /** The offset of a held key. */
  static long heldOffset(Bytes key) {
    return ByteBuffer.wrap(key.get(), 2, Long.BYTES).getLong();
  }

  /** An attribution request waiting for the frontier, under its asker's reference. */
  static Bytes attribution(long orderAt, byte[] ref) {
    return Bytes.wrap(
        ByteBuffer.allocate(1 + INSTANT + ref.length)
            .put(ATTRIBUTION)
            .putLong(encodeInstant(orderAt))
            .put(ref)
            .array());
  }

  /**
   * A stage input: ordered by instant, then priority, then id (by its UTF-8 bytes, the order of its
   * code points), then where it was read.
   *
   * @param seq where it was read, or null for a derived input
   */
  static Bytes input(byte stage, long orderAt, int priority, String id, byte[] seq) {
    byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
    int seqLength = seq == null ? 0 : seq.length;
    return Bytes.wrap(
        ByteBuffer.allocate(1 + INSTANT + 1 + idBytes.length + 1 + seqLength)
            .put(stage)
            .putLong(encodeInstant(orderAt))
            .put((byte) priority)
            .put(idBytes)
            .put((byte) 0)
            .put(seq == null ? new byte[0] : seq)
            .array());
  }

  /** Where an upstream record was read: topic index, partition, offset. */
  static byte[] seq(int topic, int partition, long offset) {
    return ByteBuffer.allocate(1 + Integer.BYTES + Long.BYTES)
        .put((byte) topic)
        .putInt(partition)
        .putLong(offset)
        .array();
  }

  /** The ordering instant of a stage input or attribution request. */
  static long orderAtOf(Bytes key) {
    return instantAt(key, 1);
  }

  /** An action due at {@code at}: {@code kind} orders actions of one instant; {@code id} last. */
  static Bytes action(byte stage, long at, int kind, String id) {
    byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
    return Bytes.wrap(
        ByteBuffer.allocate(1 + INSTANT + 1 + idBytes.length)
            .put(stage)
            .putLong(encodeInstant(at))
            .put((byte) kind)
            .put(idBytes)
            .array());
  }

  /** The instant of an action key. */
  static long actionAt(Bytes key) {
    return instantAt(key, 1);
  }

  /** The kind of an action key. */
  static int actionKind(Bytes key) {
    return key.get()[1 + INSTANT];
  }

  /** A click attribution keeps, by its ordering instant and where it was read. */
  static Bytes keptClick(long orderAt, int partition, long offset) {
    return Bytes.wrap(
        ByteBuffer.allocate(1 + INSTANT + Integer.BYTES + Long.BYTES)
            .put(CLICKS)
            .putLong(encodeInstant(orderAt))
            .putInt(partition)
            .putLong(offset)
            .array());
  }

  /** The partition a kept click was read from. */
  static int keptClickPartition(Bytes key) {
    return ByteBuffer.wrap(key.get(), 1 + INSTANT, Integer.BYTES).getInt();
  }

  /** The offset a kept click was read at. */
  static long keptClickOffset(Bytes key) {
    return ByteBuffer.wrap(key.get(), 1 + INSTANT + Integer.BYTES, Long.BYTES).getLong();
  }

  /** The smallest key greater than {@code key}. */
  static Bytes successor(Bytes key) {
    byte[] bytes = Arrays.copyOf(key.get(), key.get().length + 1);
    return Bytes.wrap(bytes);
  }

  /** The bytes of {@code buffer} from its position to its limit, as a new array. */
  static byte[] bytes(ByteBuffer buffer) {
    ByteBuffer copy = buffer.duplicate();
    byte[] bytes = new byte[copy.remaining()];
    copy.get(bytes);
    return bytes;
  }

  static Bytes utf8(String value) {
    return Bytes.wrap(value.getBytes(StandardCharsets.UTF_8));
  }
}
