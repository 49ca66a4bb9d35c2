package com.portals.ledger.domain.journal;

import com.portals.ledger.domain.money.Money;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One money movement, in balanced legs. The id follows from the kind and the cause ({@code
 * KIND:cause}), so replaying the same events writes the same ids; {@link #effectiveAt} follows from
 * the causing event and the rules, never from when the entry was computed.
 *
 * @param orderId the order it concerns, or null
 * @param withdrawalId the withdrawal it concerns, or null
 * @param settlementCycle the settlement cycle whose awaiting-refresh commission the entry changes
 *     (completion, refund from awaiting refresh, posting), or null
 */
public record JournalEntry(
    String entryId,
    String affiliateId,
    EntryKind kind,
    List<Leg> legs,
    String causingEventId,
    Instant effectiveAt,
    String orderId,
    String withdrawalId,
    Long settlementCycle) {

  public JournalEntry {
    Objects.requireNonNull(entryId, "entryId");
    Objects.requireNonNull(affiliateId, "affiliateId");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(causingEventId, "causingEventId");
    Objects.requireNonNull(effectiveAt, "effectiveAt");
    legs = List.copyOf(legs);
    if (legs.size() < 2) {
      throw new IllegalArgumentException(entryId + ": an entry has at least two legs");
    }
    Money sum = legs.stream().map(Leg::amount).reduce(Money.ZERO, Money::plus);
    if (!sum.isZero()) {
      throw new IllegalStateException(entryId + ": legs sum to " + sum + ", not zero: " + legs);
    }
  }

  /** The deterministic id of the entry of {@code kind} caused by {@code cause}. */
  public static String idOf(EntryKind kind, String cause) {
    return kind.name() + ":" + cause;
  }

  /**
   * An entry moving {@code amount} from {@code from} to {@code to}: {@code to} is debited and
   * {@code from} credited. For liability accounts (an affiliate's pending, awaiting refresh and
   * balance) a credit raises what the programme owes.
   */
  public static JournalEntry transfer(
      EntryKind kind,
      String cause,
      String affiliateId,
      String debit,
      String credit,
      Money amount,
      String causingEventId,
      Instant effectiveAt,
      String orderId,
      String withdrawalId) {
    return new JournalEntry(
        idOf(kind, cause),
        affiliateId,
        kind,
        List.of(Leg.debit(debit, amount), Leg.credit(credit, amount)),
        causingEventId,
        effectiveAt,
        orderId,
        withdrawalId,
        null);
  }

  /** This entry, marked as changing the awaiting-refresh commission of {@code cycle}. */
  public JournalEntry inCycle(long cycle) {
    return new JournalEntry(
        entryId,
        affiliateId,
        kind,
        legs,
        causingEventId,
        effectiveAt,
        orderId,
        withdrawalId,
        cycle);
  }

  /** The net of this entry's legs on {@code account} (debits positive). */
  public Money netOn(String account) {
    return legs.stream()
        .filter(leg -> leg.account().equals(account))
        .map(Leg::amount)
        .reduce(Money.ZERO, Money::plus);
  }
}
