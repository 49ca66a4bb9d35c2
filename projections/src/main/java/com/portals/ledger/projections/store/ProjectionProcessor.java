package com.portals.ledger.projections.store;

import com.portals.ledger.avro.events.ClickRecorded;
import com.portals.ledger.avro.events.ClockTick;
import com.portals.ledger.avro.internal.AccountState;
import com.portals.ledger.avro.ledger.Balance;
import com.portals.ledger.avro.ledger.JournalEntry;
import com.portals.ledger.avro.ledger.OrderState;
import com.portals.ledger.avro.ledger.Rejection;
import com.portals.ledger.avro.ledger.WithdrawalDecision;
import com.portals.ledger.avro.ledger.WithdrawalStatus;
import com.portals.ledger.domain.account.Withdrawal;
import com.portals.ledger.projections.payout.BatchSummary;
import com.portals.ledger.projections.store.RunningTotals.Total;
import com.portals.ledger.schemas.keys.Keys;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Folds the ledger's outputs into the query stores of {@link ProjectionStores}, one affiliate per
 * key.
 *
 * <p>Account figures are folded from the journal alone (retention -1, so the read side can always
 * be rebuilt): each figure is the negated sum of the legs on its account, withdrawn and fees follow
 * from the withdrawal entries, and awaiting-refresh commission is kept per settlement cycle (the
 * entries name it) so that the next refresh is known as of any instant. A snapshot after every
 * entry makes "balance as of T" one lookup, not a replay.
 */
public final class ProjectionProcessor implements Processor<String, SpecificRecord, Void, Void> {

