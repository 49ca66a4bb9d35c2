package com.portals.ledger.app.bench;

import com.portals.ledger.avro.ledger.EntryKind;
import com.portals.ledger.avro.ledger.JournalEntry;
import com.portals.ledger.avro.ledger.OrderState;
import com.portals.ledger.avro.ledger.Rejection;
import com.portals.ledger.avro.ledger.WithdrawalDecision;
import com.portals.ledger.schemas.serde.AvroSerde;
import com.portals.ledger.schemas.serde.LedgerSerdes;
import com.portals.ledger.schemas.topics.Topics;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reads what the ledger writes ({@link #TOPICS}, {@code read_committed}, through a {@link
 * TopicReader}) and matches it with the events that caused it: the outputs the pre-published
 * history owes, then those of the events published live, whose latencies it records.
 *
 * <p>An event is accounted for by a journal entry of a commission movement it caused ({@code
 * causingEventId}: accrued, completed, cancelled, refunded) or by the decision on it (withdrawal
 * requests). The balance of the entry's affiliate is written in the same transaction as the entry,
 * so it becomes readable at the same instant. An order's state without commission accounts, as
 * wrong, for its events; a rejection, for the event it names.
 */
final class OutputWatcher implements TopicReader.Handler {

  /** The ledger's output topics the watcher reads. */
  static final List<String> TOPICS =
      List.of(
          Topics.JOURNAL.name(),
          Topics.BALANCES.name(),
          Topics.WITHDRAWAL_DECISIONS.name(),
          Topics.ORDER_STATES.name(),
          Topics.REJECTIONS.name());

  /** Entry kinds that an order event causes: each accounts for its event. */
  private static final Set<EntryKind> OF_ORDER_EVENTS =
      Set.of(
          EntryKind.COMMISSION_ACCRUED,
          EntryKind.COMMISSION_COMPLETED,
          EntryKind.COMMISSION_CANCELLED,
          EntryKind.COMMISSION_REFUNDED);

  /** What the 60-day release names as the cause of the entries it makes. */
  static final String RELEASE_CAUSE = "release:";

  private final AvroSerde<JournalEntry> journalSerde;
  private final AvroSerde<WithdrawalDecision> decisionSerde;
  private final AvroSerde<OrderState> orderSerde;
  private final AvroSerde<Rejection> rejectionSerde;
  private final List<Expectations> expectations = new CopyOnWriteArrayList<>();
  private volatile Latencies latencies;
  private long journalEntries;
  private long releases;
  private long balanceUpdates;
  private final Map<String, Long> entries = new TreeMap<>();
  private final Map<String, Long> decisions = new TreeMap<>();
  private final Map<String, Long> rejections = new TreeMap<>();

  /** Latencies of the events of one workload, by event number. */
  interface Latencies {
    void read(long number, long readNanos);
  }

  OutputWatcher(LedgerSerdes serdes, Expectations history) {
    this.journalSerde = serdes.serde(JournalEntry.class);
    this.decisionSerde = serdes.serde(WithdrawalDecision.class);
    this.orderSerde = serdes.serde(OrderState.class);
    this.rejectionSerde = serdes.serde(Rejection.class);
    expectations.add(history);
  }

  /**
   * From now on, also accounts for the events of {@code live}, and tells {@code latencies} when
   * each one's first output is read. Call before any of them is published.
   */
  void goLive(Expectations live, Latencies latencies) {
    this.latencies = latencies;
    expectations.add(live);
  }

  @Override
  public void handle(ConsumerRecord<String, byte[]> record, long received) {
    String topic = record.topic();
    if (topic.equals(Topics.JOURNAL.name())) {
      JournalEntry entry = journalSerde.deserialize(topic, record.value());
      String cause = entry.getCausingEventId();
      synchronized (this) {
        journalEntries++;
        entries.merge(entry.getKind().name(), 1L, Long::sum);
        releases += cause.startsWith(RELEASE_CAUSE) ? 1 : 0;
      }
      if (OF_ORDER_EVENTS.contains(entry.getKind())) {
        accountFor(cause, received);
      }
    } else if (topic.equals(Topics.BALANCES.name())) {
      synchronized (this) {
        balanceUpdates++;
      }
    } else if (topic.equals(Topics.WITHDRAWAL_DECISIONS.name())) {
      WithdrawalDecision decision = decisionSerde.deserialize(topic, record.value());
      synchronized (this) {
        decisions.merge(decision.getStatus().name(), 1L, Long::sum);
      }
      accountFor(decision.getCausingEventId(), received);
    } else if (topic.equals(Topics.ORDER_STATES.name())) {
      OrderState order = orderSerde.deserialize(topic, record.value());
      if (order.getClick() == null || order.getCommissionCents() <= 0) {
        expectations.forEach(e -> e.withoutCommission(order.getOrderId(), received));
      }
    } else {
      Rejection rejection = rejectionSerde.deserialize(topic, record.value());
      synchronized (this) {
        rejections.merge(rejection.getReasonCode(), 1L, Long::sum);
      }
      if (rejection.getEventId() != null) {
        expectations.forEach(e -> e.rejected(rejection.getEventId(), received));
      }
    }
  }

  private void accountFor(String eventId, long received) {
    for (int i = 0; i < expectations.size(); i++) {
      long number = expectations.get(i).accountFor(eventId, received);
      if (number > 0) {
        Latencies live = latencies;
        // The first expectations are the history's, published before the ledger started.
        if (i > 0 && live != null) {
          live.read(number, received);
        }
        return;
      }
    }
  }

  /** What has been read so far. */
  synchronized Counts counts() {
    return new Counts(
        journalEntries,
        releases,
        balanceUpdates,
        new TreeMap<>(entries),
        new TreeMap<>(decisions),
        new TreeMap<>(rejections));
  }

  /**
   * Outputs read so far.
   *
   * @param journalEntries entries on {@code ledger.journal}
   * @param releases of those, entries of the 60-day release
   * @param balanceUpdates records on {@code ledger.balances}
   * @param entries entries by kind
   * @param decisions withdrawal decisions by status
   * @param rejections records of {@code ledger.rejections} by reason code
   */
  record Counts(
      long journalEntries,
      long releases,
      long balanceUpdates,
      Map<String, Long> entries,
      Map<String, Long> decisions,
      Map<String, Long> rejections) {

    long rejectionCount() {
      return rejections.values().stream().mapToLong(Long::longValue).sum();
    }
  }
}
