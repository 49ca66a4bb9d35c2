package com.portals.ledger.app.audit;

import com.portals.ledger.app.runtime.LedgerRuntime;
import com.portals.ledger.avro.events.ClockTick;
import com.portals.ledger.avro.ledger.JournalEntry;
import com.portals.ledger.domain.rules.LedgerRules;
import com.portals.ledger.schemas.clients.KafkaClients;
import com.portals.ledger.schemas.serde.LedgerSerdes;
import com.portals.ledger.schemas.topics.Replication;
import com.portals.ledger.schemas.topics.TopicAdmin;
import com.portals.ledger.schemas.topics.TopicNamespace;
import com.portals.ledger.schemas.topics.Topics;
import com.portals.ledger.streams.LedgerStreams;
import com.portals.ledger.streams.LedgerTopology;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongConsumer;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Rebuilds the ledger from its input topics, from offset 0 up to where they end when the replay
 * starts, with the production topology under a fresh application id, into fresh output topics
 * behind a prefix ({@code replay-<when>-<id>.ledger.journal}, ...), while the live ledger goes on.
 * It reads the same inputs and applies the same rules, so it must write the same journal.
 *
 * <p>It is done when the replay's application has committed every input partition up to its end and
 * its hand-over topic is drained twice in a row, one commit interval apart.
 */
public final class Replay {

  private static final DateTimeFormatter ID_TIME =
      DateTimeFormatter.ofPattern("uuuuMMdd-HHmmss", Locale.ROOT).withZone(ZoneOffset.UTC);

  /**
   * How to replay.
   *
   * @param inputs where the input topics are (the contract's names, or a test's prefix)
   * @param applicationId the live ledger's application id; the replay's is derived from it
   * @param scratch where the replay keeps its state (deleted by {@link #cleanUp})
   * @param progress where the progress bar goes
   */
  public record Options(
      String bootstrapServers,
      TopicNamespace inputs,
      String applicationId,
      LedgerRules rules,
      LedgerSerdes serdes,
      Path scratch,
      PrintStream progress,
      Duration timeout,
      Map<String, String> settings) {

    /** Every Kafka client of the replay: its broker, with the settings' client settings. */
    public KafkaClients clients() {
      return new KafkaClients(bootstrapServers, settings);
    }
  }

  /**
   * What a replay rebuilt.
   *
   * @param id the replay's name, the prefix of its output topics
   * @param inputEnds where each input partition ended when it started
   * @param watermark the ledger's time at that point (the latest tick every partition had), null if
   *     no tick had been published
   */
  public record Result(
      String id,
      TopicNamespace outputs,
      String applicationId,
      Map<TopicPartition, Long> inputEnds,
      long inputRecords,
      Instant watermark,
      Duration elapsed) {}

  private Replay() {}

  /** Runs a replay to its end and returns what it rebuilt; the streams are closed on return. */
  public static Result run(Options options) throws InterruptedException {
    String id =
        "replay-"
            + ID_TIME.format(Instant.now())
            + "-"
            + UUID.randomUUID().toString().substring(0, 6);
    TopicNamespace outputs = TopicNamespace.prefixed(id);
    String applicationId = options.applicationId() + "-" + id;
    long started = System.nanoTime();
    try (Admin admin = Admin.create(options.clients().admin(Map.of()))) {
      KafkaReads kafka = new KafkaReads(admin, options.clients());
      TopicNamespace inputs = options.inputs();
      TopicAdmin topics = new TopicAdmin(admin);
      int partitions =
          topics.partitionCounts(inputs, List.of(Topics.CLOCK)).get(inputs.name(Topics.CLOCK));
      Replication replication = topics.replication(options.settings());
      topics.ensure(outputs, Topics.outputs(), partitions, replication);
      Map<TopicPartition, Long> ends =
          kafka.committedEnds(
              kafka.partitions(Topics.inputs().stream().map(inputs::name).toList()));
      long total = ends.values().stream().mapToLong(Long::longValue).sum();
      Instant watermark = watermark(kafka, inputs.name(Topics.CLOCK), ends, options.serdes());

      LedgerTopology.Config config =
          new LedgerTopology.Config(
              inputs,
              outputs,
              partitions,
              options.rules(),
              options.serdes(),
              ends,
              LedgerTopology.handoverTopic(applicationId));
      LedgerStreams streams =
          LedgerStreams.startLedger(
              config,
              LedgerStreams.config(
                  applicationId,
                  options.bootstrapServers(),
                  options.scratch().resolve(id),
                  streamsConfig(options.settings(), replication)));
      try {
        ProgressBar bar = new ProgressBar(options.progress(), total);
        awaitProcessed(
            kafka,
            applicationId,
            ends,
            options.timeout(),
            bar::show,
            () -> {
              if (!streams.isRunning()) {
                throw new IllegalStateException(
                    "the replay's topology stopped: " + streams.failure());
              }
            });
        bar.finish(total);
      } finally {
        streams.closeForGood();
      }
      return new Result(
          id,
          outputs,
          applicationId,
          ends,
          total,
          watermark,
          Duration.ofNanos(System.nanoTime() - started));
    }
  }

  /**
   * Hops a record can take through the hand-over topic (an order's attribution request, its answer,
   * its commission movement), plus one to spare.
   */
  private static final int BARRIER_ROUNDS = 4;

