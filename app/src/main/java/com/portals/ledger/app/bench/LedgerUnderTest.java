package com.portals.ledger.app.bench;

import com.portals.ledger.domain.rules.LedgerRules;
import com.portals.ledger.schemas.serde.LedgerSerdes;
import com.portals.ledger.schemas.topics.TopicNamespace;
import com.portals.ledger.schemas.topics.Topics;
import com.portals.ledger.streams.LedgerStreams;
import com.portals.ledger.streams.LedgerTopology;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The write side the benchmark measures, started by the production entry point as {@code ledger
 * run} starts it (exactly-once, RocksDB stores under the benchmark's directory), on the contract's
 * topics, with no ticker of its own: the ticks are in the data, or published by the benchmark.
 *
 * <p>Every {@link #check()} also notes the state Kafka Streams is in, so that the report can say
 * when it ran and whether it rebalanced meanwhile. {@link #reads()} says how far it has read its
 * inputs and its own hand-over topics: progress that shows before any output does.
 */
final class LedgerUnderTest implements AutoCloseable {

  /** Application id of the ledger under test (its consumer group and internal topic prefix). */
  static final String APPLICATION_ID = "ledger-bench";

  private static final long POLL_MILLIS = 5;
  private static final long OFFSETS_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);

  private static final Set<String> INPUTS =
      Topics.inputs().stream().map(TopicNamespace.CONTRACT::name).collect(Collectors.toSet());

  private static final Set<String> OUTPUTS =
      Topics.outputs().stream().map(TopicNamespace.CONTRACT::name).collect(Collectors.toSet());

  private final LedgerStreams streams;
  private final Admin admin;
  private final long startedNanos;
  private final List<String> states = new ArrayList<>();
  private KafkaStreams.State last;
  private Reads reads = new Reads(0, 0);
  private long readsChangedAt;
  private long nextOffsetsRead;

  private LedgerUnderTest(LedgerStreams streams, Admin admin, long startedNanos) {
    this.streams = streams;
    this.admin = admin;
    this.startedNanos = startedNanos;
  }

  /**
   * Starts the ledger; returns once Kafka Streams is started, not yet running: it still has to join
   * its group and get its stores ready.
   *
   * @param overrides Kafka Streams and client settings ({@code --set})
   */
  static LedgerUnderTest start(
      String bootstrapServers,
      int partitions,
      LedgerSerdes serdes,
      Map<String, String> overrides,
      Path stateDir) {
    LedgerTopology.Config config =
        new LedgerTopology.Config(
            TopicNamespace.CONTRACT,
            TopicNamespace.CONTRACT,
            partitions,
            LedgerRules.DEFAULTS,
            serdes,
            APPLICATION_ID);
    LedgerStreams streams =
        LedgerStreams.startLedger(
            config, LedgerStreams.config(APPLICATION_ID, bootstrapServers, stateDir, overrides));
    Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    return new LedgerUnderTest(streams, admin, System.nanoTime());
  }

  /** When {@code startLedger} returned ({@link System#nanoTime()}). */
  long startedNanos() {
    return startedNanos;
  }

  /**
   * Waits until the ledger runs; returns when it was first seen running ({@link System#nanoTime()},
   * within a few milliseconds).
   *
   * @throws IllegalStateException if it stops, or does not run within {@code timeout}
   */
  long awaitRunning(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (check() != KafkaStreams.State.RUNNING) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "the ledger did not start within " + timeout + " (state " + streams.state() + ")");
      }
      Thread.sleep(POLL_MILLIS);
    }
    return System.nanoTime();
  }

  /**
   * Notes the ledger's state and returns it.
   *
   * @throws IllegalStateException if the ledger stopped (an exception escaped its topology)
   */
  synchronized KafkaStreams.State check() {
    KafkaStreams.State state = streams.state();
    if (state != last) {
      states.add(
          String.format(
              Locale.ROOT, "%s at %.2f s", state, (System.nanoTime() - startedNanos) / 1e9));
      last = state;
    }
    if (!streams.isRunning() && state != KafkaStreams.State.CREATED) {
      Throwable failure = streams.failure();
      throw new IllegalStateException(
          "the ledger stopped (state " + state + (failure == null ? ")" : "): " + failure),
          failure);
    }
    return state;
  }

  /**
   * How far the ledger has read, by the offsets its group committed.
   *
   * @param inputs records of the input topics, the clock's included
   * @param handOvers records of its own repartition and hand-over topics
   */
  record Reads(long inputs, long handOvers) {}

  /**
   * How far the ledger has read so far; read from the broker at most once a second, the last
   * figures otherwise.
   */
  synchronized Reads reads() {
    long now = System.nanoTime();
    if (now >= nextOffsetsRead) {
      nextOffsetsRead = now + OFFSETS_EVERY_NANOS;
      try {
        long inputs = 0;
        long handOvers = 0;
        for (Map.Entry<TopicPartition, OffsetAndMetadata> offset :
            admin
                .listConsumerGroupOffsets(APPLICATION_ID)
                .partitionsToOffsetAndMetadata()
                .get(10, TimeUnit.SECONDS)
                .entrySet()) {
          if (offset.getValue() == null) {
            continue;
          }
          if (INPUTS.contains(offset.getKey().topic())) {
            inputs += offset.getValue().offset();
          } else {
            handOvers += offset.getValue().offset();
          }
        }
        if (inputs + handOvers > reads.inputs() + reads.handOvers()) {
          readsChangedAt = now;
        }
        reads = new Reads(inputs, handOvers);
      } catch (ExecutionException | TimeoutException e) {
        // The figures stay as they were; the next read may get through.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return reads;
  }

  /**
   * The records written so far to each topic the ledger writes, by the ends of their partitions:
   * its internal topics (changelogs, hand-over) and its outputs. An end counts a transaction marker
   * too, one per transaction that wrote to the partition.
   */
  Map<String, Long> written() {
    Map<String, Long> written = new TreeMap<>();
    IdlePhase.ends(admin)
        .forEach(
            (partition, end) -> {
              String topic = partition.topic();
              if (topic.startsWith(APPLICATION_ID + "-") || OUTPUTS.contains(topic)) {
                written.merge(topic, end, Long::sum);
              }
            });
    return written;
  }

  /** When {@link #reads()} last grew ({@link System#nanoTime()}), 0 if never. */
  synchronized long readsChangedAt() {
    return readsChangedAt;
  }

  /** The states seen so far, with when they were first seen after the start. */
  synchronized List<String> states() {
    return List.copyOf(states);
  }

  @Override
  public void close() {
    try {
      admin.close();
    } finally {
      streams.close();
    }
  }
}
