package com.portals.ledger.streams.task;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Reads a range of offsets of one input partition again, straight from the broker, for intake's
 * held records that are not in memory: after a restart or a move of the task, and when more are
 * held than memory keeps. Input topics keep every record forever, so the range is always there.
 *
 * <p>Its consumer takes the application's client settings (bootstrap servers, security, and the
 * {@code consumer.} and {@code main.consumer.} overrides), reads committed records only, belongs to
 * no group and commits nothing. It is created at the first read and closed with the task.
 */
final class InputRereader implements AutoCloseable {

  /** How long a read may go without receiving a record before it gives up. */
  static final Duration STALL_LIMIT = Duration.ofMinutes(2);

  /** What to do with each record read; false to stop before it. */
  interface Sink {
    boolean accept(long offset, byte[] key, byte[] value);
  }

  private final Map<String, Object> settings;
  private KafkaConsumer<byte[], byte[]> consumer;

  InputRereader(Map<String, Object> appConfigs, int partition) {
    this.settings = consumerSettings(appConfigs, partition);
  }

  /** The consumer settings derived from the application's configuration. */
  static Map<String, Object> consumerSettings(Map<String, Object> appConfigs, int partition) {
    Set<String> known = ConsumerConfig.configNames();
    Map<String, Object> settings = new HashMap<>();
    for (String prefix :
        List.of("", StreamsConfig.CONSUMER_PREFIX, StreamsConfig.MAIN_CONSUMER_PREFIX)) {
      for (Map.Entry<String, Object> entry : appConfigs.entrySet()) {
        String key = entry.getKey();
        if (key.startsWith(prefix) && known.contains(key.substring(prefix.length()))) {
          settings.put(key.substring(prefix.length()), entry.getValue());
        }
      }
    }
    settings.remove(ConsumerConfig.GROUP_ID_CONFIG);
    settings.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
    settings.remove(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG);
    settings.put(
        ConsumerConfig.CLIENT_ID_CONFIG,
        appConfigs.get(StreamsConfig.APPLICATION_ID_CONFIG) + "-reread-" + partition);
    settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    settings.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 1 << 20);
    settings.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
    settings.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    settings.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    return settings;
  }

  /**
   * Reads offsets {@code [from, to)} of {@code partition} of {@code topic}, in order, until {@code
   * sink} declines a record; returns that record's offset, or {@code to}.
   */
  long read(String topic, int partition, long from, long to, Sink sink) {
    if (from >= to) {
      return to;
    }
    if (consumer == null) {
      consumer = new KafkaConsumer<>(settings);
    }
    TopicPartition tp = new TopicPartition(topic, partition);
    consumer.assign(List.of(tp));
    consumer.seek(tp, from);
    long quietSince = System.nanoTime();
    while (consumer.position(tp) < to) {
      boolean any = false;
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
        any = true;
        if (record.offset() >= to) {
          break;
        }
        if (!sink.accept(record.offset(), record.key(), record.value())) {
          consumer.assign(List.of());
          return record.offset();
        }
      }
      if (any) {
        quietSince = System.nanoTime();
      } else if (System.nanoTime() - quietSince > STALL_LIMIT.toNanos()) {
        throw new IllegalStateException(
            "could not read "
                + tp
                + " from offset "
                + consumer.position(tp)
                + " to "
                + to
                + " again within "
                + STALL_LIMIT
                + ": intake's held records cannot be restored");
      }
    }
    consumer.assign(List.of());
    return to;
  }

  @Override
  public void close() {
    if (consumer != null) {
      consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
      consumer = null;
    }
  }
}
