package com.portals.ledger.app.bench;

import com.portals.ledger.app.bench.BenchWorkload.Batch;
import com.portals.ledger.app.bench.BenchWorkload.Event;
import com.portals.ledger.app.bench.BenchWorkload.Kind;
import com.portals.ledger.avro.ledger.JournalEntry;
import com.portals.ledger.avro.ledger.OrderState;
import com.portals.ledger.avro.ledger.Rejection;
import com.portals.ledger.avro.ledger.WithdrawalDecision;
import com.portals.ledger.domain.rules.LedgerRules;
import com.portals.ledger.schemas.publish.EventPublisher;
import com.portals.ledger.schemas.publish.EventPublisher.Report;
import com.portals.ledger.schemas.publish.InputPositions;
import com.portals.ledger.schemas.serde.AvroSerde;
import com.portals.ledger.schemas.serde.LedgerSerdes;
import com.portals.ledger.schemas.topics.TopicNamespace;
import com.portals.ledger.schemas.topics.Topics;
import com.portals.ledger.streams.LedgerStreams;
import com.portals.ledger.streams.LedgerTopology;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The ledger part of {@code ledger bench}: the ledger's topology, started as {@code ledger run}
 * starts it (exactly-once, its own application id and state directory), is fed the workload through
 * {@link EventPublisher} batch by batch, each batch followed by a tick one millisecond after its
 * last event (what releases the batch: the ledger applies an event only once a later tick has
 * passed every stage), while a {@code read_committed} reader watches the ledger's output topics.
 *
 * <p>What counts as the ledger's output for an event: a journal entry it caused ({@code
 * causingEventId}), a withdrawal decision on its withdrawal, or a rejection naming it. Every order
 * event of the workload must produce one (the orders are all attributed and earn a commission), and
 * every withdrawal request a decision; clicks and rates have no output of their own (a click shows
 * in the attribution of its order). An order the ledger nevertheless applies without its click
 * earns nothing, so its events never reach the journal: they are accounted for by the order's state
 * on {@code ledger.orders} instead, and counted, so that the report can say so rather than wait for
 * them in vain.
 *
 * <p>Out: {@link Result}: the time from the first send to the reading of the last expected output,
 * and the publish-to-balance latency of every event that moved a balance: from the instant the
 * benchmark starts to send the event's batch (the event is sent within that batch, and the tick
 * that releases it right after it) to the instant the reader receives the first journal entry the
 * event caused. The ledger writes an affiliate's balance in the same transaction as the entries
 * that change it, so the balance becomes readable at that same instant. The latency thus includes
 * the publisher's work (JSON to Avro) and the acknowledgement of the batch and of its tick, and
 * every stage of the topology with its exactly-once commits.
 */
final class LedgerBench {

  /** Application id of the ledger under test (its consumer group and internal topic prefix). */
  static final String APPLICATION_ID = "ledger-bench";

  /**
   * What the ledger run measured and saw.
   *
   * @param events benchmark events published (ticks not counted)
   * @param elapsedNanos from the first send to the last expected output read back
   * @param latency publish-to-balance latency of the events that moved a balance
   * @param expectedOutputs events that must show in the ledger's output (order events, withdrawal
   *     requests)
   * @param accounted how many of those did: a journal entry, a decision, a rejection, or an order
   *     state without attribution (see {@code unattributedOrders})
   * @param unattributedOrders orders the ledger applied without their click, hence without
   *     commission; none should be, since every order follows its click by at least a minute
   * @param eventsWithoutCommission the events of those orders, which thus moved no balance
   * @param journalEntries entries read from {@code ledger.journal}
   * @param entriesOfEvents of those, entries caused by benchmark events (the others are balance
   *     postings and 60-day releases, caused by ticks)
   * @param balanceUpdates records read from {@code ledger.balances}
   * @param decisions withdrawal decisions by status
   * @param rejections records of {@code ledger.rejections} by reason code
   */
  record Result(
      int events,
      long elapsedNanos,
      LatencySummary latency,
      int expectedOutputs,
      int accounted,
      int unattributedOrders,
      int eventsWithoutCommission,
      long journalEntries,
      long entriesOfEvents,
      long balanceUpdates,
      Map<String, Long> decisions,
      Map<String, Long> rejections) {
    double eventsPerSecond() {
      return events * 1e9 / elapsedNanos;
    }
  }

  private LedgerBench() {}

