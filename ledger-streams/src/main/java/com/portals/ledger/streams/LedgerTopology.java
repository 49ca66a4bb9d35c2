package com.portals.ledger.streams;

import com.portals.ledger.avro.events.ClickRecorded;
import com.portals.ledger.avro.events.ClockTick;
import com.portals.ledger.avro.events.CommissionRateSet;
import com.portals.ledger.avro.events.OrderCancelled;
import com.portals.ledger.avro.events.OrderCompleted;
import com.portals.ledger.avro.events.OrderPlaced;
import com.portals.ledger.avro.events.OrderRefunded;
import com.portals.ledger.avro.events.PayoutCompleted;
import com.portals.ledger.avro.events.PayoutFailed;
import com.portals.ledger.avro.events.WithdrawalRequested;
import com.portals.ledger.avro.internal.AccountState;
import com.portals.ledger.avro.internal.AttributedOrder;
import com.portals.ledger.avro.internal.HeldEvents;
import com.portals.ledger.avro.internal.StageMessage;
import com.portals.ledger.avro.internal.Watermark;
import com.portals.ledger.avro.ledger.Balance;
import com.portals.ledger.avro.ledger.JournalEntry;
import com.portals.ledger.avro.ledger.OrderState;
import com.portals.ledger.avro.ledger.Rejection;
import com.portals.ledger.avro.ledger.WithdrawalDecision;
import com.portals.ledger.domain.rules.LedgerRules;
import com.portals.ledger.schemas.serde.LedgerSerdes;
import com.portals.ledger.schemas.topics.Topic;
import com.portals.ledger.schemas.topics.TopicNamespace;
import com.portals.ledger.schemas.topics.Topics;
import com.portals.ledger.streams.accounts.AccountProcessor;
import com.portals.ledger.streams.attribution.AttributionProcessor;
import com.portals.ledger.streams.intake.IntakeProcessor;
import com.portals.ledger.streams.orders.OrderProcessor;
import com.portals.ledger.streams.stage.StagePartitioner;
import com.portals.ledger.streams.stage.WatermarkedStage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * The write side of the ledger, as one Kafka Streams topology in four stages:
 *
 * <ol>
 *   <li><b>intake</b> (partition p of every input topic and of the clock): decode, validate, route;
 *       rejections out; clock ticks become watermarks;
 *   <li><b>attribution</b> (by session): placed orders attributed to the last click of their
 *       session;
 *   <li><b>orders</b> (by order): the lifecycle and its commission, the 60-day release;
 *   <li><b>accounts</b> (by affiliate): the journal, balance refreshes, withdrawals and payouts.
 * </ol>
 *
 * <p>Stages hand over through named repartition topics, each message keyed for the next stage;
 * watermarks go to every partition. Every processor, store, repartition topic (hence every
 * changelog) is named, so that the names survive changes of the topology.
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

  /**
   * Names of the repartition topics between stages; Kafka Streams calls them {@code
   * <application.id>-<name>-repartition}.
   */
  public static final String INTAKE_TO_ATTRIBUTION = "intake-to-attribution";

  public static final String INTAKE_TO_ORDERS = "intake-to-orders";
  public static final String INTAKE_TO_ACCOUNTS = "intake-to-accounts";
  public static final String ATTRIBUTION_TO_ORDERS = "attribution-to-orders";
  public static final String ORDERS_TO_ACCOUNTS = "orders-to-accounts";

  /** Every repartition topic between stages. */
  public static final List<String> REPARTITIONS =
      List.of(
          INTAKE_TO_ATTRIBUTION,
          INTAKE_TO_ORDERS,
          INTAKE_TO_ACCOUNTS,
          ATTRIBUTION_TO_ORDERS,
          ORDERS_TO_ACCOUNTS);

  private LedgerTopology() {}

  /** Builds the topology; tests and production call this same method. */
  public static Topology build(Config config) {
    StreamsBuilder builder = new StreamsBuilder();
    LedgerSerdes serdes = config.serdes();
    int n = config.partitions();
    List<String> intakeSources = WatermarkedStage.sources("intake", n);
    List<String> attributionSources = WatermarkedStage.sources(AttributionProcessor.STAGE, n);
    List<String> orderSources = WatermarkedStage.sources(OrderProcessor.STAGE, n);
    addStores(builder, serdes);

    // --- consume: partition p of every input topic, as raw bytes, together
    KStream<byte[], byte[]> inputs =
        source(builder, config, Topics.CLICKS)
            .merge(source(builder, config, Topics.ORDERS), Named.as("merge-orders"))
            .merge(source(builder, config, Topics.COMMISSION_RATES), Named.as("merge-rates"))
            .merge(source(builder, config, Topics.WITHDRAWALS), Named.as("merge-withdrawals"))
            .merge(source(builder, config, Topics.CLOCK), Named.as("merge-clock"));

    // --- intake
    KStream<String, SpecificRecord> intake =
        inputs.process(
            () -> new IntakeProcessor(config.inputs(), serdes, config.inputEnd()),
            Named.as("intake"),
            IntakeProcessor.CLOCK_STORE,
            IntakeProcessor.BARRIERS_STORE,
            IntakeProcessor.HELD_STORE,
            IntakeProcessor.SEEN_RATES_STORE);
    publish(intake, "intake", Rejection.class, Topics.REJECTIONS, config);
    KStream<String, StageMessage> intakeMessages = messages(intake, "intake");
    KStream<String, StageMessage> attributionInput =
        intakeMessages
            .filter((key, message) -> forAttribution(message), Named.as("intake-for-attribution"))
            .repartition(repartitioned(INTAKE_TO_ATTRIBUTION, n, serdes));
    KStream<String, StageMessage> intakeToOrders =
        intakeMessages
            .filter((key, message) -> forOrders(message), Named.as("intake-for-orders"))
            .repartition(repartitioned(INTAKE_TO_ORDERS, n, serdes));
    KStream<String, StageMessage> intakeToAccounts =
        intakeMessages
            .filter((key, message) -> forAccounts(message), Named.as("intake-for-accounts"))
            .repartition(repartitioned(INTAKE_TO_ACCOUNTS, n, serdes));

    // --- attribution
    KStream<String, SpecificRecord> attribution =
        attributionInput.process(
            () -> new AttributionProcessor(intakeSources, config.rules().sessionTtl()),
            Named.as(AttributionProcessor.STAGE),
            stageStores(
                AttributionProcessor.STAGE,
                AttributionProcessor.CLICKS_STORE,
                AttributionProcessor.EXPIRY_STORE,
                AttributionProcessor.SEEN_STORE));
    publish(attribution, AttributionProcessor.STAGE, Rejection.class, Topics.REJECTIONS, config);
    KStream<String, StageMessage> attributionToOrders =
        messages(attribution, AttributionProcessor.STAGE)
            .repartition(repartitioned(ATTRIBUTION_TO_ORDERS, n, serdes));

    // --- orders
    List<String> ordersExpect = new ArrayList<>(intakeSources);
    ordersExpect.addAll(attributionSources);
    KStream<String, SpecificRecord> orders =
        intakeToOrders
            .merge(attributionToOrders, Named.as("orders-inputs"))
            .process(
                () -> new OrderProcessor(ordersExpect, config.rules()),
                Named.as(OrderProcessor.STAGE),
                stageStores(
                    OrderProcessor.STAGE,
                    OrderProcessor.ORDERS_STORE,
                    OrderProcessor.HELD_STORE,
                    OrderProcessor.RATES_STORE,
                    OrderProcessor.RELEASE_INDEX,
                    OrderProcessor.ORPHAN_INDEX,
                    OrderProcessor.SEEN_STORE));
    publish(orders, OrderProcessor.STAGE, Rejection.class, Topics.REJECTIONS, config);
    publish(orders, OrderProcessor.STAGE, OrderState.class, Topics.ORDER_STATES, config);
    KStream<String, StageMessage> ordersToAccounts =
        messages(orders, OrderProcessor.STAGE)
            .repartition(repartitioned(ORDERS_TO_ACCOUNTS, n, serdes));

    // --- accounts
    List<String> accountsExpect = new ArrayList<>(intakeSources);
    accountsExpect.addAll(orderSources);
    KStream<String, SpecificRecord> accounts =
        intakeToAccounts
            .merge(ordersToAccounts, Named.as("accounts-inputs"))
            .process(
                () -> new AccountProcessor(accountsExpect, config.rules()),
                Named.as(AccountProcessor.STAGE),
                stageStores(
                    AccountProcessor.STAGE,
                    AccountProcessor.ACCOUNTS_STORE,
                    AccountProcessor.WITHDRAWALS_STORE,
                    AccountProcessor.POSTING_INDEX,
                    AccountProcessor.SEEN_STORE));

    // --- produce
    publish(accounts, AccountProcessor.STAGE, Rejection.class, Topics.REJECTIONS, config);
    publish(accounts, AccountProcessor.STAGE, JournalEntry.class, Topics.JOURNAL, config);
    publish(accounts, AccountProcessor.STAGE, Balance.class, Topics.BALANCES, config);
    publish(
        accounts,
        AccountProcessor.STAGE,
        WithdrawalDecision.class,
        Topics.WITHDRAWAL_DECISIONS,
        config);
    return builder.build();
  }

  private static KStream<byte[], byte[]> source(
      StreamsBuilder builder, Config config, Topic<?> topic) {
    return builder.stream(
        config.inputs().name(topic),
        Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("source-" + topic.name()));
  }

  private static KStream<String, StageMessage> messages(
      KStream<String, SpecificRecord> out, String stage) {
    return out.filter((key, value) -> value instanceof StageMessage, Named.as(stage + "-messages"))
        .mapValues(value -> (StageMessage) value, Named.as(stage + "-as-messages"));
  }

  private static <V extends SpecificRecord> void publish(
      KStream<String, SpecificRecord> out,
      String stage,
      Class<V> type,
      Topic<V> topic,
      Config config) {
    String name = stage + "-" + topic.name();
    out.filter((key, value) -> type.isInstance(value), Named.as(name + "-filter"))
        .mapValues(type::cast, Named.as(name + "-cast"))
        .to(
            config.outputs().name(topic),
            Produced.with(Serdes.String(), topic.valueSerde(config.serdes()))
                .withName(name + "-sink"));
  }

  private static Repartitioned<String, StageMessage> repartitioned(
      String name, int partitions, LedgerSerdes serdes) {
    return Repartitioned.<String, StageMessage>as(name)
        .withKeySerde(Serdes.String())
        .withValueSerde(serdes.internal(StageMessage.class))
        .withNumberOfPartitions(partitions)
        .withStreamPartitioner(new StagePartitioner());
  }

  private static boolean forAttribution(StageMessage message) {
    Object body = message.getBody();
    return body instanceof Watermark
        || body instanceof ClickRecorded
        || body instanceof OrderPlaced;
  }

  private static boolean forOrders(StageMessage message) {
    Object body = message.getBody();
    return body instanceof Watermark
        || body instanceof AttributedOrder
        || body instanceof OrderCompleted
        || body instanceof OrderCancelled
        || body instanceof OrderRefunded
        || body instanceof CommissionRateSet;
  }

  private static boolean forAccounts(StageMessage message) {
    Object body = message.getBody();
    return body instanceof Watermark
        || body instanceof WithdrawalRequested
        || body instanceof PayoutCompleted
        || body instanceof PayoutFailed;
  }

  private static String[] stageStores(String stage, String... own) {
    List<String> names = new ArrayList<>(List.of(own));
    names.add(WatermarkedStage.bufferStore(stage));
    names.add(WatermarkedStage.watermarkStore(stage));
    return names.toArray(String[]::new);
  }

  private static void addStores(StreamsBuilder builder, LedgerSerdes serdes) {
    Serde<StageMessage> message = serdes.internal(StageMessage.class);
    // Written for every input record and mostly overwritten or deleted within a commit interval:
    // cached, so that the changelog sees the net change.
    cachedKeyValue(builder, IntakeProcessor.CLOCK_STORE, Serdes.String(), Serdes.Long());
    keyValue(
        builder, IntakeProcessor.BARRIERS_STORE, Serdes.Long(), serdes.internal(ClockTick.class));
    cachedKeyValue(builder, IntakeProcessor.HELD_STORE, Serdes.Bytes(), message);
    keyValue(builder, IntakeProcessor.SEEN_RATES_STORE, Serdes.String(), Serdes.String());
    for (String stage :
        List.of(AttributionProcessor.STAGE, OrderProcessor.STAGE, AccountProcessor.STAGE)) {
      keyValue(builder, WatermarkedStage.bufferStore(stage), Serdes.Bytes(), message);
      keyValue(builder, WatermarkedStage.watermarkStore(stage), Serdes.String(), Serdes.Long());
    }
    keyValue(
        builder,
        AttributionProcessor.CLICKS_STORE,
        Serdes.Bytes(),
        serdes.internal(ClickRecorded.class));
    keyValue(builder, AttributionProcessor.EXPIRY_STORE, Serdes.Bytes(), Serdes.ByteArray());
    keyValue(builder, AttributionProcessor.SEEN_STORE, Serdes.String(), Serdes.String());
    keyValue(
        builder, OrderProcessor.ORDERS_STORE, Serdes.String(), serdes.internal(OrderState.class));
    keyValue(
        builder, OrderProcessor.HELD_STORE, Serdes.String(), serdes.internal(HeldEvents.class));
    keyValue(
        builder,
        OrderProcessor.RATES_STORE,
        Serdes.Bytes(),
        serdes.internal(CommissionRateSet.class));
    keyValue(builder, OrderProcessor.RELEASE_INDEX, Serdes.Bytes(), Serdes.ByteArray());
    keyValue(builder, OrderProcessor.ORPHAN_INDEX, Serdes.Bytes(), Serdes.ByteArray());
    keyValue(builder, OrderProcessor.SEEN_STORE, Serdes.String(), Serdes.String());
    keyValue(
        builder,
        AccountProcessor.ACCOUNTS_STORE,
        Serdes.String(),
        serdes.internal(AccountState.class));
    keyValue(
        builder,
        AccountProcessor.WITHDRAWALS_STORE,
        Serdes.String(),
        serdes.internal(WithdrawalDecision.class));
    keyValue(builder, AccountProcessor.POSTING_INDEX, Serdes.Bytes(), Serdes.ByteArray());
    keyValue(builder, AccountProcessor.SEEN_STORE, Serdes.String(), Serdes.String());
  }

  private static <K, V> void cachedKeyValue(
      StreamsBuilder builder, String name, Serde<K> keys, Serde<V> values) {
    builder.addStateStore(
        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), keys, values)
            .withCachingEnabled());
  }

  private static <K, V> void keyValue(
      StreamsBuilder builder, String name, Serde<K> keys, Serde<V> values) {
    builder.addStateStore(
        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), keys, values));
  }
}