  /**
   * Waits until the Kafka Streams application {@code applicationId} has processed its inputs up to
   * {@code ends} and everything they caused downstream. First its inputs must be committed up to
   * their ends; then, once per hop a message can make between tasks, it waits until everything
   * written to its hand-over topic so far has been consumed. A live ledger keeps receiving ticks
   * meanwhile; the barrier does not wait for those, only for what was there before.
   *
   * @param progress told how many input records are processed so far
   * @param check called on every round, throws to give up
   */
  static void awaitProcessed(
      KafkaReads kafka,
      String applicationId,
      Map<TopicPartition, Long> ends,
      Duration timeout,
      LongConsumer progress,
      Runnable check)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!caughtUp(kafka.groupOffsets(applicationId), ends, progress)) {
      pause(check, deadline, applicationId, timeout);
    }
    List<String> repartitions = repartitionTopics(kafka, applicationId);
    for (int round = 0; round < BARRIER_ROUNDS && !repartitions.isEmpty(); round++) {
      Map<TopicPartition, Long> written = kafka.committedEnds(kafka.partitions(repartitions));
      while (!caughtUp(kafka.groupOffsets(applicationId), written, offset -> {})) {
        pause(check, deadline, applicationId, timeout);
      }
    }
  }

  private static boolean caughtUp(
      Map<TopicPartition, Long> committed, Map<TopicPartition, Long> ends, LongConsumer progress) {
    long done = 0;
    boolean all = true;
    for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
      long at = Math.min(committed.getOrDefault(end.getKey(), 0L), end.getValue());
      done += at;
      all &= at >= end.getValue();
    }
    progress.accept(done);
    return all;
  }

  private static void pause(Runnable check, long deadline, String applicationId, Duration timeout)
      throws InterruptedException {
    check.run();
    if (System.nanoTime() > deadline) {
      throw new IllegalStateException(applicationId + " did not catch up within " + timeout);
    }
    Thread.sleep(250);
  }

  /** The ledger's time at {@code ends}: the lowest, over clock partitions, of the latest tick. */
  static Instant watermark(
      KafkaReads kafka, String clockTopic, Map<TopicPartition, Long> ends, LedgerSerdes serdes) {
    Map<TopicPartition, Long> clockEnds = new HashMap<>();
    ends.forEach(
        (tp, end) -> {
          if (tp.topic().equals(clockTopic)) {
            clockEnds.put(tp, end);
          }
        });
    Map<Integer, Instant> latest = new HashMap<>();
    kafka.read(
        clockEnds,
        record -> {
          ClockTick tick =
              serdes.serde(ClockTick.class).deserialize(record.topic(), record.value());
          latest.merge(record.partition(), tick.getAt(), (a, b) -> a.isAfter(b) ? a : b);
        });
    if (latest.size() < clockEnds.size()) {
      return null;
    }
    return latest.values().stream().min(Comparator.naturalOrder()).orElse(null);
  }

  /** The internal topics of the ledger application {@code applicationId} that exist. */
  private static List<String> repartitionTopics(KafkaReads kafka, String applicationId) {
    List<String> existing = kafka.topicsStartingWith(applicationId + "-");
    return List.of(LedgerTopology.handoverTopic(applicationId)).stream()
        .filter(existing::contains)
        .toList();
  }

  /** Kafka Streams settings of a replay: the settings' client and Streams keys, replication. */
  private static Map<String, String> streamsConfig(
      Map<String, String> settings, Replication replication) {
    Map<String, String> config = new TreeMap<>(LedgerRuntime.streamsSettings(settings));
    LedgerStreams.replicationConfig(replication).forEach(config::putIfAbsent);
    // A replay is never idle, and its start waits in the state updater's poll: each round of
    // restoring its empty changelogs lasts poll.ms, which the running ledger sets to a second to
    // idle quietly. A tenth of that takes about a second off the start.
    config.putIfAbsent(StreamsConfig.POLL_MS_CONFIG, "100");
    return config;
  }

  /** The journal a replay wrote. */
  public static List<JournalEntry> journal(
      KafkaClients clients, TopicNamespace namespace, LedgerSerdes serdes) {
    try (Admin admin = Admin.create(clients.admin(Map.of()))) {
      KafkaReads kafka = new KafkaReads(admin, clients);
      List<JournalEntry> journal = new ArrayList<>();
      kafka.readValues(namespace.name(Topics.JOURNAL), Topics.JOURNAL, serdes, journal::add);
      return journal;
    }
  }

  /**
   * Deletes what the replay left behind: its internal topics, its consumer group, its state and, if
   * {@code outputs} too, its output topics.
   */
  public static void cleanUp(KafkaClients clients, Result result, Path scratch, boolean outputs) {
    try (Admin admin = Admin.create(clients.admin(Map.of()))) {
      KafkaReads kafka = new KafkaReads(admin, clients);
      List<String> doomed = new ArrayList<>(kafka.topicsStartingWith(result.applicationId() + "-"));
      if (outputs) {
        doomed.addAll(kafka.topicsStartingWith(result.outputs().prefix()));
      }
      if (!doomed.isEmpty()) {
        admin.deleteTopics(doomed).all().get(60, TimeUnit.SECONDS);
      }
      deleteGroup(admin, result.applicationId());
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "could not clean up replay " + result.id() + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted cleaning up replay " + result.id(), e);
    }
    deleteRecursively(scratch.resolve(result.id()));
  }

  /** Deletes a consumer group; its members may take a moment to be gone. */
  private static void deleteGroup(Admin admin, String group)
      throws ExecutionException, TimeoutException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      try {
        admin.deleteConsumerGroups(List.of(group)).all().get(60, TimeUnit.SECONDS);
        return;
      } catch (ExecutionException e) {
        if (e.getCause() instanceof GroupIdNotFoundException) {
          return;
        }
        if (!(e.getCause() instanceof GroupNotEmptyException) || System.nanoTime() > deadline) {
          throw e;
        }
      }
      Thread.sleep(500);
    }
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }
}
