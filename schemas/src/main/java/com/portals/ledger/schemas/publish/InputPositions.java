package com.portals.ledger.schemas.publish;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

/**
 * Where the input topics end, as a tick records them: the tick then tells the ledger exactly which
 * records it comes after, whoever wrote them and whatever the ledger's consumer has fetched so far.
 */
public interface InputPositions extends AutoCloseable {

  /** The end offset (the offset the next record will get) of each partition. */
  Map<TopicPartition, Long> ends(Set<TopicPartition> partitions);

  @Override
  default void close() {}

  /** No positions: ticks are sent without them (the ledger orders them as it reads them). */
  static InputPositions none() {
    return partitions -> Map.of();
  }

  /** Positions from the broker, read-committed end offsets, through {@code admin}. */
  static InputPositions of(Admin admin, Duration timeout) {
    return new InputPositions() {
      @Override
      public Map<TopicPartition, Long> ends(Set<TopicPartition> partitions) {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(partition -> request.put(partition, OffsetSpec.latest()));
        try {
          Map<TopicPartition, ListOffsetsResultInfo> result =
              admin
                  .listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                  .all()
                  .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
          Map<TopicPartition, Long> ends = new HashMap<>();
          result.forEach((partition, info) -> ends.put(partition, info.offset()));
          return ends;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new KafkaException("interrupted while reading input positions", e);
        } catch (ExecutionException | TimeoutException e) {
          throw new KafkaException("cannot read the input topics' end offsets: " + e, e);
        }
      }

      @Override
      public void close() {
        admin.close(Duration.ofSeconds(10));
      }
    };
  }
}
