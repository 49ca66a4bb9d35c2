package com.portals.ledger.projections.store;

import com.portals.ledger.avro.events.ClickRecorded;
import com.portals.ledger.avro.internal.AccountState;
import com.portals.ledger.avro.ledger.Balance;
import com.portals.ledger.avro.ledger.JournalEntry;
import com.portals.ledger.avro.ledger.OrderState;
import com.portals.ledger.avro.ledger.Rejection;
import com.portals.ledger.avro.ledger.WithdrawalDecision;
import com.portals.ledger.schemas.serde.LedgerSerdes;
import com.portals.ledger.schemas.topics.Topic;
import com.portals.ledger.schemas.topics.TopicNamespace;
import com.portals.ledger.schemas.topics.Topics;
import com.portals.ledger.schemas.validation.EventRules;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * The read side: the ledger's outputs (journal, balances, withdrawal decisions, orders,
 * rejections), the clicks and the clock, folded into the query stores of {@link ProjectionStores}
 * by one processor, so that every store of one affiliate lives in the same task. Orders and clicks
 * are re-keyed by affiliate through named repartition topics with as many partitions as the
 * ledger's topics, which the journal is partitioned by already.
 *
 * <p>Runs as its own Kafka Streams application next to the write side: it can be dropped and
 * rebuilt from the topics without touching the ledger.
 */
public final class ProjectionTopology {

  /**
   * @param ledger where the ledger's topics are (inputs and outputs)
   * @param partitions partition count of the ledger's topics
   */
  public record Config(TopicNamespace ledger, int partitions, LedgerSerdes serdes) {}

  private ProjectionTopology() {}

  public static Topology build(Config config) {
    StreamsBuilder builder = new StreamsBuilder();
    LedgerSerdes serdes = config.serdes();
    addStores(builder, serdes);

    // --- consume
    KStream<String, SpecificRecord> journal = source(builder, config, Topics.JOURNAL);
    KStream<String, SpecificRecord> decisions =
        source(builder, config, Topics.WITHDRAWAL_DECISIONS);
    KStream<String, SpecificRecord> clock = source(builder, config, Topics.CLOCK);
    KStream<String, SpecificRecord> balances = source(builder, config, Topics.BALANCES);
    KStream<String, SpecificRecord> rejections = source(builder, config, Topics.REJECTIONS);
    KStream<String, SpecificRecord> orders =
        source(builder, config, Topics.ORDER_STATES)
            .selectKey(
                (orderId, order) -> {
                  OrderState state = (OrderState) order;
                  return state.getClick() == null
                      ? ProjectionStores.UNATTRIBUTED
                      : state.getClick().getAffiliateId();
                },
                Named.as("projection-orders-by-affiliate"))
            .repartition(
                repartitioned(
                    "projection-orders", config.partitions(), serdes.internal(OrderState.class)));
    KStream<String, SpecificRecord> clicks =
        builder.stream(
                config.ledger().name(Topics.CLICKS),
                Consumed.with(Serdes.String(), Serdes.ByteArray())
                    .withName("projection-source-" + Topics.CLICKS.name()))
            .flatMapValues(
                (key, bytes) -> readableClick(config, serdes, bytes),
                Named.as("projection-readable-clicks"))
            .selectKey(
                (sessionId, click) -> ((ClickRecorded) click).getAffiliateId(),
                Named.as("projection-clicks-by-affiliate"))
            .repartition(
                repartitioned(
                    "projection-clicks",
                    config.partitions(),
                    serdes.internal(ClickRecorded.class)));

    // --- fold into the query stores
    journal
        .merge(decisions, Named.as("projection-merge-decisions"))
        .merge(clock, Named.as("projection-merge-clock"))
        .merge(balances, Named.as("projection-merge-balances"))
        .merge(rejections, Named.as("projection-merge-rejections"))
        .merge(orders, Named.as("projection-merge-orders"))
        .merge(clicks, Named.as("projection-merge-clicks"))
        .process(
            ProjectionProcessor::new,
            Named.as("projection"),
            ProjectionStores.ACCOUNTS,
            ProjectionStores.BALANCE_HISTORY,
            ProjectionStores.JOURNAL,
            ProjectionStores.WITHDRAWALS,
            ProjectionStores.ORDERS,
            ProjectionStores.CLICKS,
            ProjectionStores.LEDGER_BALANCES,
            ProjectionStores.REJECTIONS,
            ProjectionStores.CLOCK,
            ProjectionStores.TOTALS,
            ProjectionStores.DIFFERENCES,
            ProjectionStores.WITHDRAWN,
            ProjectionStores.PAYOUTS,
            ProjectionStores.PAYOUT_BATCHES);
    return builder.build();
  }