  private KeyValueStore<String, AccountState> accounts;
  private KeyValueStore<Bytes, AccountState> history;
  private KeyValueStore<Bytes, JournalEntry> journal;
  private KeyValueStore<Bytes, WithdrawalDecision> withdrawals;
  private KeyValueStore<Bytes, OrderState> orders;
  private KeyValueStore<Bytes, ClickRecorded> clicks;
  private KeyValueStore<String, Balance> ledgerBalances;
  private KeyValueStore<Bytes, Rejection> rejections;
  private KeyValueStore<String, Long> clock;
  private KeyValueStore<String, byte[]> totals;
  private KeyValueStore<Bytes, String> differences;
  private KeyValueStore<String, byte[]> withdrawn;
  private KeyValueStore<Bytes, WithdrawalDecision> payouts;
  private KeyValueStore<String, byte[]> payoutBatches;
  private String totalsKey;
  private long[] row;

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    accounts = context.getStateStore(ProjectionStores.ACCOUNTS);
    history = context.getStateStore(ProjectionStores.BALANCE_HISTORY);
    journal = context.getStateStore(ProjectionStores.JOURNAL);
    withdrawals = context.getStateStore(ProjectionStores.WITHDRAWALS);
    orders = context.getStateStore(ProjectionStores.ORDERS);
    clicks = context.getStateStore(ProjectionStores.CLICKS);
    ledgerBalances = context.getStateStore(ProjectionStores.LEDGER_BALANCES);
    rejections = context.getStateStore(ProjectionStores.REJECTIONS);
    clock = context.getStateStore(ProjectionStores.CLOCK);
    totals = context.getStateStore(ProjectionStores.TOTALS);
    differences = context.getStateStore(ProjectionStores.DIFFERENCES);
    withdrawn = context.getStateStore(ProjectionStores.WITHDRAWN);
    payouts = context.getStateStore(ProjectionStores.PAYOUTS);
    payoutBatches = context.getStateStore(ProjectionStores.PAYOUT_BATCHES);
    totalsKey = RunningTotals.key(context.taskId().partition());
  }

  @Override
  public void process(Record<String, SpecificRecord> record) {
    row = RunningTotals.decode(totals.get(totalsKey));
    long[] before = row.clone();
    if (row[Total.INITIALIZED.ordinal()] < RunningTotals.VERSION) {
      rebuildTotals();
    }
    SpecificRecord value = record.value();
    if (value instanceof JournalEntry entry) {
      journal(entry);
    } else if (value instanceof WithdrawalDecision decision) {
      Bytes key = ProjectionStores.withdrawalKey(decision.getAffiliateId(), rowOf(decision));
      WithdrawalDecision previous = withdrawals.get(key);
      tally(previous, -1);
      tally(decision, 1);
      withdrawals.put(key, decision);
      index(previous, decision);
      long[] out = RunningTotals.decode(withdrawn.get(decision.getAffiliateId()), 2);
      out = AffiliateChecks.plus(AffiliateChecks.plus(out, previous, -1), decision, 1);
      withdrawn.put(decision.getAffiliateId(), RunningTotals.encode(out));
      recheck(decision.getAffiliateId());
    } else if (value instanceof OrderState order) {
      String owner =
          order.getClick() == null
              ? ProjectionStores.UNATTRIBUTED
              : order.getClick().getAffiliateId();
      Bytes key = ProjectionStores.orderKey(owner, order.getPlacedAt(), order.getOrderId());
      if (owner.equals(ProjectionStores.UNATTRIBUTED)) {
        OrderState old = orders.get(key);
        add(Total.UNATTRIBUTED_ORDERS, old == null ? 1 : 0);
        add(
            Total.UNATTRIBUTED_AMOUNT,
            order.getAmountCents() - (old == null ? 0 : old.getAmountCents()));
      }
      orders.put(key, order);
    } else if (value instanceof ClickRecorded click) {
      clicks.put(
          ProjectionStores.clickKey(
              click.getAffiliateId(), click.getOccurredAt(), click.getClickId()),
          click);
    } else if (value instanceof Rejection rejection) {
      rejections.put(
          ProjectionStores.rejectionKey(Instant.ofEpochMilli(record.timestamp()), rejection),
          rejection);
    } else if (value instanceof Balance balance) {
      balance(balance);
    } else if (value instanceof ClockTick tick) {
      Long now = clock.get(ProjectionStores.NOW);
      if (now == null || tick.getAt().toEpochMilli() > now) {
        clock.put(ProjectionStores.NOW, tick.getAt().toEpochMilli());
      }
    }
    if (!Arrays.equals(before, row)) {
      totals.put(totalsKey, RunningTotals.encode(row));
    }
  }

  /** Moves the withdrawal's entries in {@link ProjectionStores#PAYOUTS} to its new decision. */
  private void index(WithdrawalDecision previous, WithdrawalDecision decision) {
    Bytes was = payoutKey(previous);
    Bytes is = payoutKey(decision);
    if (was != null && !was.equals(is)) {
      payouts.delete(was);
    }
    if (is != null) {
      payouts.put(is, decision);
    }
    summarize(previous, -1);
    summarize(decision, 1);
  }

  /** Adds a batched withdrawal's decision to its batch's summary ({@code sign} 1), or takes it. */
  private void summarize(WithdrawalDecision decision, int sign) {
    if (decision == null || decision.getBatchId() == null) {
      return;
    }
    BatchSummary part = BatchSummary.of(decision, sign);
    byte[] stored = payoutBatches.get(decision.getBatchId());
    BatchSummary summary =
        stored == null ? part : BatchSummary.decode(decision.getBatchId(), stored).plus(part);
    if (summary.withdrawals() == 0) {
      payoutBatches.delete(decision.getBatchId());
    } else {
      payoutBatches.put(decision.getBatchId(), summary.encode());
    }
  }

  /** Where a decision belongs in {@link ProjectionStores#PAYOUTS}, or null if nowhere. */
  static Bytes payoutKey(WithdrawalDecision decision) {
    if (decision == null) {
      return null;
    }
    if (decision.getBatchId() != null) {
      return ProjectionStores.batchedKey(decision.getBatchId(), decision.getWithdrawalId());
    }
    if (decision.getStatus() == WithdrawalStatus.ACCEPTED && decision.getPayee() != null) {
      return ProjectionStores.payableKey(decision.getAffiliateId(), decision.getWithdrawalId());
    }
    return null;
  }

  /**
   * One row per withdrawal: its later decisions (paid, failed) replace the first; a request that
   * re-used the id gets a row of its own.
   */
  static String rowOf(WithdrawalDecision decision) {
    return Withdrawal.DUPLICATE_WITHDRAWAL.equals(decision.getReason())
        ? decision.getWithdrawalId() + "#" + decision.getCausingEventId()
        : decision.getWithdrawalId();
  }

  private void journal(JournalEntry entry) {
    String affiliate = entry.getAffiliateId();
    AccountState before = accounts.get(affiliate);
    AccountState after =
        JournalFold.fold(before == null ? JournalFold.empty(affiliate) : before, entry);
    accounts.put(affiliate, after);
    history.put(
        ProjectionStores.historyKey(affiliate, entry.getEffectiveAt(), after.getEntryCount()),
        after);
    journal.put(ProjectionStores.journalKey(affiliate, after.getEntryCount()), entry);
    if (before == null) {
      add(Total.AFFILIATES, 1);
      if (ledgerBalances.get(affiliate) == null) {
        add(Total.RECONCILED_AFFILIATES, 1);
      }
    }
    figures(before, -1);
    figures(after, 1);
    row[RunningTotals.kindIndex(entry.getKind())]++;
    AffiliateChecks.entry(affiliate, entry)
        .ifPresent(finding -> find(ProjectionStores.entryFindingKey(finding, entry), finding));
    recheck(affiliate);
  }

  private void balance(Balance balance) {
    String affiliate = balance.getAffiliateId();
    Balance before = ledgerBalances.get(affiliate);
    if (before == null && accounts.get(affiliate) == null) {
      add(Total.RECONCILED_AFFILIATES, 1);
    }
    figures(before, -1);
    figures(balance, 1);
    ledgerBalances.put(affiliate, balance);
    recheck(affiliate);
  }

  // --- running totals and findings (RunningTotals, AffiliateChecks)

  private void add(Total total, long delta) {
    row[total.ordinal()] = Math.addExact(row[total.ordinal()], delta);
  }

  private void figures(AccountState account, int sign) {
    if (account != null) {
      add(Total.JOURNAL_PENDING, sign * account.getPendingCents());
      add(Total.JOURNAL_AWAITING, sign * AffiliateChecks.awaitingCents(account));
      add(Total.JOURNAL_BALANCE, sign * account.getBalanceCents());
      add(Total.JOURNAL_WITHDRAWN, sign * account.getWithdrawnCents());
      add(Total.JOURNAL_FEES, sign * account.getFeesCents());
      add(Total.JOURNAL_ENTRIES, sign * account.getEntryCount());
    }
  }

  private void figures(Balance balance, int sign) {
    if (balance != null) {
      add(Total.BALANCES_PENDING, sign * balance.getPendingCents());
      add(Total.BALANCES_AWAITING, sign * balance.getAwaitingRefreshCents());
      add(Total.BALANCES_BALANCE, sign * balance.getBalanceCents());
      add(Total.BALANCES_WITHDRAWN, sign * balance.getWithdrawnCents());
      add(Total.BALANCES_FEES, sign * balance.getFeesCents());
      add(Total.BALANCES_ENTRIES, sign * balance.getEntryCount());
    }
  }

  /** Counts a withdrawal's latest decision under its status ({@code sign} -1 takes it back). */
  private void tally(WithdrawalDecision decision, int sign) {
    if (decision == null) {
      return;
    }
    int first =
        switch (decision.getStatus()) {
          case ACCEPTED -> Total.ACCEPTED_COUNT.ordinal();
          case PAID -> Total.PAID_COUNT.ordinal();
          case FAILED -> Total.FAILED_COUNT.ordinal();
          case REJECTED -> Total.REJECTED_COUNT.ordinal();
        };
    row[first] += sign;
    row[first + 1] += sign * decision.getAmountCents();
    row[first + 2] += sign * decision.getFeeCents();
    row[first + 3] += sign * decision.getPayoutCents();
  }

  private void find(Bytes key, AffiliateChecks.Finding finding) {
    if (differences.get(key) == null) {
      add(Total.DIFFERENCES, 1);
    }
    differences.put(key, Findings.encode(finding));
  }

  /**
   * Runs the account checks of {@code affiliate} again and keeps what they find, all under one key
   * (two lookups and at most one write per record: this runs for every journal entry, balance and
   * decision).
   */
  private void recheck(String affiliate) {
    long[] out = RunningTotals.decode(withdrawn.get(affiliate), 2);
    List<AffiliateChecks.Finding> found =
        AffiliateChecks.account(
            affiliate, accounts.get(affiliate), ledgerBalances.get(affiliate), out[0], out[1]);
    Bytes key = ProjectionStores.accountFindingsOf(affiliate);
    String stored = differences.get(key);
    if (stored == null && found.isEmpty()) {
      return;
    }
    int before = stored == null ? 0 : Findings.decodeAll(stored).size();
    if (found.isEmpty()) {
      differences.delete(key);
    } else {
      String encoded = Findings.encodeAll(found);
      if (!encoded.equals(stored)) {
        differences.put(key, encoded);
      }
    }
    add(Total.DIFFERENCES, found.size() - before);
  }

  /**
   * Builds this task's row and findings from its stores: once, at its first record, so that stores
   * filled before the row existed are counted.
   */
  private void rebuildTotals() {
    row = RunningTotals.empty();
    List<Bytes> stale = new ArrayList<>();
    try (KeyValueIterator<Bytes, String> it = differences.all()) {
      it.forEachRemaining(entry -> stale.add(entry.key));
    }
    stale.forEach(differences::delete);
    Set<String> affiliates = new TreeSet<>();
    try (KeyValueIterator<String, AccountState> it = accounts.all()) {
      it.forEachRemaining(
          entry -> {
            affiliates.add(entry.key);
            add(Total.AFFILIATES, 1);
            figures(entry.value, 1);
          });
    }
    try (KeyValueIterator<String, Balance> it = ledgerBalances.all()) {
      it.forEachRemaining(
          entry -> {
            affiliates.add(entry.key);
            figures(entry.value, 1);
          });
    }
    add(Total.RECONCILED_AFFILIATES, affiliates.size());
    List<String> stalePayers = new ArrayList<>();
    try (KeyValueIterator<String, byte[]> it = withdrawn.all()) {
      it.forEachRemaining(entry -> stalePayers.add(entry.key));
    }
    stalePayers.forEach(withdrawn::delete);
    Map<String, long[]> out = new HashMap<>();
    try (KeyValueIterator<Bytes, WithdrawalDecision> it = withdrawals.all()) {
      it.forEachRemaining(
          entry -> {
            tally(entry.value, 1);
            out.merge(
                entry.value.getAffiliateId(),
                AffiliateChecks.plus(new long[2], entry.value, 1),
                (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
          });
    }
    out.forEach((affiliate, sums) -> withdrawn.put(affiliate, RunningTotals.encode(sums)));
    Bytes unattributed = ProjectionStores.prefix(ProjectionStores.UNATTRIBUTED);
    try (KeyValueIterator<Bytes, OrderState> it =
        orders.range(unattributed, Keys.afterPrefix(unattributed))) {
      it.forEachRemaining(
          entry -> {
            add(Total.UNATTRIBUTED_ORDERS, 1);
            add(Total.UNATTRIBUTED_AMOUNT, entry.value.getAmountCents());
          });
    }
    try (KeyValueIterator<Bytes, JournalEntry> it = journal.all()) {
      it.forEachRemaining(
          entry -> {
            row[RunningTotals.kindIndex(entry.value.getKind())]++;
            AffiliateChecks.entry(entry.value.getAffiliateId(), entry.value)
                .ifPresent(
                    finding ->
                        find(ProjectionStores.entryFindingKey(finding, entry.value), finding));
          });
    }
    affiliates.forEach(this::recheck);
    row[Total.INITIALIZED.ordinal()] = RunningTotals.VERSION;
  }
}
