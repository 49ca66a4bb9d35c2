package com.portals.ledger.projections.query;

import com.portals.ledger.avro.events.ClickRecorded;
import com.portals.ledger.avro.internal.AccountState;
import com.portals.ledger.avro.internal.CycleAmount;
import com.portals.ledger.avro.ledger.Balance;
import com.portals.ledger.avro.ledger.JournalEntry;
import com.portals.ledger.avro.ledger.OrderState;
import com.portals.ledger.avro.ledger.Rejection;
import com.portals.ledger.avro.ledger.WithdrawalDecision;
import com.portals.ledger.domain.time.SettlementCalendar;
import com.portals.ledger.projections.payout.BatchSummaries;
import com.portals.ledger.projections.payout.BatchSummary;
import com.portals.ledger.projections.payout.PayoutRow;
import com.portals.ledger.projections.payout.PayoutRows;
import com.portals.ledger.projections.store.AffiliateChecks;
import com.portals.ledger.projections.store.Findings;
import com.portals.ledger.projections.store.ProjectionStores;
import com.portals.ledger.projections.store.RunningTotals;
import com.portals.ledger.projections.store.RunningTotals.Total;
import com.portals.ledger.schemas.keys.Keys;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Reads this instance's query stores. Every method reads what this instance holds; routing a query
 * to the instance that holds an affiliate is {@link QueryRouter}'s job. Large answers are handed to
 * a consumer one row at a time, straight from a store iterator, never collected.
 *
 * @throws StoreUnavailableException (from every method) while the stores cannot be read: the
 *     instance is starting, rebalancing or restoring
 */
public final class ReadModel {

  private final KafkaStreams streams;
  private final SettlementCalendar calendar;

  public ReadModel(KafkaStreams streams, SettlementCalendar calendar) {
    this.streams = streams;
    this.calendar = calendar;
  }

  /** An affiliate's account as the API shows it. */
  public record BalanceView(
      String affiliateId,
      long pendingCents,
      long awaitingRefreshCents,
      long balanceCents,
      long withdrawnCents,
      long feesCents,
      Instant nextRefreshAt,
      Instant asOf,
      long entries) {}

  /**
   * Receives a scan's entries in key order with their store keys (what a page's cursor names), and
   * answers whether to go on.
   */
  public interface Visitor<V> {
    boolean visit(Bytes key, V value);
  }

  /** What every key of the affiliate starts with, in each store of an affiliate's rows. */
  public static Bytes keysOf(String affiliateId) {
    return ProjectionStores.prefix(affiliateId);
  }

  /** The ledger's time: the latest clock tick it has read (EPOCH before the first). */
  public Instant now() {
    Long now = store(ProjectionStores.CLOCK, String.class, Long.class).get(ProjectionStores.NOW);
    return now == null ? Instant.EPOCH : Instant.ofEpochMilli(now);
  }

  /**
   * The affiliate's account now, or as of {@code asOf} (after every entry effective at or before
   * it); empty if the affiliate has no journal entry at all (by then).
   */
  public Optional<BalanceView> balance(String affiliateId, Instant asOf) {
    if (asOf == null) {
      AccountState latest =
          store(ProjectionStores.ACCOUNTS, String.class, AccountState.class).get(affiliateId);
      Instant now = now();
      return Optional.ofNullable(latest)
          .map(state -> view(state, now.isAfter(state.getAsOf()) ? now : state.getAsOf()));
    }
    ReadOnlyKeyValueStore<Bytes, AccountState> history =
        store(ProjectionStores.BALANCE_HISTORY, Bytes.class, AccountState.class);
    Bytes from = ProjectionStores.prefix(affiliateId);
    Bytes to = Keys.afterPrefix(ProjectionStores.at(affiliateId, asOf));
    try (KeyValueIterator<Bytes, AccountState> it = history.reverseRange(from, to)) {
      while (it.hasNext()) {
        KeyValue<Bytes, AccountState> entry = it.next();
        if (entry.key.compareTo(to) < 0) {
          return Optional.of(view(entry.value, asOf));
        }
      }
    }
    return Optional.empty();
  }

  /** Whether the affiliate has any journal entry. */
  public boolean hasAccount(String affiliateId) {
    return store(ProjectionStores.ACCOUNTS, String.class, AccountState.class).get(affiliateId)
        != null;
  }

  private BalanceView view(AccountState state, Instant at) {
    long awaiting = 0;
    Long firstCycle = null;
    for (CycleAmount bucket : state.getAwaiting()) {
      awaiting += bucket.getCents();
      if (firstCycle == null || bucket.getCycle() < firstCycle) {
        firstCycle = bucket.getCycle();
      }
    }
    Instant nextRefresh =
        firstCycle == null
            ? calendar.nextCloseAfter(at)
            : calendar.postingInstantOfCycle(firstCycle);
    return new BalanceView(
        state.getAffiliateId(),
        state.getPendingCents(),
        awaiting,
        state.getBalanceCents(),
        state.getWithdrawnCents(),
        state.getFeesCents(),
        nextRefresh,
        state.getAsOf(),
        state.getEntryCount());
  }

