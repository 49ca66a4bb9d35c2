package com.portals.ledger.streams.task;

import com.portals.ledger.avro.internal.Origin;
import java.time.Instant;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.utils.Utils;

/** Where the stages of a task send what they produce. */
interface Outbox {

  /** Names of the output sinks. */
  enum Output {
    JOURNAL,
    BALANCES,
    WITHDRAWAL_DECISIONS,
    ORDER_STATES,
    REJECTIONS
  }

  /** Puts the record read at {@code origin} on {@code ledger.rejections}, with why. */
  void reject(Origin origin, String code, String message, String eventId, Instant eventTime);

  /** Publishes {@code value} on an output topic. */
  void output(Output output, String key, SpecificRecord value, long timestamp);

  /**
   * Hands {@code body} to the task of partition {@code to}, to be ordered at {@code orderAt}: at
   * once if that is this task, else through the hand-over topic.
   */
  void handover(int to, long orderAt, SpecificRecord body);

  /** The partition that owns {@code key} (a session, order or affiliate id): Kafka's default. */
  static int partitionOf(String key, int partitions) {
    return Utils.toPositive(Utils.murmur2(key.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
        % partitions;
  }
}
