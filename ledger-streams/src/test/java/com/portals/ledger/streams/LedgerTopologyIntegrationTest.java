package com.portals.ledger.streams;

import static org.assertj.core.api.Assertions.assertThat;

import com.portals.ledger.avro.events.ClickRecorded;
import com.portals.ledger.avro.ledger.Balance;
import com.portals.ledger.avro.ledger.JournalEntry;
import com.portals.ledger.avro.ledger.Rejection;
import com.portals.ledger.avro.ledger.WithdrawalDecision;
import com.portals.ledger.domain.account.Account;
import com.portals.ledger.domain.rules.LedgerRules;
import com.portals.ledger.schemas.json.EventJson;
import com.portals.ledger.schemas.publish.EventPublisher;
import com.portals.ledger.schemas.serde.LedgerSerdes;
import com.portals.ledger.schemas.topics.Topic;
import com.portals.ledger.schemas.topics.TopicAdmin;
import com.portals.ledger.schemas.topics.TopicNamespace;
import com.portals.ledger.schemas.topics.Topics;
import com.portals.ledger.streams.ReferenceModel.Result;
import com.portals.ledger.testkit.KafkaClusterExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole write side on a real broker: three partitions per topic, exactly-once, RocksDB stores,
 * a real hand-over topic. A random history published through {@code ledger publish}'s code path
 * must end in the ledger the reference model computes, whichever partition each event went through.
 */
@Timeout(300)
class LedgerTopologyIntegrationTest {

  private static final int PARTITIONS = 3;

  @RegisterExtension static final KafkaClusterExtension kafka = new KafkaClusterExtension();

  @TempDir Path stateDir;

  private final LedgerSerdes serdes = LedgerSerdes.singleObject();

  /**
   * One stream thread: the three tasks hand each other messages directly, within one transaction.
   */
  @Test
  void shouldComputeTheReferenceModelsLedgerAcrossPartitions() throws Exception {
    computeTheReferenceModelsLedger(20261124L, Map.of());
  }

  /** A stream thread per task: every message between tasks goes through the hand-over topic. */
  @Test
  void shouldComputeTheReferenceModelsLedgerThroughTheHandoverTopic() throws Exception {
    computeTheReferenceModelsLedger(
        20261130L,
        Map.of(StreamsConfig.NUM_STREAM_THREADS_CONFIG, String.valueOf(PARTITIONS)),
        true);
  }

  private void computeTheReferenceModelsLedger(long seed, Map<String, String> settings)
      throws Exception {
    computeTheReferenceModelsLedger(seed, settings, false);
  }

  private void computeTheReferenceModelsLedger(
      long seed, Map<String, String> settings, boolean throughTheTopic) throws Exception {
    List<String> history = Histories.generate(seed);
    ReferenceModel model = new ReferenceModel(LedgerRules.DEFAULTS);
    history.forEach(model::publish);
    Result expected = model.result();

    try (Ledger ledger = startLedger("write-side", settings)) {
      assertThat(ledger.publisher().publish(history).rejected()).isEmpty();
      assertTheLedgerIs(expected, ledger);
      if (throughTheTopic) {
        assertThat(kafka.readAll(ledger.handover(), Integer.MAX_VALUE, Duration.ofSeconds(2)))
            .as("messages between tasks went through the hand-over topic")
            .isNotEmpty();
      }
    }
  }

  /**
   * Intake holds the events read after the last tick in memory, not in a store; a restart (here on
   * an empty state directory, as after a move to another instance) must read them again from their
   * topics. The second run also keeps at most one held record in memory, so that releases read from
   * the topics while running too.
   */
  @Test
  void shouldReadHeldEventsAgainAfterARestart() throws Exception {
    List<String> history = Histories.generate(20261201L);
    ReferenceModel model = new ReferenceModel(LedgerRules.DEFAULTS);
    history.forEach(model::publish);
    Result expected = model.result();
    int cut = history.size() / 2;
    while (!isTick(history.get(cut)) || isTick(history.get(cut - 1))) {
      cut++;
    }
    Ledger first = startLedger("restart", Map.of());
    assertThat(first.publisher().publish(history.subList(0, cut)).rejected()).isEmpty();
    awaitInputsCommitted(first);
    first.streams().close();
    try (Ledger second =
        first.restart(Map.of(LedgerStreams.HELD_IN_MEMORY_CONFIG, "1"), "restarted")) {
      assertThat(second.publisher().publish(history.subList(cut, history.size())).rejected())
          .isEmpty();
      assertTheLedgerIs(expected, second);
    }
  }