  static Result run(
      String bootstrapServers,
      int partitions,
      BenchWorkload workload,
      LedgerSerdes serdes,
      Map<String, String> streamsOverrides,
      Path stateDir,
      int inFlight,
      Duration timeout,
      PrintWriter out)
      throws InterruptedException {
    List<Batch> batches = workload.warmUpThenBatches();
    Outputs outputs = new Outputs(serdes, batches);
    BatchTracker tracker = outputs.tracker;
    long patience = timeout.toNanos();
    LedgerTopology.Config topology =
        new LedgerTopology.Config(
            TopicNamespace.CONTRACT,
            TopicNamespace.CONTRACT,
            partitions,
            LedgerRules.DEFAULTS,
            serdes,
            APPLICATION_ID);
    Properties producerConfig = EventPublisher.producerConfig(bootstrapServers);
    producerConfig.put(ProducerConfig.CLIENT_ID_CONFIG, "ledger-bench-publisher");
    try (LedgerStreams streams =
        LedgerStreams.startLedger(
            topology,
            LedgerStreams.config(APPLICATION_ID, bootstrapServers, stateDir, streamsOverrides))) {
      awaitRunning(streams, System.nanoTime() + patience);
      out.println("  ledger topology running; warming up, then publishing");
      out.flush();
      // The publisher of ledger publish, on a producer of our own so that its metadata can be
      // fetched before the clock starts; closing the publisher closes the producer.
      KafkaProducer<String, byte[]> producer =
          new KafkaProducer<>(producerConfig, new StringSerializer(), new ByteArraySerializer());
      try (EventPublisher publisher =
              new EventPublisher(
                  producer,
                  serdes,
                  TopicNamespace.CONTRACT,
                  InputPositions.of(
                      Admin.create(EventPublisher.adminConfig(bootstrapServers)),
                      Duration.ofSeconds(20)));
          TopicReader reader =
              TopicReader.start(
                  "ledger-bench-output-reader",
                  bootstrapServers,
                  List.of(
                      Topics.JOURNAL.name(),
                      Topics.BALANCES.name(),
                      Topics.WITHDRAWAL_DECISIONS.name(),
                      Topics.ORDER_STATES.name(),
                      Topics.REJECTIONS.name()),
                  outputs)) {
        Topics.inputs().forEach(topic -> producer.partitionsFor(topic.name()));
        Runnable check =
            () -> {
              reader.check();
              healthy(streams);
            };
        Progress progress = new Progress(out, "ledger", workload);
        try {
          tracker.drive(
              inFlight,
              patience,
              check,
              i -> {
                Batch batch = batches.get(i);
                accepted(publisher.publish(batch.events().stream().map(Event::json).toList()));
                accepted(publisher.tick(batch.tickAt()));
                progress.sent(i - 1, tracker);
              });
        } catch (IllegalStateException e) {
          throw new IllegalStateException(e.getMessage() + "; " + outputs.missing(), e);
        }
      }
    }
    return new Result(
        workload.eventCount(),
        tracker.lastArrival() - tracker.sentAt(1),
        LatencySummary.of(tracker.latencies()),
        outputs.expected,
        outputs.accounted,
        outputs.unattributedOrders,
        outputs.eventsWithoutCommission,
        outputs.journalEntries,
        outputs.entriesOfEvents,
        outputs.balanceUpdates,
        outputs.decisions,
        outputs.rejections);
  }

  private static void accepted(Report report) {
    if (!report.allAccepted()) {
      throw new IllegalStateException(
          "the publisher refused a benchmark event: " + report.rejected().get(0).reason());
    }
  }