  /** Every withdrawal of the affiliate, latest decision each. */
  public void withdrawals(String affiliateId, Consumer<WithdrawalDecision> sink) {
    withdrawals(affiliateId, null, everything(sink));
  }

  /** The affiliate's withdrawals with keys after {@code after} (null: all), until told to stop. */
  public void withdrawals(String affiliateId, Bytes after, Visitor<WithdrawalDecision> visitor) {
    scanAffiliate(
        ProjectionStores.WITHDRAWALS, WithdrawalDecision.class, affiliateId, after, visitor);
  }

  /** The affiliate's journal, oldest entry first. */
  public void journal(String affiliateId, Consumer<JournalEntry> sink) {
    journal(affiliateId, null, everything(sink));
  }

  /**
   * The affiliate's journal entries after the key {@code after} (null: all), until told to stop.
   */
  public void journal(String affiliateId, Bytes after, Visitor<JournalEntry> visitor) {
    scanAffiliate(ProjectionStores.JOURNAL, JournalEntry.class, affiliateId, after, visitor);
  }

  /** Journal entries effective in [{@code from}, {@code to}), in effective order. */
  public void journalBetween(
      String affiliateId, Instant from, Instant to, Consumer<JournalEntry> sink) {
    ReadOnlyKeyValueStore<Bytes, AccountState> history =
        store(ProjectionStores.BALANCE_HISTORY, Bytes.class, AccountState.class);
    ReadOnlyKeyValueStore<Bytes, JournalEntry> journal =
        store(ProjectionStores.JOURNAL, Bytes.class, JournalEntry.class);
    Bytes lower =
        from == null
            ? ProjectionStores.prefix(affiliateId)
            : ProjectionStores.at(affiliateId, from);
    Bytes upper =
        to == null
            ? Keys.afterPrefix(ProjectionStores.prefix(affiliateId))
            : ProjectionStores.at(affiliateId, to);
    try (KeyValueIterator<Bytes, AccountState> it = history.range(lower, upper)) {
      while (it.hasNext()) {
        KeyValue<Bytes, AccountState> entry = it.next();
        if (entry.key.compareTo(upper) < 0) {
          JournalEntry journalEntry =
              journal.get(ProjectionStores.journalKey(affiliateId, entry.value.getEntryCount()));
          if (journalEntry != null) {
            sink.accept(journalEntry);
          }
        }
      }
    }
  }

  /**
   * The affiliate's orders placed in [{@code from}, {@code to}) (either may be null), by order
   * time.
   */
  public void ordersPlaced(
      String affiliateId, Instant from, Instant to, Consumer<OrderState> sink) {
    ordersPlaced(affiliateId, from, to, null, everything(sink));
  }

  /**
   * The affiliate's orders placed in [{@code from}, {@code to}) (either may be null) with keys
   * after {@code after} (null: from the first), by order time, until told to stop.
   */
  public void ordersPlaced(
      String affiliateId, Instant from, Instant to, Bytes after, Visitor<OrderState> visitor) {
    scanTime(ProjectionStores.ORDERS, OrderState.class, affiliateId, from, to, after, visitor);
  }

  /** Clicks on the affiliate's links in [{@code from}, {@code to}) (either may be null). */
  public void clicks(String affiliateId, Instant from, Instant to, Consumer<ClickRecorded> sink) {
    scanTime(
        ProjectionStores.CLICKS,
        ClickRecorded.class,
        affiliateId,
        from,
        to,
        null,
        everything(sink));
  }

  /** This instance's part of the finance summary, from the running totals of its tasks. */
  public FinanceSummary localSummary() {
    long[] t = localTotals();
    return new FinanceSummary(
        t[Total.AFFILIATES.ordinal()],
        t[Total.JOURNAL_PENDING.ordinal()],
        t[Total.JOURNAL_AWAITING.ordinal()],
        t[Total.JOURNAL_BALANCE.ordinal()],
        t[Total.JOURNAL_WITHDRAWN.ordinal()],
        t[Total.JOURNAL_FEES.ordinal()],
        t[Total.ACCEPTED_COUNT.ordinal()],
        t[Total.REJECTED_COUNT.ordinal()],
        t[Total.PAID_COUNT.ordinal()],
        t[Total.FAILED_COUNT.ordinal()],
        t[Total.ACCEPTED_PAYOUT.ordinal()],
        t[Total.UNATTRIBUTED_ORDERS.ordinal()],
        t[Total.UNATTRIBUTED_AMOUNT.ordinal()]);
  }

