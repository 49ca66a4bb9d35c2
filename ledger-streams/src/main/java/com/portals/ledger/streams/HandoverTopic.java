package com.portals.ledger.streams;

import com.portals.ledger.schemas.topics.Topic;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write side's hand-over topic: created before the topology starts (Kafka Streams creates only
 * the internal topics of the DSL), and purged while it runs.
 *
 * <p>A hand-over record is needed until the task that reads it has committed past it: then it is
 * either applied or kept in that task's state stores, whose changelogs restore it. So every {@link
 * #PURGE_INTERVAL} the records before the application's committed offsets are deleted, which is
 * what Kafka Streams does for its own repartition topics ({@code repartition.purge.interval.ms}).
 * The topic's own retention is infinite: records carry event times, which may be months old.
 */
final class HandoverTopic {

  private static final Logger log = LoggerFactory.getLogger(HandoverTopic.class);

  static final Duration PURGE_INTERVAL = Duration.ofSeconds(30);
  private static final long TIMEOUT_SECONDS = 60;

  private HandoverTopic() {}

  /** Topic-level configuration of the hand-over topic. */
  static Map<String, String> configs() {
    Map<String, String> configs = new TreeMap<>(Topic.EVENT_TIME_CONFIGS);
    configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE);
    configs.put(TopicConfig.RETENTION_MS_CONFIG, "-1");
    configs.put(TopicConfig.RETENTION_BYTES_CONFIG, "-1");
    return configs;
  }

  /** Creates {@code topic} with {@code partitions} partitions unless it exists. */
  static void ensure(Properties streamsConfig, String topic, int partitions) {
    try (Admin admin = Admin.create(adminConfig(streamsConfig))) {
      short replication =
          Short.parseShort(
              String.valueOf(
                  streamsConfig.getOrDefault(StreamsConfig.REPLICATION_FACTOR_CONFIG, "-1")));
      Map<String, String> configs = configs();
      streamsConfig.forEach(
          (key, value) -> {
            String name = String.valueOf(key);
            if (name.startsWith(StreamsConfig.TOPIC_PREFIX)) {
              configs.put(
                  name.substring(StreamsConfig.TOPIC_PREFIX.length()), String.valueOf(value));
            }
          });
      configs.put(TopicConfig.RETENTION_MS_CONFIG, "-1");
      NewTopic newTopic =
          replication < 1
              ? new NewTopic(topic, java.util.Optional.of(partitions), java.util.Optional.empty())
              : new NewTopic(topic, partitions, replication);
      admin
          .createTopics(List.of(newTopic.configs(configs)))
          .all()
          .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      log.info("created the hand-over topic {} with {} partitions", topic, partitions);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException(
            "cannot create the hand-over topic " + topic + ": " + e.getCause().getMessage(), e);
      }
    } catch (TimeoutException e) {
      throw new IllegalStateException("the broker did not answer creating " + topic, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted creating " + topic, e);
    }
  }

  /** Deletes committed hand-over records every {@link #PURGE_INTERVAL} until closed. */
  static AutoCloseable startPurging(Properties streamsConfig, String topic) {
    String group = String.valueOf(streamsConfig.get(StreamsConfig.APPLICATION_ID_CONFIG));
    Admin admin = Admin.create(adminConfig(streamsConfig));
    ScheduledExecutorService executor =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "ledger-handover-purger");
              thread.setDaemon(true);
              return thread;
            });
    Map<TopicPartition, Long> purged = new HashMap<>();
    executor.scheduleWithFixedDelay(
        () -> purge(admin, group, topic, purged),
        PURGE_INTERVAL.toMillis(),
        PURGE_INTERVAL.toMillis(),
        TimeUnit.MILLISECONDS);
    return () -> {
      executor.shutdownNow();
      executor.awaitTermination(10, TimeUnit.SECONDS);
      admin.close(Duration.ofSeconds(10));
    };
  }

  private static void purge(
      Admin admin, String group, String topic, Map<TopicPartition, Long> purged) {
    try {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin
              .listConsumerGroupOffsets(group)
              .partitionsToOffsetAndMetadata()
              .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      Map<TopicPartition, RecordsToDelete> doomed = new HashMap<>();
      committed.forEach(
          (partition, offset) -> {
            if (offset != null
                && partition.topic().equals(topic)
                && offset.offset() > purged.getOrDefault(partition, 0L)) {
              doomed.put(partition, RecordsToDelete.beforeOffset(offset.offset()));
            }
          });
      if (!doomed.isEmpty()) {
        admin.deleteRecords(doomed).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        doomed.forEach((partition, before) -> purged.put(partition, before.beforeOffset()));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      log.debug("purging {} failed, trying again later: {}", topic, e.toString());
    }
  }

  /**
   * Admin client settings from the streams settings: every setting the admin client knows, and the
   * {@code admin.}-prefixed ones, as Kafka Streams builds its own admin client.
   */
  static Map<String, Object> adminConfig(Properties streamsConfig) {
    Map<String, Object> config = new HashMap<>();
    Map<String, Object> all = new HashMap<>();
    streamsConfig.forEach((key, value) -> all.put(String.valueOf(key), value));
    config.putAll(new StreamsConfig(all).getAdminConfigs("ledger-handover"));
    return config;
  }
}
