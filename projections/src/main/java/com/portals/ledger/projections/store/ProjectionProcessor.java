package com.portals.ledger.projections.store;

import com.portals.ledger.avro.events.ClickRecorded;
import com.portals.ledger.avro.events.ClockTick;
import com.portals.ledger.avro.internal.AccountState;
import com.portals.ledger.avro.ledger.Balance;
import com.portals.ledger.avro.ledger.JournalEntry;
import com.portals.ledger.avro.ledger.OrderState;
import com.portals.ledger.avro.ledger.Rejection;
import com.portals.ledger.avro.ledger.WithdrawalDecision;
import com.portals.ledger.domain.account.Withdrawal;
import java.time.Instant;
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
  private KeyValueStore<String, Balance> ledgerBalances;
  private KeyValueStore<Bytes, Rejection> rejections;
  private KeyValueStore<String, Long> clock;

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
    } else if (value instanceof Rejection rejection) {
      rejections.put(
          ProjectionStores.rejectionKey(Instant.ofEpochMilli(record.timestamp()), rejection),
          rejection);
    } else if (value instanceof Balance balance) {
      ledgerBalances.put(balance.getAffiliateId(), balance);
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
    AccountState after =
        JournalFold.fold(before == null ? JournalFold.empty(affiliate) : before, entry);
    accounts.put(affiliate, after);
    history.put(
        ProjectionStores.historyKey(affiliate, entry.getEffectiveAt(), after.getEntryCount()),
        after);
    journal.put(ProjectionStores.journalKey(affiliate, after.getEntryCount()), entry);
  }
}
