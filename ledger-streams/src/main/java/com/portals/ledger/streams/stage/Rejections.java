package com.portals.ledger.streams.stage;

import com.portals.ledger.avro.internal.Origin;
import com.portals.ledger.avro.ledger.Rejection;
import java.nio.ByteBuffer;
import java.time.Instant;

/** Builds the records of {@code ledger.rejections}: where a record came from, its bytes, why. */
public final class Rejections {

  /** The bytes could not be read as the topic's Avro record. */
  public static final String UNDECODABLE = "UNDECODABLE";

  /** The bytes name a writer schema the ledger does not know. */
  public static final String UNKNOWN_SCHEMA = "UNKNOWN_SCHEMA";

  /** A record without a value (a tombstone) on an input topic. */
  public static final String EMPTY_VALUE = "EMPTY_VALUE";

  /** The event breaks a value rule (blank id, amount not positive, no lines, ...). */
  public static final String INVALID_EVENT = "INVALID_EVENT";

  /** An event whose eventId was already applied. */
  public static final String DUPLICATE_EVENT = "DUPLICATE_EVENT";

  /** A rate below 8%: applied as 8%, reported here. */
  public static final String RATE_BELOW_MINIMUM = "RATE_BELOW_MINIMUM";

  /** A lifecycle event whose order did not arrive within the grace period. */
  public static final String ORDER_NOT_FOUND = "ORDER_NOT_FOUND";

  /** An OrderPlaced for an order id that was already placed. */
  public static final String ORDER_ALREADY_PLACED = "ORDER_ALREADY_PLACED";

  /**
   * An event within the bounds of its fields whose application would still take an amount beyond
   * what a long holds (a refund on an account whose sums are already near it, for instance).
   */
  public static final String AMOUNT_OUT_OF_RANGE = "AMOUNT_OUT_OF_RANGE";

  private Rejections() {}

  /** The origin of the record being processed. */
  public static Origin origin(String topic, int partition, long offset, byte[] key, byte[] value) {
    // Once per record read: the constructor, not Avro's builder (see Mapping).
    return new Origin(
        topic,
        partition,
        offset,
        key == null ? null : ByteBuffer.wrap(key),
        value == null ? null : ByteBuffer.wrap(value));
  }

  /** A rejection of the record at {@code origin}. */
  public static Rejection of(
      Origin origin, String code, String message, String eventId, Instant eventTime) {
    return Rejection.newBuilder()
        .setSourceTopic(origin.getTopic())
        .setSourcePartition(origin.getPartition())
        .setSourceOffset(origin.getOffset())
        .setOriginalKey(origin.getKey() == null ? null : origin.getKey().duplicate())
        .setOriginalValue(origin.getValue() == null ? null : origin.getValue().duplicate())
        .setReasonCode(code)
        .setMessage(message)
        .setEventId(eventId)
        .setEventTime(eventTime)
        .build();
  }

  /** The key a rejection is published under: the original key, read as UTF-8. */
  public static String keyOf(Origin origin) {
    if (origin.getKey() == null) {
      return null;
    }
    ByteBuffer key = origin.getKey().duplicate();
    byte[] bytes = new byte[key.remaining()];
    key.get(bytes);
    return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
  }
}