  /** The journal entries of the affiliates this instance holds, by kind. */
  public Map<String, Long> localEntriesByKind() {
    Map<String, Long> counts = new TreeMap<>();
    RunningTotals.entriesByKind(localTotals())
        .forEach((kind, count) -> counts.put(kind.name(), count));
    return counts;
  }

  /** The running totals of every task this instance holds, added up. */
  private long[] localTotals() {
    long[] sum = RunningTotals.empty();
    try (KeyValueIterator<String, byte[]> it =
        store(ProjectionStores.TOTALS, String.class, byte[].class).all()) {
      while (it.hasNext()) {
        sum = RunningTotals.plus(sum, RunningTotals.decode(it.next().value));
      }
    }
    return sum;
  }

  /**
   * This instance's accepted withdrawals that are in no payout batch and have a bank account to
   * pay.
   */
  public PayoutRows localPayable() {
    List<PayoutRow> rows = new ArrayList<>();
    payouts(ProjectionStores.payable(), decision -> rows.add(PayoutRow.of(decision)));
    return new PayoutRows(rows);
  }

  /** This instance's withdrawals in payout batch {@code batchId}, or in any batch if null. */
  public PayoutRows localBatched(String batchId) {
    List<PayoutRow> rows = new ArrayList<>();
    payouts(ProjectionStores.batched(batchId), decision -> rows.add(PayoutRow.of(decision)));
    return new PayoutRows(rows);
  }

  /** This instance's parts of every payout batch's summary. */
  public BatchSummaries localBatches() {
    List<BatchSummary> parts = new ArrayList<>();
    try (KeyValueIterator<String, byte[]> it =
        store(ProjectionStores.PAYOUT_BATCHES, String.class, byte[].class).all()) {
      it.forEachRemaining(entry -> parts.add(BatchSummary.decode(entry.key, entry.value)));
    }
    return new BatchSummaries(parts);
  }

  private void payouts(Bytes prefix, Consumer<WithdrawalDecision> sink) {
    Bytes end = Keys.afterPrefix(prefix);
    try (KeyValueIterator<Bytes, WithdrawalDecision> it =
        store(ProjectionStores.PAYOUTS, Bytes.class, WithdrawalDecision.class).range(prefix, end)) {
      while (it.hasNext()) {
        KeyValue<Bytes, WithdrawalDecision> entry = it.next();
        if (entry.key.compareTo(end) < 0) {
          sink.accept(entry.value);
        }
      }
    }
  }

  /** What this instance holds, summed over every affiliate (the check of the running totals). */
  public FinanceSummary localSummaryFull() {
    FinanceSummary.Builder summary = new FinanceSummary.Builder();
    Instant now = now();
    try (KeyValueIterator<String, AccountState> it =
        store(ProjectionStores.ACCOUNTS, String.class, AccountState.class).all()) {
      while (it.hasNext()) {
        summary.add(view(it.next().value, now));
      }
    }
    try (KeyValueIterator<Bytes, WithdrawalDecision> it =
        store(ProjectionStores.WITHDRAWALS, Bytes.class, WithdrawalDecision.class).all()) {
      while (it.hasNext()) {
        WithdrawalDecision decision = it.next().value;
        summary.addWithdrawal(decision.getStatus(), decision.getPayoutCents());
      }
    }
    ordersPlaced(
        ProjectionStores.UNATTRIBUTED,
        null,
        null,
        order -> summary.addUnattributed(order.getAmountCents()));
    return summary.build();
  }

  /** The affiliates this instance holds, first as {@code query} orders them. */
  public AffiliateRanking localRanking(AffiliateRanking.Query query) {
    AffiliateRanking.Builder ranking = new AffiliateRanking.Builder(query);
    Instant now = now();
    try (KeyValueIterator<String, AccountState> it =
        store(ProjectionStores.ACCOUNTS, String.class, AccountState.class).all()) {
      while (it.hasNext()) {
        AccountState state = it.next().value;
        ranking.add(view(state, now.isAfter(state.getAsOf()) ? now : state.getAsOf()));
      }
    }
    return ranking.build();
  }

  /** The rejections this instance holds that match {@code query}, in time order. */
  public RejectionPage localRejections(RejectionPage.Query query) {
    RejectionPage.Builder page = new RejectionPage.Builder(query);
    ReadOnlyKeyValueStore<Bytes, Rejection> rejections =
        store(ProjectionStores.REJECTIONS, Bytes.class, Rejection.class);
    Period period = query.period();
    try (KeyValueIterator<Bytes, Rejection> it =
        period.from() == null && period.to() == null
            ? rejections.all()
            : rejections.range(
                period.from() == null ? null : ProjectionStores.rejectionsFrom(period.from()),
                period.to() == null ? null : ProjectionStores.rejectionsFrom(period.to()))) {
      while (it.hasNext()) {
        KeyValue<Bytes, Rejection> entry = it.next();
        Instant at = Keys.instantAt(entry.key, 0);
        if (period.contains(at)) {
          page.add(at, entry.value);
        }
      }
    }
    return page.build();
  }

