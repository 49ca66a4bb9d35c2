package com.portals.ledger.app.audit;

import com.portals.ledger.schemas.clients.KafkaClients;
import com.portals.ledger.schemas.serde.LedgerSerdes;
import com.portals.ledger.schemas.topics.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * What the audit (and the metrics' consumer lag) needs to know of topics: where their partitions
 * end, how far a consumer group got, and their committed records up to a given end.
 */
public final class KafkaReads {

  /** How long the audit waits for Kafka to answer. */
  private static final Duration AUDIT_TIMEOUT = Duration.ofSeconds(60);

  private final Admin admin;
  private final KafkaClients clients;
  private final Duration timeout;

  KafkaReads(Admin admin, KafkaClients clients) {
    this(admin, clients, AUDIT_TIMEOUT);
  }

  /** Reads through {@code admin}, waiting at most {@code timeout} for each answer. */
  public KafkaReads(Admin admin, KafkaClients clients, Duration timeout) {
    this.admin = admin;
    this.clients = clients;
    this.timeout = timeout;
  }

  /** Every partition of {@code topics}. */
  List<TopicPartition> partitions(Collection<String> topics) {
    List<TopicPartition> partitions = new ArrayList<>();
    for (TopicDescription description :
        get(admin.describeTopics(topics).allTopicNames()).values()) {
      description
          .partitions()
          .forEach(p -> partitions.add(new TopicPartition(description.name(), p.partition())));
    }
    return partitions;
  }

  /** The end of each partition a read_committed consumer sees (the last stable offset). */
  public Map<TopicPartition, Long> committedEnds(Collection<TopicPartition> partitions) {
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    partitions.forEach(tp -> request.put(tp, OffsetSpec.latest()));
    Map<TopicPartition, ListOffsetsResultInfo> answer =
        get(
            admin
                .listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                .all());
    Map<TopicPartition, Long> ends = new HashMap<>();
    answer.forEach((tp, info) -> ends.put(tp, info.offset()));
    return ends;
  }

  /** Offsets committed by {@code group} (partitions it never committed are absent). */
  public Map<TopicPartition, Long> groupOffsets(String group) {
    Map<TopicPartition, OffsetAndMetadata> committed =
        get(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata());
    Map<TopicPartition, Long> offsets = new HashMap<>();
    committed.forEach(
        (tp, offset) -> {
          if (offset != null) {
            offsets.put(tp, offset.offset());
          }
        });
    return offsets;
  }

  /** Topics whose name starts with {@code prefix}. */
  List<String> topicsStartingWith(String prefix) {
    return get(admin.listTopics().names()).stream()
        .filter(name -> name.startsWith(prefix))
        .sorted()
        .toList();
  }

  /**
   * Reads every committed record of the partitions of {@code ends} before their end, partition by
   * partition in offset order.
   */
  void read(Map<TopicPartition, Long> ends, Consumer<ConsumerRecord<String, byte[]>> sink) {
    Map<String, Object> config =
        clients.readCommittedConsumer("ledger-audit-" + UUID.randomUUID(), "earliest");
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
      for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
        TopicPartition partition = end.getKey();
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
        long deadline = System.nanoTime() + timeout.toNanos();
        while (consumer.position(partition) < end.getValue()) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException(
                "could not read " + partition + " up to offset " + end.getValue());
          }
          for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
            if (record.offset() < end.getValue()) {
              sink.accept(record);
            }
          }
        }
      }
    }
  }

  /**
   * Reads every committed record of {@code topicName} (a copy of {@code topic}) up to its end now,
   * decoded; records without a value are passed over.
   */
  <V extends SpecificRecord> void readValues(
      String topicName, Topic<V> topic, LedgerSerdes serdes, Consumer<V> sink) {
    read(
        committedEnds(partitions(List.of(topicName))),
        record -> {
          if (record.value() != null) {
            sink.accept(
                topic.valueSerde(serdes).deserializer().deserialize(topicName, record.value()));
          }
        });
  }

  private <T> T get(KafkaFuture<T> future) {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "Kafka did not answer within " + timeout.toSeconds() + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
