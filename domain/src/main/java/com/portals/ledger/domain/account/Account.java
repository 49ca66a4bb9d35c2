package com.portals.ledger.domain.account;

import com.portals.ledger.domain.journal.JournalEntry;
import com.portals.ledger.domain.money.Money;
import com.portals.ledger.domain.time.SettlementCalendar;
import java.time.Instant;
import java.util.Collections;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An affiliate's account: commission pending completion, completed commission awaiting the balance
 * refresh (per settlement cycle of completion), the withdrawable balance, and what went out as
 * withdrawals and fees.
 *
 * @param awaitingByCycle completed commission not yet posted, by the cycle it completed in
 * @param withdrawn accepted withdrawals (fee included) not returned by a failed payout
 * @param fees withdrawal fees charged and not returned
 * @param entryCount journal entries of this account so far
 * @param lastEntryId id of the latest entry (null before the first)
 * @param asOf effective time of the latest entry
 * @param lastPostedCycle the latest cycle whose commission was posted (Long.MIN_VALUE if none)
 */
public record Account(
    String affiliateId,
    Money pending,
    SortedMap<Long, Money> awaitingByCycle,
    Money balance,
    Money withdrawn,
    Money fees,
    long entryCount,
    String lastEntryId,
    Instant asOf,
    long lastPostedCycle) {

  public Account {
    Objects.requireNonNull(affiliateId, "affiliateId");
    awaitingByCycle = Collections.unmodifiableSortedMap(new TreeMap<>(awaitingByCycle));
  }

  /** A new account with nothing in it. */
  public static Account open(String affiliateId) {
    return new Account(
        affiliateId,
        Money.ZERO,
        new TreeMap<>(),
        Money.ZERO,
        Money.ZERO,
        Money.ZERO,
        0,
        null,
        Instant.EPOCH,
        Long.MIN_VALUE);
  }

  /** Completed commission not yet in the balance. */
  public Money awaitingRefresh() {
    return awaitingByCycle.values().stream().reduce(Money.ZERO, Money::plus);
  }

  /**
   * When completed commission is next posted to the balance; with nothing awaiting, the next cycle
   * close after {@code now}.
   */
  public Instant nextRefreshAt(SettlementCalendar calendar, Instant now) {
    return awaitingByCycle.isEmpty()
        ? calendar.nextCloseAfter(now)
        : calendar.postingInstantOfCycle(awaitingByCycle.firstKey());
  }

  Account withPending(Money newPending) {
    return new Account(
        affiliateId,
        newPending,
        awaitingByCycle,
        balance,
        withdrawn,
        fees,
        entryCount,
        lastEntryId,
        asOf,
        lastPostedCycle);
  }

  Account withAwaiting(long cycle, Money amount) {
    TreeMap<Long, Money> buckets = new TreeMap<>(awaitingByCycle);
    if (amount.isZero()) {
      buckets.remove(cycle);
    } else {
      buckets.put(cycle, amount);
    }
    return new Account(
        affiliateId,
        pending,
        buckets,
        balance,
        withdrawn,
        fees,
        entryCount,
        lastEntryId,
        asOf,
        lastPostedCycle);
  }

  Account withBalance(Money newBalance) {
    return new Account(
        affiliateId,
        pending,
        awaitingByCycle,
        newBalance,
        withdrawn,
        fees,
        entryCount,
        lastEntryId,
        asOf,
        lastPostedCycle);
  }

  Account withWithdrawals(Money newWithdrawn, Money newFees) {
    return new Account(
        affiliateId,
        pending,
        awaitingByCycle,
        balance,
        newWithdrawn,
        newFees,
        entryCount,
        lastEntryId,
        asOf,
        lastPostedCycle);
  }

  Account withPosted(long cycle) {
    return new Account(
        affiliateId,
        pending,
        awaitingByCycle,
        balance,
        withdrawn,
        fees,
        entryCount,
        lastEntryId,
        asOf,
        Math.max(lastPostedCycle, cycle));
  }

  Account recording(JournalEntry entry) {
    Instant latest = entry.effectiveAt().isAfter(asOf) ? entry.effectiveAt() : asOf;
    return new Account(
        affiliateId,
        pending,
        awaitingByCycle,
        balance,
        withdrawn,
        fees,
        entryCount + 1,
        entry.entryId(),
        latest,
        lastPostedCycle);
  }
}
