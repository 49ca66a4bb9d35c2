package com.portals.ledger.projections.store;

import com.portals.ledger.avro.events.ClickRecorded;
import com.portals.ledger.avro.events.ClockTick;
import com.portals.ledger.avro.internal.AccountState;
import com.portals.ledger.avro.internal.CycleAmount;
import com.portals.ledger.avro.ledger.EntryKind;
import com.portals.ledger.avro.ledger.JournalEntry;
import com.portals.ledger.avro.ledger.JournalLeg;
import com.portals.ledger.avro.ledger.OrderState;
import com.portals.ledger.avro.ledger.WithdrawalDecision;
import com.portals.ledger.domain.account.Withdrawal;
import com.portals.ledger.domain.journal.LedgerAccount;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
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
  private KeyValueStore<String, Long> clock;

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    accounts = context.getStateStore(ProjectionStores.ACCOUNTS);
    history = context.getStateStore(ProjectionStores.BALANCE_HISTORY);
    journal = context.getStateStore(ProjectionStores.JOURNAL);
    withdrawals = context.getStateStore(ProjectionStores.WITHDRAWALS);
    orders = context.getStateStore(ProjectionStores.ORDERS);
    clicks = context.getStateStore(ProjectionStores.CLICKS);
    clock = context.getStateStore(ProjectionStores.CLOCK);
  }

  @Override
  public void process(Record<String, SpecificRecord> record) {
    SpecificRecord value = record.value();
    if (value instanceof JournalEntry entry) {
      journal(entry);
    } else if (value instanceof WithdrawalDecision decision) {
      withdrawals.put(
          ProjectionStores.withdrawalKey(decision.getAffiliateId(), rowOf(decision)), decision);
    } else if (value instanceof OrderState order) {
      String owner =
          order.getClick() == null
              ? ProjectionStores.UNATTRIBUTED
              : order.getClick().getAffiliateId();
      orders.put(ProjectionStores.orderKey(owner, order.getPlacedAt(), order.getOrderId()), order);
    } else if (value instanceof ClickRecorded click) {
      clicks.put(
          ProjectionStores.clickKey(
              click.getAffiliateId(), click.getOccurredAt(), click.getClickId()),
          click);
    } else if (value instanceof ClockTick tick) {
      Long now = clock.get(ProjectionStores.NOW);
      if (now == null || tick.getAt().toEpochMilli() > now) {
        clock.put(ProjectionStores.NOW, tick.getAt().toEpochMilli());
      }
    }
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
    AccountState after = fold(before == null ? empty(affiliate) : before, entry);
    accounts.put(affiliate, after);
    history.put(
        ProjectionStores.historyKey(affiliate, entry.getEffectiveAt(), after.getEntryCount()),
        after);
    journal.put(ProjectionStores.journalKey(affiliate, after.getEntryCount()), entry);
  }

  static AccountState empty(String affiliateId) {
    return AccountState.newBuilder()
        .setAffiliateId(affiliateId)
        .setPendingCents(0)
        .setAwaiting(List.of())
        .setBalanceCents(0)
        .setWithdrawnCents(0)
        .setFeesCents(0)
        .setEntryCount(0)
        .setLastEntryId(null)
        .setAsOf(Instant.EPOCH)
        .setLastPostedCycle(Long.MIN_VALUE)
        .build();
  }

  /** The account after {@code entry}: figures from its legs, the cycle buckets from its cycle. */
  static AccountState fold(AccountState account, JournalEntry entry) {
    String affiliate = account.getAffiliateId();
    long awaitingChange = -net(entry, LedgerAccount.awaitingRefresh(affiliate));
    TreeMap<Long, Long> buckets = new TreeMap<>();
    for (CycleAmount bucket : account.getAwaiting()) {
      buckets.put(bucket.getCycle(), bucket.getCents());
    }
    long lastPosted = account.getLastPostedCycle();
    if (awaitingChange != 0 && entry.getSettlementCycle() != null) {
      long cycle = entry.getSettlementCycle();
      long cents = buckets.getOrDefault(cycle, 0L) + awaitingChange;
      if (cents == 0) {
        buckets.remove(cycle);
      } else {
        buckets.put(cycle, cents);
      }
      if (entry.getKind() == EntryKind.BALANCE_POSTED) {
        lastPosted = Math.max(lastPosted, cycle);
      }
    }
    List<CycleAmount> awaiting = new ArrayList<>();
    buckets.forEach((cycle, cents) -> awaiting.add(new CycleAmount(cycle, cents)));
    long withdrawn = account.getWithdrawnCents();
    long fees = account.getFeesCents();
    long moved = entry.getLegs().get(0).getAmountCents();
    switch (entry.getKind()) {
      case WITHDRAWAL_ACCEPTED -> withdrawn += moved;
      case WITHDRAWAL_FEE -> {
        withdrawn += moved;
        fees += moved;
      }
      case PAYOUT_FAILED -> withdrawn -= moved;
      case WITHDRAWAL_FEE_RETURNED -> {
        withdrawn -= moved;
        fees -= moved;
      }
      default -> {
        // commission entries move nothing out of the programme
      }
    }
    Instant asOf =
        entry.getEffectiveAt().isAfter(account.getAsOf())
            ? entry.getEffectiveAt()
            : account.getAsOf();
    return AccountState.newBuilder()
        .setAffiliateId(affiliate)
        .setPendingCents(account.getPendingCents() - net(entry, LedgerAccount.pending(affiliate)))
        .setAwaiting(awaiting)
        .setBalanceCents(account.getBalanceCents() - net(entry, LedgerAccount.balance(affiliate)))
        .setWithdrawnCents(withdrawn)
        .setFeesCents(fees)
        .setEntryCount(account.getEntryCount() + 1)
        .setLastEntryId(entry.getEntryId())
        .setAsOf(asOf)
        .setLastPostedCycle(lastPosted)
        .build();
  }

  private static long net(JournalEntry entry, String account) {
    long sum = 0;
    for (JournalLeg leg : entry.getLegs()) {
      if (leg.getAccount().equals(account)) {
        sum += leg.getAmountCents();
      }
    }
    return sum;
  }
}
