package com.portals.ledger.streams;

import com.portals.ledger.avro.events.ClockTick;
import com.portals.ledger.avro.events.PayoutBatched;
import com.portals.ledger.avro.events.WithdrawalEvent;
import com.portals.ledger.avro.ledger.Balance;
import com.portals.ledger.avro.ledger.JournalEntry;
import com.portals.ledger.avro.ledger.OrderState;
import com.portals.ledger.avro.ledger.Rejection;
import com.portals.ledger.avro.ledger.WithdrawalDecision;
import com.portals.ledger.domain.rules.LedgerRules;
import com.portals.ledger.schemas.json.EventJson;
import com.portals.ledger.schemas.json.EventJson.Invalid;
import com.portals.ledger.schemas.json.EventJson.Parsed;
import com.portals.ledger.schemas.serde.LedgerSerdes;
import com.portals.ledger.schemas.topics.Topic;
import com.portals.ledger.schemas.topics.TopicNamespace;
import com.portals.ledger.schemas.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * The production topology ({@link LedgerTopology#build}) on Kafka's {@link TopologyTestDriver},
 * read as given/when/then: {@code given(...)} events in their docs/contract.md JSON form, {@code
 * tick(...)} to move time, then what came out on each output topic. One partition per topic, as the
 * test driver has.
 */
final class LedgerDriver implements AutoCloseable {

  private static final String APP_ID = "ledger-test";

  private final TopologyTestDriver driver;
  private final LedgerSerdes serdes = LedgerSerdes.singleObject();
  private final Map<String, TestInputTopic<byte[], byte[]>> inputs = new HashMap<>();
  private final List<JournalEntry> journal = new ArrayList<>();
  private final Map<String, Balance> balances = new LinkedHashMap<>();
  private final List<Balance> balanceHistory = new ArrayList<>();
  private final List<WithdrawalDecision> decisions = new ArrayList<>();
  private final List<Rejection> rejections = new ArrayList<>();
  private final Map<String, OrderState> orders = new LinkedHashMap<>();
  private final TestOutputTopic<String, JournalEntry> journalTopic;
  private final TestOutputTopic<String, Balance> balanceTopic;
  private final TestOutputTopic<String, WithdrawalDecision> decisionTopic;
  private final TestOutputTopic<String, Rejection> rejectionTopic;
  private final TestOutputTopic<String, OrderState> orderTopic;
  private final Path stateDir;
  private final Map<String, Long> piped = new HashMap<>();

  LedgerDriver() {
    this(LedgerRules.DEFAULTS);
  }

  LedgerDriver(LedgerRules rules) {
    try {
      stateDir = Files.createTempDirectory("ledger-ttd");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    Properties config = new Properties();
    config.put(StreamsConfig.APPLICATION_ID_CONFIG, APP_ID);
    config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    driver =
        new TopologyTestDriver(
            LedgerTopology.build(
                new LedgerTopology.Config(
                    TopicNamespace.CONTRACT, TopicNamespace.CONTRACT, 1, rules, serdes, APP_ID)),
            config);
    for (Topic<?> topic : Topics.inputs()) {
      inputs.put(
          topic.name(),
          driver.createInputTopic(
              topic.name(), new ByteArraySerializer(), new ByteArraySerializer()));
    }
    journalTopic = output(Topics.JOURNAL);
    balanceTopic = output(Topics.BALANCES);
    decisionTopic = output(Topics.WITHDRAWAL_DECISIONS);
    rejectionTopic = output(Topics.REJECTIONS);
    orderTopic = output(Topics.ORDER_STATES);
  }

  private <V extends SpecificRecord> TestOutputTopic<String, V> output(Topic<V> topic) {
    return driver.createOutputTopic(
        topic.name(), new StringDeserializer(), topic.valueSerde(serdes).deserializer());
  }

  /**
   * Publishes each JSON line (docs/contract.md form) to its topic, keyed and timestamped as publish
   * does.
   */
  LedgerDriver given(String... lines) {
    for (String line : lines) {
      EventJson.Result result = EventJson.parse(line);
      if (result instanceof Invalid invalid) {
        throw new IllegalArgumentException("not a valid event: " + invalid.reason() + ": " + line);
      }
      Parsed parsed = (Parsed) result;
      @SuppressWarnings({"unchecked", "rawtypes"})
      byte[] value =
          ((Topic) parsed.topic())
              .valueSerde(serdes)
              .serializer()
              .serialize(parsed.topic().name(), parsed.value());
      pipeBytes(parsed.topic(), parsed.key(), value, parsed.timestamp());
    }
    drain();
    return this;
  }

  /** Writes raw bytes to an input topic, as a foreign producer might. */
  LedgerDriver givenBytes(Topic<?> topic, String key, byte[] value, Instant timestamp) {
    pipeBytes(topic, key, value, timestamp);
    drain();
    return this;
  }

  /**
   * Finance puts withdrawal {@code withdrawalId} of {@code affiliateId} into payout batch {@code
   * batchId} at {@code at} (as {@code POST /finance/payout-batches} publishes it: there is no JSON
   * line for it).
   */
  LedgerDriver batched(
      String eventId, String withdrawalId, String affiliateId, String batchId, String at) {
    Instant time = Instant.parse(at);
    WithdrawalEvent event =
        new WithdrawalEvent(new PayoutBatched(eventId, withdrawalId, affiliateId, batchId, time));
    return givenBytes(
        Topics.WITHDRAWALS,
        affiliateId,
        Topics.WITHDRAWALS.valueSerde(serdes).serializer().serialize("", event),
        time);
  }

  /** The offset the next record piped to {@code topic} gets (one partition per topic). */
  long nextOffset(Topic<?> topic) {
    return piped.getOrDefault(topic.name(), 0L);
  }

  private void pipeBytes(Topic<?> topic, String key, byte[] value, Instant timestamp) {
    piped.merge(topic.name(), 1L, Long::sum);
    inputs
        .get(topic.name())
        .pipeInput(key == null ? null : key.getBytes(StandardCharsets.UTF_8), value, timestamp);
  }

  /** A clock tick at {@code instant}: the ledger's time moves on. */
  LedgerDriver tick(String instant) {
    return given("{\"type\":\"ClockTick\",\"at\":\"" + Instant.parse(instant) + "\"}");
  }

  /**
   * A clock tick at {@code instant} that names where the input topics ended when it was sent (as
   * {@code ledger tick} does): topic name to end offset of the test driver's single partition.
   */
  LedgerDriver tickAfter(String instant, Map<String, Long> positions) {
    Instant at = Instant.parse(instant);
    ClockTick tick =
        ClockTick.newBuilder().setAt(at).setPositions(new HashMap<>(positions)).build();
    return givenBytes(
        Topics.CLOCK, null, Topics.CLOCK.valueSerde(serdes).serializer().serialize("", tick), at);
  }

  private void drain() {
    journal.addAll(journalTopic.readValuesToList());
    for (Balance balance : balanceTopic.readValuesToList()) {
      balances.put(balance.getAffiliateId(), balance);
      balanceHistory.add(balance);
    }
    decisions.addAll(decisionTopic.readValuesToList());
    rejections.addAll(rejectionTopic.readValuesToList());
    orderTopic.readValuesToList().forEach(order -> orders.put(order.getOrderId(), order));
  }

  List<JournalEntry> journal() {
    return List.copyOf(journal);
  }

  Balance balance(String affiliateId) {
    return balances.get(affiliateId);
  }

  Map<String, Balance> balances() {
    return Map.copyOf(balances);
  }

  List<Balance> balanceHistory() {
    return List.copyOf(balanceHistory);
  }

  List<WithdrawalDecision> decisions() {
    return List.copyOf(decisions);
  }

  List<Rejection> rejections() {
    return List.copyOf(rejections);
  }

  OrderState order(String orderId) {
    return orders.get(orderId);
  }

  List<OrderState> orderStates() {
    return List.copyOf(orders.values());
  }

  @Override
  public void close() {
    driver.close();
    try (var paths = Files.walk(stateDir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