  /**
   * A click the read side can show: decodable and valid. Undecodable or invalid clicks are the
   * write side's to reject (on {@code ledger.rejections}); here they are simply not counted.
   */
  private static Iterable<SpecificRecord> readableClick(
      Config config, LedgerSerdes serdes, byte[] bytes) {
    if (bytes == null) {
      return List.of();
    }
    try {
      ClickRecorded click =
          serdes.serde(ClickRecorded.class).deserialize(config.ledger().name(Topics.CLICKS), bytes);
      return EventRules.problems(click).isEmpty() ? List.of(click) : List.of();
    } catch (SerializationException e) {
      return List.of();
    }
  }

  @SuppressWarnings("unchecked")
  private static <V extends SpecificRecord> KStream<String, SpecificRecord> source(
      StreamsBuilder builder, Config config, Topic<V> topic) {
    return (KStream<String, SpecificRecord>)
        (KStream<String, ? extends SpecificRecord>)
            builder.stream(
                config.ledger().name(topic),
                Consumed.with(Serdes.String(), topic.valueSerde(config.serdes()))
                    .withName("projection-source-" + topic.name()));
  }

  @SuppressWarnings("unchecked")
  private static <V extends SpecificRecord> Repartitioned<String, SpecificRecord> repartitioned(
      String name, int partitions, Serde<V> values) {
    return Repartitioned.<String, SpecificRecord>as(name)
        .withKeySerde(Serdes.String())
        .withValueSerde((Serde<SpecificRecord>) (Serde<? extends SpecificRecord>) values)
        .withNumberOfPartitions(partitions);
  }

  private static void addStores(StreamsBuilder builder, LedgerSerdes serdes) {
    keyValue(
        builder, ProjectionStores.ACCOUNTS, Serdes.String(), serdes.internal(AccountState.class));
    keyValue(
        builder,
        ProjectionStores.BALANCE_HISTORY,
        Serdes.Bytes(),
        serdes.internal(AccountState.class));
    keyValue(
        builder, ProjectionStores.JOURNAL, Serdes.Bytes(), serdes.internal(JournalEntry.class));
    keyValue(
        builder,
        ProjectionStores.WITHDRAWALS,
        Serdes.Bytes(),
        serdes.internal(WithdrawalDecision.class));
    keyValue(builder, ProjectionStores.ORDERS, Serdes.Bytes(), serdes.internal(OrderState.class));
    keyValue(
        builder, ProjectionStores.CLICKS, Serdes.Bytes(), serdes.internal(ClickRecorded.class));
    keyValue(
        builder, ProjectionStores.LEDGER_BALANCES, Serdes.String(), serdes.internal(Balance.class));
    keyValue(
        builder, ProjectionStores.REJECTIONS, Serdes.Bytes(), serdes.internal(Rejection.class));
    keyValue(builder, ProjectionStores.CLOCK, Serdes.String(), Serdes.Long());
    keyValue(builder, ProjectionStores.TOTALS, Serdes.String(), Serdes.ByteArray());
    keyValue(builder, ProjectionStores.DIFFERENCES, Serdes.Bytes(), Serdes.String());
    keyValue(builder, ProjectionStores.WITHDRAWN, Serdes.String(), Serdes.ByteArray());
    keyValue(
        builder,
        ProjectionStores.PAYOUTS,
        Serdes.Bytes(),
        serdes.internal(WithdrawalDecision.class));
    keyValue(builder, ProjectionStores.PAYOUT_BATCHES, Serdes.String(), Serdes.ByteArray());
  }

  private static <K, V> void keyValue(
      StreamsBuilder builder, String name, Serde<K> keys, Serde<V> values) {
    builder.addStateStore(
        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), keys, values));
  }
}
