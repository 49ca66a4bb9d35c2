package com.portals.ledger.streams;

import com.portals.ledger.avro.internal.Handover;
import com.portals.ledger.domain.rules.LedgerRules;
import com.portals.ledger.schemas.serde.LedgerSerdes;
import com.portals.ledger.schemas.topics.Topic;
import com.portals.ledger.schemas.topics.TopicNamespace;
import com.portals.ledger.schemas.topics.Topics;
import com.portals.ledger.streams.state.CommitHook;
import com.portals.ledger.streams.task.LedgerProcessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.state.Stores;

/**
 * The write side of the ledger as one Kafka Streams sub-topology: task p reads partition p of every
 * input topic, of {@code ledger.clock} and of the hand-over topic, and runs the four stages of the
 * ledger side by side ({@link LedgerProcessor}):
 *
 * <ol>
 *   <li><b>intake</b>: decode, validate, reject; hold each event until its tick is complete;
 *   <li><b>attribution</b> (sessions of p): placed orders attributed to the last click of their
 *       session;
 *   <li><b>orders</b> (orders of p): the lifecycle and its commission, the 60-day release;
 *   <li><b>accounts</b> (affiliates of p): the journal, balance refreshes, withdrawals and payouts.
 * </ol>
 *
 * <p>The input topics are keyed by session (clicks), order (order events) and affiliate
 * (withdrawals), so most events never leave their task. What belongs to another partition (an
 * order's attribution request and its answer, a commission movement, a rate) goes through the
 * hand-over topic {@code <application.id>-handover}, which {@link LedgerStreams#startLedger}
 * creates and purges. Every processor, store, source and sink is named, so that the names survive
 * changes of the topology.
 */
public final class LedgerTopology {

  /**
   * What the topology reads and writes.
   *
   * @param inputs where the input topics are
   * @param outputs where the ledger's output topics are (a replay writes to prefixed ones)
   * @param partitions partition count of the input topics; every stage has as many tasks
   * @param inputEnd where to stop reading each input partition (exclusive end offset): a replay
   *     rebuilds the history as it was when it started; empty: read everything, forever
   * @param handoverTopic the topic the tasks of the write side hand messages to each other through
   *     (one per application id: {@link #handoverTopic(String)}), with {@code partitions}
   *     partitions; {@link LedgerStreams#startLedger} creates it
   */
  public record Config(
      TopicNamespace inputs,
      TopicNamespace outputs,
      int partitions,
      LedgerRules rules,
      LedgerSerdes serdes,
      Map<TopicPartition, Long> inputEnd,
      String handoverTopic) {
    public Config {
      Objects.requireNonNull(inputs, "inputs");
      Objects.requireNonNull(outputs, "outputs");
      Objects.requireNonNull(rules, "rules");
      Objects.requireNonNull(serdes, "serdes");
      Objects.requireNonNull(handoverTopic, "handoverTopic");
      inputEnd = Map.copyOf(inputEnd);
      if (partitions < 1) {
        throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
      }
    }

    /** The live ledger of application {@code applicationId}: every input record, as it comes. */
    public Config(
        TopicNamespace inputs,
        TopicNamespace outputs,
        int partitions,
        LedgerRules rules,
        LedgerSerdes serdes,
        String applicationId) {
      this(
          inputs,
          outputs,
          partitions,
          rules,
          serdes,
          Map.of(),
          LedgerTopology.handoverTopic(applicationId));
    }
  }

  /** The hand-over topic of the write side of application {@code applicationId}. */
  public static String handoverTopic(String applicationId) {
    return applicationId + "-handover";
  }

  /** Name of the one processor. */
  public static final String PROCESSOR = "ledger";

  /** Stores of each task. */
  public static final String META_STORE = "ledger-meta";

  public static final String BUFFER_STORE = "ledger-buffer";
  public static final String SCHEDULE_STORE = "ledger-schedule";
  public static final String SESSIONS_STORE = "ledger-sessions";
  public static final String ORDERS_STORE = "ledger-orders";
  public static final String ACCOUNTS_STORE = "ledger-accounts";
  public static final String WITHDRAWALS_STORE = "ledger-withdrawals";
  public static final String COMMIT_HOOK = "ledger-commit-hook";