  /**
   * The sessions are not logged: a task rebuilds them when it starts, from the clicks topic and the
   * clicks it kept. Before the restart (on an empty state directory): a click, a copy of it with
   * another time and click id (a duplicate: it must not count after the restart either), a click
   * published to a partition other than its session's (it reaches its session through another
   * task), and a click published ahead of its tick. After the restart, orders in those sessions are
   * attributed as the reference model says.
   */
  @Test
  void shouldKeepOrRebuildTheSessionsAcrossRestarts() throws Exception {
    List<String> before =
        List.of(
            Json.click("c-1", "aff-1", "s-1", "2026-03-01T10:00:00Z"),
            Json.click("c-1", "aff-2", "s-1", "2026-03-01T10:20:00Z"),
            Json.click("c-3", "aff-3", "s-3", "2026-03-01T13:00:00Z"),
            "{\"type\":\"ClockTick\",\"at\":\"2026-03-01T11:00:00Z\"}");
    String routed = Json.click("c-2", "aff-2", "s-2", "2026-03-01T10:10:00Z");
    List<String> after =
        List.of(
            Json.placed("o-1", "order-1", "s-1", "2026-03-01T11:30:00Z", Json.line("toys", 10_000)),
            Json.placed("o-2", "order-2", "s-2", "2026-03-01T11:30:00Z", Json.line("toys", 20_000)),
            Json.placed("o-3", "order-3", "s-3", "2026-03-01T13:30:00Z", Json.line("toys", 40_000)),
            "{\"type\":\"ClockTick\",\"at\":\"2026-03-01T14:00:00Z\"}");
    // Then a clean restart on the same state directory, which keeps the sessions on disk (s-3's
    // click is only there), and a start on the first run's directory, whose sessions are stale
    // (they lack c-4) and must be rebuilt.
    List<String> later =
        List.of(
            Json.click("c-4", "aff-4", "s-4", "2026-03-01T14:10:00Z"),
            Json.placed("o-5", "order-5", "s-3", "2026-03-01T14:30:00Z", Json.line("toys", 8_000)),
            "{\"type\":\"ClockTick\",\"at\":\"2026-03-01T15:00:00Z\"}");
    List<String> last =
        List.of(
            Json.placed("o-4", "order-4", "s-4", "2026-03-01T15:30:00Z", Json.line("toys", 30_000)),
            "{\"type\":\"ClockTick\",\"at\":\"2026-03-01T16:00:00Z\"}");
    ReferenceModel model = new ReferenceModel(LedgerRules.DEFAULTS);
    model.publish(routed);
    before.forEach(model::publish);
    after.forEach(model::publish);
    Result expected = model.result();
    assertThat(expected.journal().keySet())
        .as("every order earns its click's affiliate commission")
        .containsExactlyInAnyOrder("aff-1", "aff-2", "aff-3");
    later.forEach(model::publish);
    last.forEach(model::publish);
    Result expectedAtLast = model.result();
    assertThat(expectedAtLast.journal().keySet())
        .containsExactlyInAnyOrder("aff-1", "aff-2", "aff-3", "aff-4");

    Ledger first = startLedger("rebuild", Map.of());
    EventJson.Parsed click = (EventJson.Parsed) EventJson.parse(routed);
    String clicks = first.namespace().name(Topics.CLICKS);
    int owner =
        Utils.toPositive(Utils.murmur2("s-2".getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
    try (var producer =
        new KafkaProducer<byte[], byte[]>(
            kafka.clientProperties(), new ByteArraySerializer(), new ByteArraySerializer())) {
      producer
          .send(
              new ProducerRecord<>(
                  clicks,
                  (owner + 1) % PARTITIONS,
                  click.timestamp().toEpochMilli(),
                  "s-2".getBytes(StandardCharsets.UTF_8),
                  serdes
                      .serde(ClickRecorded.class)
                      .serializer()
                      .serialize(clicks, (ClickRecorded) click.value())))
          .get();
    }
    assertThat(first.publisher().publish(before).rejected()).isEmpty();
    awaitInputsCommitted(first);
    first.streams().close();
    // The runs share the first's publisher: each but the last closes only its Kafka Streams.
    Ledger second = first.restart(Map.of(), "restarted");
    try {
      assertThat(second.publisher().publish(after).rejected()).isEmpty();
      assertTheLedgerIs(expected, second);
      assertThat(kafka.admin().listTopics().names().get())
          .as("the sessions have no changelog")
          .noneMatch(
              topic -> topic.startsWith(second.applicationId()) && topic.contains("sessions"))
          .anyMatch(topic -> topic.startsWith(second.applicationId()) && topic.contains("orders"));
    } finally {
      second.streams().close();
    }
    Ledger third = first.restart(Map.of(), "restarted");
    try {
      assertThat(third.publisher().publish(later).rejected()).isEmpty();
      awaitInputsCommitted(third);
    } finally {
      third.streams().close();
    }
    try (Ledger fourth = first.restart(Map.of(), "")) {
      assertThat(fourth.publisher().publish(last).rejected()).isEmpty();
      assertTheLedgerIs(expectedAtLast, fourth);
    }
  }

  private static boolean isTick(String line) {
    return line.contains("\"ClockTick\"");
  }

  /** Waits until the application has committed every input record published so far. */
  private void awaitInputsCommitted(Ledger ledger) throws Exception {
    List<TopicPartition> inputs = new ArrayList<>();
    for (Topic<?> topic : Topics.inputs()) {
      for (int p = 0; p < PARTITIONS; p++) {
        inputs.add(new TopicPartition(ledger.namespace().name(topic), p));
      }
    }
    Map<TopicPartition, Long> ends = new LinkedHashMap<>();
    try (var consumer =
        new KafkaConsumer<byte[], byte[]>(
            kafka.clientProperties(), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      ends.putAll(consumer.endOffsets(inputs));
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (true) {
      var committed =
          kafka
              .admin()
              .listConsumerGroupOffsets(ledger.applicationId())
              .partitionsToOffsetAndMetadata()
              .get();
      boolean done = true;
      for (var end : ends.entrySet()) {
        var offset = committed.get(end.getKey());
        if (end.getValue() > 0 && (offset == null || offset.offset() < end.getValue())) {
          done = false;
        }
      }
      if (done) {
        return;
      }
      assertThat(System.nanoTime()).as("inputs committed in time").isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  /** The ledger's outputs are the reference model's. */
  private void assertTheLedgerIs(Result expected, Ledger ledger) {
    TopicNamespace namespace = ledger.namespace();
    {
      int expectedEntries = expected.journal().values().stream().mapToInt(List::size).sum();
      List<JournalEntry> journal = read(namespace, Topics.JOURNAL, expectedEntries);
      List<WithdrawalDecision> decisions =
          read(
              namespace,
              Topics.WITHDRAWAL_DECISIONS,
              expected.decisions().values().stream().mapToInt(List::size).sum());
      List<Rejection> rejections = read(namespace, Topics.REJECTIONS, expected.rejections().size());
      assertThat(ledger.streams().isRunning()).isTrue();

      assertThat(Outputs.journalByAffiliate(journal)).isEqualTo(expected.journal());
      assertThat(Outputs.decisionsByAffiliate(decisions)).isEqualTo(expected.decisions());
      assertThat(Outputs.rejected(rejections))
          .containsExactlyInAnyOrderElementsOf(expected.rejections());
      Map<String, Balance> balances = new LinkedHashMap<>();
      for (Balance balance : this.<Balance>read(namespace, Topics.BALANCES, 0)) {
        balances.put(balance.getAffiliateId(), balance);
      }
      assertThat(balances.keySet()).isEqualTo(expected.accounts().keySet());
      for (Map.Entry<String, Account> account : expected.accounts().entrySet()) {
        assertThat(Outputs.figures(balances.get(account.getKey())))
            .as(account.getKey())
            .isEqualTo(Outputs.figures(account.getValue()));
      }
    }
  }

  /** A fresh set of topics and a running topology on them. */
  private record Ledger(
      TopicNamespace namespace,
      LedgerStreams streams,
      EventPublisher publisher,
      String handover,
      String applicationId,
      Ledger.Starter starter)
      implements AutoCloseable {

    interface Starter {
      LedgerStreams start(Map<String, String> settings, String stateName);
    }

    /** The same application on the same topics, started again with {@code settings}. */
    Ledger restart(Map<String, String> settings, String stateName) {
      return new Ledger(
          namespace,
          starter.start(settings, stateName),
          publisher,
          handover,
          applicationId,
          starter);
    }

    @Override
    public void close() {
      publisher.close();
      streams.close();
    }
  }

  private Ledger startLedger(String name) {
    return startLedger(name, Map.of());
  }

  private Ledger startLedger(String name, Map<String, String> settings) {
    TopicNamespace namespace = TopicNamespace.prefixed(KafkaClusterExtension.uniqueName(name));
    new TopicAdmin(kafka.admin()).ensure(namespace, Topics.all(), PARTITIONS, (short) 1);
    String applicationId = KafkaClusterExtension.uniqueName("ledger");
    LedgerTopology.Config config =
        new LedgerTopology.Config(
            namespace, namespace, PARTITIONS, LedgerRules.DEFAULTS, serdes, applicationId);
    Ledger.Starter starter =
        (startSettings, stateName) ->
            LedgerStreams.startLedger(
                config,
                LedgerStreams.config(
                    applicationId,
                    kafka.bootstrapServers(),
                    stateDir.resolve(namespace.prefix() + stateName),
                    startSettings));
    return new Ledger(
        namespace,
        starter.start(settings, ""),
        EventPublisher.connect(kafka.bootstrapServers(), serdes, namespace),
        config.handoverTopic(),
        applicationId,
        starter);
  }

  @Test
  void shouldHoldTheWithdrawalBoundariesEndToEnd() {
    try (Ledger ledger = startLedger("boundaries")) {
      List<String> events = new ArrayList<>();
      // Balances reached on 2026-02-02: 1600, 1601, 5000 (x3: fee, above the balance, bad IBAN
      // and a re-used id).
      String[][] affiliates = {{"exact", "20000"}, {"above", "20012"}, {"rich", "62500"}};
      for (String[] affiliate : affiliates) {
        String id = affiliate[0];
        events.add(Json.click("c-" + id, id, "s-" + id, "2026-01-05T10:00:00Z"));
        events.add(
            Json.placed(
                "p-" + id,
                "o-" + id,
                "s-" + id,
                "2026-01-05T10:00:00Z",
                Json.line("toys", Long.parseLong(affiliate[1]))));
        events.add(Json.completed("d-" + id, "o-" + id, "2026-01-06T00:00:00Z"));
      }
      events.add(Json.withdrawal("w-exact", "w1", "exact", null, "2026-02-03T00:00:00Z"));
      events.add(Json.withdrawal("w-above", "w1", "above", null, "2026-02-03T00:00:00Z"));
      events.add(Json.withdrawal("w-fee", "w1", "rich", 1500L, "2026-02-03T00:00:00Z"));
      events.add(Json.withdrawal("w-more", "w2", "rich", 5001L, "2026-02-03T01:00:00Z"));
      events.add(
          Json.withdrawal(
              "w-iban", "w3", "rich", 2000L, "DE89370400440532013001", "2026-02-03T02:00:00Z"));
      events.add(Json.withdrawal("w-ok", "w4", "rich", 2000L, "2026-02-03T03:00:00Z"));
      events.add(Json.withdrawal("w-again", "w4", "rich", 2000L, "2026-02-03T04:00:00Z"));
      events.add("{\"type\":\"ClockTick\",\"at\":\"2026-02-04T00:00:00Z\"}");
      assertThat(ledger.publisher().publish(events).rejected()).isEmpty();

      Map<String, WithdrawalDecision> decisions = new LinkedHashMap<>();
      for (WithdrawalDecision decision : read(ledger.namespace(), Topics.WITHDRAWAL_DECISIONS, 7)) {
        decisions.put(decision.getCausingEventId(), decision);
      }

      assertThat(decisions.get("w-exact").getReason()).isEqualTo("BALANCE_NOT_ABOVE_MINIMUM");
      assertThat(decisions.get("w-above").getStatus().name()).isEqualTo("ACCEPTED");
      assertThat(decisions.get("w-above").getPayoutCents()).isEqualTo(101);
      assertThat(decisions.get("w-fee").getReason()).isEqualTo("AMOUNT_NOT_ABOVE_FEE");
      assertThat(decisions.get("w-more").getReason()).isEqualTo("AMOUNT_EXCEEDS_BALANCE");
      assertThat(decisions.get("w-iban").getReason()).isEqualTo("INVALID_BANK_ACCOUNT");
      assertThat(decisions.get("w-ok").getStatus().name()).isEqualTo("ACCEPTED");
      assertThat(decisions.get("w-again").getReason()).isEqualTo("DUPLICATE_WITHDRAWAL");
    }
  }

  @Test
  void shouldDecideAlikeWhenTheCommissionReachesTheLedgerLate() {
    List<String> commission =
        List.of(
            Json.click("c1", "aff-1", "s1", "2026-01-05T10:00:00Z"),
            Json.placed("p1", "o1", "s1", "2026-01-05T10:00:00Z", Json.line("toys", 62500)),
            Json.completed("d1", "o1", "2026-01-06T00:00:00Z"),
            Json.refunded("f1", "o1", 31250, "2026-02-02T12:00:00Z"));
    List<String> requests =
        List.of(
            Json.withdrawal("q1", "w1", "aff-1", 3000L, "2026-02-02T06:00:00Z"),
            Json.withdrawal("q2", "w2", "aff-1", 1700L, "2026-02-02T18:00:00Z"));
    String tick = "{\"type\":\"ClockTick\",\"at\":\"2026-02-03T00:00:00Z\"}";
    List<String> inOrder = new ArrayList<>(commission);
    inOrder.addAll(requests);
    inOrder.add(tick);
    List<String> commissionLate = new ArrayList<>(requests);

    try (Ledger natural = startLedger("natural");
        Ledger delayed = startLedger("delayed")) {
      natural.publisher().publish(inOrder);
      delayed.publisher().publish(commissionLate);
      // The requests have been read (and wait) before the commission they depend on arrives.
      assertThat(read(delayed.namespace(), Topics.WITHDRAWAL_DECISIONS, 0)).isEmpty();
      List<String> rest = new ArrayList<>(commission);
      rest.add(tick);
      delayed.publisher().publish(rest);

      List<WithdrawalDecision> expected = read(natural.namespace(), Topics.WITHDRAWAL_DECISIONS, 2);
      List<WithdrawalDecision> actual = read(delayed.namespace(), Topics.WITHDRAWAL_DECISIONS, 2);
      assertThat(actual).isEqualTo(expected);
      assertThat(expected)
          .extracting(d -> d.getStatus().name() + "/" + d.getReason())
          .containsExactly("ACCEPTED/null", "REJECTED/BALANCE_NOT_ABOVE_MINIMUM");
      assertThat(Outputs.journalByAffiliate(read(delayed.namespace(), Topics.JOURNAL, 0)))
          .isEqualTo(Outputs.journalByAffiliate(read(natural.namespace(), Topics.JOURNAL, 0)));
    }
  }

  /**
   * Reads a topic until {@code expected} records came, and a moment longer to see extras; with 0,
   * whatever is there.
   */
  private <V extends SpecificRecord> List<V> read(
      TopicNamespace namespace, Topic<V> topic, int expected) {
    String name = namespace.name(topic);
    List<ConsumerRecord<byte[], byte[]>> records =
        expected == 0
            ? kafka.readAll(name, Integer.MAX_VALUE, Duration.ofSeconds(3))
            : kafka.readAll(name, expected, Duration.ofSeconds(90), Duration.ofSeconds(2));
    List<V> values = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record : records) {
      values.add(topic.valueSerde(serdes).deserializer().deserialize(name, record.value()));
    }
    return values;
  }
}
