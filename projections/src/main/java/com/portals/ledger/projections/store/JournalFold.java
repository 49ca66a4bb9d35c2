package com.portals.ledger.projections.store;

import com.portals.ledger.avro.internal.AccountState;
import com.portals.ledger.avro.internal.CycleAmount;
import com.portals.ledger.avro.ledger.EntryKind;
import com.portals.ledger.avro.ledger.JournalEntry;
import com.portals.ledger.avro.ledger.JournalLeg;
import com.portals.ledger.domain.journal.LedgerAccount;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * An affiliate's account figures folded from journal entries alone, the way an auditor would: each
 * figure is the negated sum of the legs on its ledger account, withdrawn and fees follow from the
 * withdrawal entries, and awaiting-refresh commission is kept per settlement cycle (the entries
 * that change it name the cycle). The read side keeps these figures; {@code ledger verify} compares
 * the ledger's balances with them.
 */
public final class JournalFold {

  private JournalFold() {}

  /** An account before its first entry. */
  public static AccountState empty(String affiliateId) {
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
  public static AccountState fold(AccountState account, JournalEntry entry) {
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
