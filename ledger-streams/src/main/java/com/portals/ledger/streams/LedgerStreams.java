package com.portals.ledger.streams;

import com.portals.ledger.schemas.topics.Replication;
import com.portals.ledger.schemas.topics.Topic;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running {@link LedgerTopology}: one {@link KafkaStreams} client with the ledger's settings
 * (exactly-once v2, state under the data directory), its state for health checks, and a clean
 * close.
 *
 * <p>An exception that escapes a processor is a bug of the ledger, not bad input (bad input ends on
 * {@code ledger.rejections}): the client then stops instead of skipping the record, so that no cent
 * is lost silently, and {@link #isRunning()} turns false.
 */
public final class LedgerStreams implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LedgerStreams.class);

  private final KafkaStreams streams;
  private volatile Throwable failure;
  private final CompletableFuture<Throwable> failed = new CompletableFuture<>();
  private AutoCloseable purger;

  private LedgerStreams(KafkaStreams streams) {
    this.streams = streams;
  }

  /**
   * The Kafka Streams settings of the ledger; {@code overrides} (any Kafka Streams, consumer or
   * producer setting) win.
   */
  public static Properties config(
      String applicationId, String bootstrapServers, Path stateDir, Map<String, String> overrides) {
    Properties config = new Properties();
    config.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    config.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, "1");
    // Catching up, a commit every 250 ms (each commits a transaction over every changelog and
    // output partition, and persists what waits across it); live, a stream thread commits as soon
    // as its tasks have applied a tick (Colocation#drained).
    config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "250");
    // How long an idle stream thread waits in poll for records (new records end the wait at once).
    // Live commits are requested and done in the loop turn that processed the tick, so a longer
    // wait costs no latency, and an idle thread turns its loop once a second instead of ten times.
    config.put(StreamsConfig.POLL_MS_CONFIG, "1000");
    // Internal topics carry event times too, which may lie in the future.
    Topic.EVENT_TIME_CONFIGS.forEach(
        (key, value) -> config.put(StreamsConfig.topicPrefix(key), value));
    config.putAll(overrides);
    return config;
  }

  /**
   * How many held input records (read, waiting for the tick that releases them) a task keeps in
   * memory per input topic; beyond that, they are read again from their topic when released. Set it
   * in the Kafka Streams configuration ({@code --set} passes it through).
   */
  public static final String HELD_IN_MEMORY_CONFIG = "ledger.intake.held-in-memory";

  /** {@link #HELD_IN_MEMORY_CONFIG}'s default. */
  public static final int HELD_IN_MEMORY_DEFAULT = 10_000;

  /** {@link #HELD_IN_MEMORY_CONFIG} of {@code settings}: a whole number, 0 or more. */
  public static int heldInMemory(Map<?, ?> settings) {
    Object value = settings.get(HELD_IN_MEMORY_CONFIG);
    if (value == null) {
      return HELD_IN_MEMORY_DEFAULT;
    }
    try {
      int limit = Integer.parseInt(value.toString().trim());
      if (limit >= 0) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        HELD_IN_MEMORY_CONFIG + " must be a whole number of records, 0 or more: " + value);
  }

  /**
   * Starts the write side: creates its hand-over topic if it does not exist yet (as many partitions
   * as the inputs, records kept until the application has committed past them), starts {@link
   * LedgerTopology#build(LedgerTopology.Config)} with {@code streamsConfig}, and deletes hand-over
   * records every application task has committed past, as Kafka Streams does for its own
   * repartition topics.
   */
  public static LedgerStreams startLedger(LedgerTopology.Config config, Properties streamsConfig) {
    heldInMemory(streamsConfig);
    // The write side orders what it applies by ticks and their input positions, never by how Kafka
    // Streams interleaves a task's partitions: it need not wait for data of an empty partition
    // (and Kafka Streams' check, when enabled, formats log text per empty partition per record).
    streamsConfig.putIfAbsent(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, "-1");
    // Small fetches per partition and short per-partition queues: a stream thread processes all it
    // has buffered before it polls again, so without them a task reads seconds of one input
    // partition ahead of the others while its ticks, and other tasks' progress, wait behind.
    if (!streamsConfig.containsKey(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG)) {
      streamsConfig.putIfAbsent(
          StreamsConfig.mainConsumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG),
          "65536");
    }
    streamsConfig.putIfAbsent(StreamsConfig.BUFFERED_RECORDS_PER_PARTITION_CONFIG, "200");
    // A commit sends a burst of changelog and output records to few partitions: batches of up to
    // 256 KiB instead of 16 KiB take a quarter off the broker's CPU per event.
    if (!streamsConfig.containsKey(ProducerConfig.BATCH_SIZE_CONFIG)) {
      streamsConfig.putIfAbsent(
          StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), "262144");
    }
    HandoverTopic.ensure(streamsConfig, config.handoverTopic(), config.partitions());
    LedgerStreams ledger = start(LedgerTopology.build(config), streamsConfig);
    ledger.purger = HandoverTopic.startPurging(streamsConfig, config.handoverTopic());
    return ledger;
  }

  /**
   * Kafka Streams settings that give its own topics (changelogs, repartition topics, the hand-over
   * topic) {@code replication}, as the ledger's other topics have.
   */
  public static Map<String, String> replicationConfig(Replication replication) {
    return Map.of(
        StreamsConfig.REPLICATION_FACTOR_CONFIG,
        String.valueOf(replication.factor()),
        StreamsConfig.topicPrefix(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG),
        String.valueOf(replication.minInsync()));
  }

  /** Starts {@code topology} with {@code config}. */
  public static LedgerStreams start(Topology topology, Properties config) {
    KafkaStreams streams = new KafkaStreams(topology, config);
    LedgerStreams ledger = new LedgerStreams(streams);
    streams.setUncaughtExceptionHandler(
        exception -> {
          log.error(
              "the ledger topology failed; stopping it so that nothing is skipped", exception);
          ledger.failure = exception;
          ledger.failed.complete(exception);
          return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
    streams.start();
    return ledger;
  }

  public KafkaStreams.State state() {
    return streams.state();
  }

  /** True while the topology runs or rebalances; false once it failed or stopped. */
  public boolean isRunning() {
    return streams.state().isRunningOrRebalancing();
  }

  /** Completes with the exception that stops the topology, if one does. */
  public CompletableFuture<Throwable> failed() {
    return failed;
  }

  /** The exception that stopped the topology, or null. */
  public Throwable failure() {
    return failure;
  }

  /** The underlying client, for interactive queries. */
  public KafkaStreams kafkaStreams() {
    return streams;
  }

  @Override
  public void close() {
    stopPurging();
    streams.close(Duration.ofSeconds(60));
  }

  private void stopPurging() {
    if (purger != null) {
      try {
        purger.close();
      } catch (Exception e) {
        log.warn("stopping the hand-over purger failed: {}", e.toString());
      }
      purger = null;
    }
  }

  /**
   * Closes and leaves the consumer group at once, for an application that will not come back (a
   * replay): its group can then be deleted right away instead of after the session timeout.
   */
  public void closeForGood() {
    stopPurging();
    streams.close(
        CloseOptions.timeout(Duration.ofSeconds(60))
            .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
  }
}