  private static void awaitRunning(LedgerStreams streams, long deadline)
      throws InterruptedException {
    while (streams.state() != KafkaStreams.State.RUNNING) {
      healthy(streams);
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "the ledger topology did not start in time (state " + streams.state() + ")");
      }
      Thread.sleep(50);
    }
  }

  private static void healthy(LedgerStreams streams) {
    if (!streams.isRunning() && streams.state() != KafkaStreams.State.CREATED) {
      Throwable failure = streams.failure();
      throw new IllegalStateException(
          "the ledger topology stopped (state "
              + streams.state()
              + (failure == null ? ")" : "): " + failure),
          failure);
    }
  }

  /**
   * Matches what the reader sees with the events that caused it. Runs on the reader's thread; the
   * counts are read once the reader is closed.
   */
  private static final class Outputs implements TopicReader.Handler {

    private static final int MISSING_SHOWN = 5;

    private final AvroSerde<JournalEntry> journalSerde;
    private final AvroSerde<WithdrawalDecision> decisionSerde;
    private final AvroSerde<OrderState> orderSerde;
    private final AvroSerde<Rejection> rejectionSerde;

    /**
     * Events still waiting for their first output, by event id: their tracker batch. Concurrent: a
     * failed run names some of them from another thread.
     */
    private final Map<String, Integer> awaited = new ConcurrentHashMap<>();

    /** Events that may move a balance and have not yet been seen to, by event id: their batch. */
    private final Map<String, Integer> latencyCandidates = new HashMap<>();

    private final Map<String, Event> events = new HashMap<>();
    private final Map<String, List<Event>> eventsOfOrder = new HashMap<>();
    private final Map<String, String> eventOfWithdrawal = new HashMap<>();
    private final Set<String> measuredEventIds = new HashSet<>();
    private final Set<String> unattributed = new HashSet<>();
    private final int expected;
    private final BatchTracker tracker;
    private int accounted;
    private int unattributedOrders;
    private int eventsWithoutCommission;
    private long journalEntries;
    private long entriesOfEvents;
    private long balanceUpdates;
    private final Map<String, Long> decisions = new TreeMap<>();
    private final Map<String, Long> rejections = new TreeMap<>();

    /** {@code batches}: the warm-up first (tracker batch 0), then the measured ones. */
    Outputs(LedgerSerdes serdes, List<Batch> batches) {
      this.journalSerde = serdes.serde(JournalEntry.class);
      this.decisionSerde = serdes.serde(WithdrawalDecision.class);
      this.orderSerde = serdes.serde(OrderState.class);
      this.rejectionSerde = serdes.serde(Rejection.class);
      int[] expectedPerBatch = new int[batches.size()];
      int total = 0;
      for (int i = 0; i < batches.size(); i++) {
        for (Event event : batches.get(i).events()) {
          events.put(event.eventId(), event);
          if (event.orderId() != null) {
            eventsOfOrder.computeIfAbsent(event.orderId(), id -> new ArrayList<>()).add(event);
          }
          if (event.withdrawalId() != null) {
            eventOfWithdrawal.put(event.withdrawalId(), event.eventId());
          }
          boolean mustShow =
              event.kind().alwaysJournaled() || event.kind() == Kind.WITHDRAWAL_REQUESTED;
          if (mustShow) {
            awaited.put(event.eventId(), i);
            latencyCandidates.put(event.eventId(), i);
            expectedPerBatch[i]++;
          }
          if (i > 0) {
            measuredEventIds.add(event.eventId());
            total += mustShow ? 1 : 0;
          }
        }
      }
      this.expected = total;
      this.tracker = new BatchTracker(expectedPerBatch, 1);
    }

    @Override
    public void handle(ConsumerRecord<String, byte[]> record, long received) {
      String topic = record.topic();
      boolean warmUp = BenchWorkload.WARM_UP_AFFILIATE.equals(record.key());
      if (topic.equals(Topics.JOURNAL.name())) {
        JournalEntry entry = journalSerde.deserialize(topic, record.value());
        String cause = entry.getCausingEventId();
        if (!BenchWorkload.WARM_UP_AFFILIATE.equals(entry.getAffiliateId())) {
          journalEntries++;
          entriesOfEvents += measuredEventIds.contains(cause) ? 1 : 0;
        }
        Integer candidate = latencyCandidates.remove(cause);
        if (candidate != null) {
          tracker.sample(candidate, received);
        }
        accountFor(cause, received);
      } else if (topic.equals(Topics.BALANCES.name())) {
        balanceUpdates += warmUp ? 0 : 1;
      } else if (topic.equals(Topics.WITHDRAWAL_DECISIONS.name())) {
        WithdrawalDecision decision = decisionSerde.deserialize(topic, record.value());
        decisions.merge(String.valueOf(decision.getStatus()), 1L, Long::sum);
        String event = eventOfWithdrawal.get(decision.getWithdrawalId());
        if (event != null) {
          accountFor(event, received);
        }
      } else if (topic.equals(Topics.ORDER_STATES.name())) {
        OrderState order = orderSerde.deserialize(topic, record.value());
        if (order.getClick() == null) {
          withoutCommission(order.getOrderId(), received);
        }
      } else {
        Rejection rejection = rejectionSerde.deserialize(topic, record.value());
        rejections.merge(rejection.getReasonCode(), 1L, Long::sum);
        if (rejection.getEventId() != null) {
          latencyCandidates.remove(rejection.getEventId());
          accountFor(rejection.getEventId(), received);
        }
      }
    }

    /**
     * A benchmark order the ledger applied without attribution: it happens when the ledger takes
     * the order before its click (the click processed after a tick later than itself), and such an
     * order earns nothing, so none of its events will ever be journaled. They are accounted for as
     * such, and counted, rather than awaited in vain.
     */
    private void withoutCommission(String orderId, long received) {
      List<Event> ofOrder = eventsOfOrder.get(orderId);
      if (ofOrder == null || !unattributed.add(orderId)) {
        return;
      }
      boolean measured = measuredEventIds.contains(ofOrder.get(0).eventId());
      unattributedOrders += measured ? 1 : 0;
      for (Event event : ofOrder) {
        latencyCandidates.remove(event.eventId());
        if (awaited.containsKey(event.eventId()) && measured) {
          eventsWithoutCommission++;
        }
        accountFor(event.eventId(), received);
      }
    }

    /** Some of the events whose output has not been seen, for an error message. */
    String missing() {
      List<String> some =
          awaited.entrySet().stream()
              .sorted(Map.Entry.comparingByValue())
              .limit(MISSING_SHOWN)
              .map(
                  e -> {
                    Event event = events.get(e.getKey());
                    return event.kind() + " " + event.eventId() + " at " + event.at();
                  })
              .toList();
      return "no output yet for " + awaited.size() + " event(s), such as " + some;
    }

    /** The first output of {@code eventId}, if it is awaited: its batch gets one output less. */
    private void accountFor(String eventId, long received) {
      Integer batch = awaited.remove(eventId);
      if (batch != null) {
        tracker.arrived(batch, received);
        if (batch > 0) {
          accounted++;
        }
      }
    }
  }
}