  /**
   * This instance's part of the reconciliation, from the running totals and the findings the read
   * side keeps as records arrive.
   */
  public Reconciliation localReconciliation() {
    long[] t = localTotals();
    List<Reconciliation.Difference> found = new ArrayList<>();
    try (KeyValueIterator<Bytes, String> it =
        store(ProjectionStores.DIFFERENCES, Bytes.class, String.class).all()) {
      while (it.hasNext() && found.size() < Reconciliation.MAX_DIFFERENCES) {
        for (AffiliateChecks.Finding finding : Findings.decodeAll(it.next().value)) {
          if (found.size() < Reconciliation.MAX_DIFFERENCES) {
            found.add(Reconciliation.Difference.of(finding));
          }
        }
      }
    }
    return Reconciliation.of(t, found);
  }

  /** Reconciliation of the affiliates this instance holds, every journal folded again. */
  public Reconciliation localReconciliationFull() {
    ReadOnlyKeyValueStore<String, AccountState> folded =
        store(ProjectionStores.ACCOUNTS, String.class, AccountState.class);
    ReadOnlyKeyValueStore<String, Balance> balances =
        store(ProjectionStores.LEDGER_BALANCES, String.class, Balance.class);
    SortedSet<String> affiliates = new TreeSet<>();
    try (KeyValueIterator<String, AccountState> it = folded.all()) {
      it.forEachRemaining(entry -> affiliates.add(entry.key));
    }
    try (KeyValueIterator<String, Balance> it = balances.all()) {
      it.forEachRemaining(entry -> affiliates.add(entry.key));
    }
    Reconciliation.Builder report = new Reconciliation.Builder();
    for (String affiliateId : affiliates) {
      List<JournalEntry> entries = new ArrayList<>();
      journal(affiliateId, entries::add);
      List<WithdrawalDecision> decisions = new ArrayList<>();
      withdrawals(affiliateId, decisions::add);
      report.add(
          affiliateId, folded.get(affiliateId), balances.get(affiliateId), entries, decisions);
    }
    return report.build();
  }

  private static <V> Visitor<V> everything(Consumer<V> sink) {
    return (key, value) -> {
      sink.accept(value);
      return true;
    };
  }

  private <V> void scanAffiliate(
      String storeName, Class<V> type, String affiliateId, Bytes after, Visitor<V> visitor) {
    Bytes prefix = ProjectionStores.prefix(affiliateId);
    scan(storeName, type, prefix, Keys.afterPrefix(prefix), after, visitor);
  }

  private <V> void scanTime(
      String storeName,
      Class<V> type,
      String affiliateId,
      Instant from,
      Instant to,
      Bytes after,
      Visitor<V> visitor) {
    Bytes lower =
        from == null
            ? ProjectionStores.prefix(affiliateId)
            : ProjectionStores.at(affiliateId, from);
    Bytes upper =
        to == null
            ? Keys.afterPrefix(ProjectionStores.prefix(affiliateId))
            : ProjectionStores.at(affiliateId, to);
    scan(storeName, type, lower, upper, after, visitor);
  }

  /**
   * The entries with keys in [{@code lower}, {@code upper}) and after {@code after} (when given),
   * in key order, until the visitor says stop.
   */
  private <V> void scan(
      String storeName, Class<V> type, Bytes lower, Bytes upper, Bytes after, Visitor<V> visitor) {
    Bytes start = after != null && after.compareTo(lower) > 0 ? after : lower;
    if (start.compareTo(upper) >= 0) {
      return;
    }
    ReadOnlyKeyValueStore<Bytes, V> store = store(storeName, Bytes.class, type);
    try (KeyValueIterator<Bytes, V> it = store.range(start, upper)) {
      while (it.hasNext()) {
        KeyValue<Bytes, V> entry = it.next();
        if (entry.key.compareTo(upper) >= 0) {
          return;
        }
        if (!entry.key.equals(after) && !visitor.visit(entry.key, entry.value)) {
          return;
        }
      }
    }
  }

  private <K, V> ReadOnlyKeyValueStore<K, V> store(String name, Class<K> keys, Class<V> values) {
    if (streams.state() != KafkaStreams.State.RUNNING) {
      throw new StoreUnavailableException("the read side is " + streams.state() + ", not RUNNING");
    }
    try {
      return streams.store(
          StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<K, V>keyValueStore()));
    } catch (InvalidStateStoreException e) {
      throw new StoreUnavailableException(
          "store " + name + " cannot be read now: " + e.getMessage(), e);
    }
  }
}