  /**
   * The logged stores of a task, whose changelogs are {@code <application.id>-<store>-changelog}.
   */
  public static final List<String> STORES =
      List.of(
          META_STORE,
          BUFFER_STORE,
          SCHEDULE_STORE,
          ORDERS_STORE,
          ACCOUNTS_STORE,
          WITHDRAWALS_STORE);

  /**
   * The stores of a task that are not logged: a task keeps them across a clean restart and
   * otherwise rebuilds them when it starts (the sessions, from the clicks topic and the clicks kept
   * in the buffer).
   */
  public static final List<String> LOCAL_STORES = List.of(SESSIONS_STORE);

  /** The sink of the hand-over topic. */
  public static final String HANDOVER_SINK = "sink-handover";

  private LedgerTopology() {}

  /** The sink of an output. */
  public static String sinkOf(Enum<?> output) {
    return "sink-" + output.name().toLowerCase(Locale.ROOT);
  }

  /** Builds the topology; tests and production call this same method. */
  public static Topology build(Config config) {
    Topology topology = new Topology();
    LedgerSerdes serdes = config.serdes();

    // --- consume: partition p of every input topic and of the hand-over topic, as bytes
    List<String> sources = new ArrayList<>();
    for (Topic<?> input : Topics.inputs()) {
      String name = "source-" + input.name();
      topology.addSource(
          name,
          new ByteArrayDeserializer(),
          new ByteArrayDeserializer(),
          config.inputs().name(input));
      sources.add(name);
    }
    topology.addSource(
        "source-handover",
        new ByteArrayDeserializer(),
        new ByteArrayDeserializer(),
        config.handoverTopic());
    sources.add("source-handover");

    // --- the four stages of one partition, and their stores
    topology.addProcessor(
        PROCESSOR, () -> new LedgerProcessor(config), sources.toArray(String[]::new));
    for (String store : STORES) {
      topology.addStateStore(
          Stores.keyValueStoreBuilder(
                  Stores.persistentKeyValueStore(store), Serdes.Bytes(), Serdes.ByteArray())
              .withCachingDisabled(),
          PROCESSOR);
    }
    for (String store : LOCAL_STORES) {
      topology.addStateStore(
          Stores.keyValueStoreBuilder(
                  Stores.persistentKeyValueStore(store), Serdes.Bytes(), Serdes.ByteArray())
              .withCachingDisabled()
              .withLoggingDisabled(),
          PROCESSOR);
    }
    topology.addStateStore(CommitHook.builder(COMMIT_HOOK), PROCESSOR);

    // --- produce: the hand-over topic, by explicit partition, and the ledger's outputs
    StreamPartitioner<Object, Object> toPartition =
        (topic, key, value, partitions) -> Optional.of(Set.of(((Handover) value).getTo()));
    topology.addSink(
        HANDOVER_SINK,
        config.handoverTopic(),
        new StringSerializer(),
        new CastingSerializer<>(serdes.internal(Handover.class).serializer()),
        toPartition,
        PROCESSOR);
    output(topology, config, "JOURNAL", Topics.JOURNAL);
    output(topology, config, "BALANCES", Topics.BALANCES);
    output(topology, config, "WITHDRAWAL_DECISIONS", Topics.WITHDRAWAL_DECISIONS);
    output(topology, config, "ORDER_STATES", Topics.ORDER_STATES);
    output(topology, config, "REJECTIONS", Topics.REJECTIONS);
    return topology;
  }

  private static void output(Topology topology, Config config, String output, Topic<?> topic) {
    topology.addSink(
        "sink-" + output.toLowerCase(Locale.ROOT),
        config.outputs().name(topic),
        new StringSerializer(),
        new CastingSerializer<>(topic.valueSerde(config.serdes()).serializer()),
        PROCESSOR);
  }
}
