package com.portals.ledger.streams.mapping;

import com.portals.ledger.avro.events.BankAccount;
import com.portals.ledger.avro.events.ClickRecorded;
import com.portals.ledger.avro.events.OrderPlaced;
import com.portals.ledger.avro.internal.AccountState;
import com.portals.ledger.avro.internal.CycleAmount;
import com.portals.ledger.avro.internal.Movement;
import com.portals.ledger.avro.internal.MovementKind;
import com.portals.ledger.avro.ledger.Balance;
import com.portals.ledger.avro.ledger.JournalLeg;
import com.portals.ledger.avro.ledger.OrderState;
import com.portals.ledger.avro.ledger.TrackedClick;
import com.portals.ledger.avro.ledger.WithdrawalDecision;
import com.portals.ledger.domain.account.Account;
import com.portals.ledger.domain.account.Payee;
import com.portals.ledger.domain.account.Withdrawal;
import com.portals.ledger.domain.account.WithdrawalStatus;
import com.portals.ledger.domain.attribution.Click;
import com.portals.ledger.domain.attribution.Tracking;
import com.portals.ledger.domain.journal.EntryKind;
import com.portals.ledger.domain.journal.JournalEntry;
import com.portals.ledger.domain.journal.Leg;
import com.portals.ledger.domain.money.Money;
import com.portals.ledger.domain.money.Rate;
import com.portals.ledger.domain.order.CommissionMovement;
import com.portals.ledger.domain.order.Order;
import com.portals.ledger.domain.order.OrderLine;
import com.portals.ledger.domain.order.OrderStatus;
import com.portals.ledger.domain.order.PricedLine;
import com.portals.ledger.domain.time.SettlementCalendar;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Translation between the Avro records on topics and in stores and the domain's value types, at the
 * edge of the topology: processors map in, call the rules, map out.
 */
public final class Mapping {

  private Mapping() {}

  // --- clicks and attribution

  public static Click click(ClickRecorded click) {
    return new Click(
        click.getClickId(),
        click.getAffiliateId(),
        click.getSessionId(),
        click.getOccurredAt(),
        new Tracking(
            click.getTrackingId(),
            click.getAf(),
            click.getCn(),
            click.getCv(),
            click.getDp(),
            click.getPromotionType() == null ? null : click.getPromotionType().name()));
  }

  public static TrackedClick tracked(Click click) {
    Tracking t = click.tracking();
    return TrackedClick.newBuilder()
        .setClickId(click.clickId())
        .setAffiliateId(click.affiliateId())
        .setOccurredAt(click.occurredAt())
        .setTrackingId(t.trackingId())
        .setAf(t.af())
        .setCn(t.cn())
        .setCv(t.cv())
        .setDp(t.dp())
        .setPromotionType(t.promotionType())
        .build();
  }

  /** The domain click of an attributed order; the session is the order's. */
  public static Click click(TrackedClick tracked, String sessionId) {
    return new Click(
        tracked.getClickId(),
        tracked.getAffiliateId(),
        sessionId == null ? "" : sessionId,
        tracked.getOccurredAt(),
        new Tracking(
            tracked.getTrackingId(),
            tracked.getAf(),
            tracked.getCn(),
            tracked.getCv(),
            tracked.getDp(),
            tracked.getPromotionType()));
  }

  // --- orders

  public static List<OrderLine> lines(OrderPlaced placed) {
    return placed.getLines().stream()
        .map(
            l ->
                new OrderLine(
                    l.getProductId(),
                    l.getCategory(),
                    Money.cents(l.getAmountCents()),
                    l.getQuantity()))
        .toList();
  }

  public static OrderState orderState(Order order, OrderPlaced placed) {
    return orderState(order, placed.getEventId(), placed.getSessionId(), placed.getBuyerId());
  }

  public static OrderState orderState(
      Order order, String placedEventId, String sessionId, String buyerId) {
    List<com.portals.ledger.avro.ledger.PricedLine> lines = new ArrayList<>();
    for (PricedLine line : order.lines()) {
      lines.add(
          com.portals.ledger.avro.ledger.PricedLine.newBuilder()
              .setProductId(line.line().productId())
              .setCategory(line.line().category())
              .setAmountCents(line.line().amount().cents())
              .setQuantity(line.line().quantity())
              .setRateBps(line.rate().basisPoints())
              .setCommissionCents(line.commission().cents())
              .build());
    }
    return OrderState.newBuilder()
        .setOrderId(order.orderId())
        .setPlacedEventId(placedEventId)
        .setSessionId(sessionId)
        .setBuyerId(buyerId)
        .setPlacedAt(order.placedAt())
        .setReleaseAt(order.releaseAt())
        .setLines(lines)
        .setAmountCents(order.amount().cents())
        .setClick(order.attributedTo() == null ? null : tracked(order.attributedTo()))
        .setCommissionCents(order.commission().cents())
        .setReversedCents(order.reversed().cents())
        .setRefundedCents(order.refunded().cents())
        .setStatus(order.status().name())
        .setCompletedAt(order.completedAt())
        .setClosedAt(order.closedAt())
        .build();
  }

  /** The stored order as the domain's; the Avro record keeps what the domain does not need. */
  public static Order order(OrderState state) {
    List<PricedLine> lines = new ArrayList<>();
    for (com.portals.ledger.avro.ledger.PricedLine line : state.getLines()) {
      lines.add(
          new PricedLine(
              new OrderLine(
                  line.getProductId(),
                  line.getCategory(),
                  Money.cents(line.getAmountCents()),
                  line.getQuantity()),
              Rate.bps(line.getRateBps()),
              Money.cents(line.getCommissionCents())));
    }
    return new Order(
        state.getOrderId(),
        state.getPlacedAt(),
        state.getReleaseAt(),
        lines,
        Money.cents(state.getAmountCents()),
        state.getClick() == null ? null : click(state.getClick(), state.getSessionId()),
        Money.cents(state.getCommissionCents()),
        Money.cents(state.getReversedCents()),
        Money.cents(state.getRefundedCents()),
        OrderStatus.valueOf(state.getStatus()),
        state.getCompletedAt(),
        state.getClosedAt());
  }

  // --- movements

  public static Movement movement(CommissionMovement m) {
    return Movement.newBuilder()
        .setKind(MovementKind.valueOf(m.kind().name()))
        .setAffiliateId(m.affiliateId())
        .setOrderId(m.orderId())
        .setAmountCents(m.amount().cents())
        .setEffectiveAt(m.effectiveAt())
        .setCause(m.cause())
        .setCompletedAt(m.completedAt())
        .build();
  }

  public static CommissionMovement movement(Movement m) {
    return new CommissionMovement(
        CommissionMovement.Kind.valueOf(m.getKind().name()),
        m.getAffiliateId(),
        m.getOrderId(),
        Money.cents(m.getAmountCents()),
        m.getEffectiveAt(),
        m.getCause(),
        m.getCompletedAt());
  }

  // --- accounts

  public static AccountState accountState(Account account) {
    List<CycleAmount> awaiting = new ArrayList<>();
    account
        .awaitingByCycle()
        .forEach((cycle, amount) -> awaiting.add(new CycleAmount(cycle, amount.cents())));
    return AccountState.newBuilder()
        .setAffiliateId(account.affiliateId())
        .setPendingCents(account.pending().cents())
        .setAwaiting(awaiting)
        .setBalanceCents(account.balance().cents())
        .setWithdrawnCents(account.withdrawn().cents())
        .setFeesCents(account.fees().cents())
        .setEntryCount(account.entryCount())
        .setLastEntryId(account.lastEntryId())
        .setAsOf(account.asOf())
        .setLastPostedCycle(account.lastPostedCycle())
        .build();
  }

  public static Account account(AccountState state) {
    TreeMap<Long, Money> awaiting = new TreeMap<>();
    for (CycleAmount bucket : state.getAwaiting()) {
      awaiting.put(bucket.getCycle(), Money.cents(bucket.getCents()));
    }
    return new Account(
        state.getAffiliateId(),
        Money.cents(state.getPendingCents()),
        awaiting,
        Money.cents(state.getBalanceCents()),
        Money.cents(state.getWithdrawnCents()),
        Money.cents(state.getFeesCents()),
        state.getEntryCount(),
        state.getLastEntryId(),
        state.getAsOf(),
        state.getLastPostedCycle());
  }

  /** The balance record of {@code account} as of {@code now} (an event time, never the clock). */
  public static Balance balance(Account account, SettlementCalendar calendar, Instant now) {
    return Balance.newBuilder()
        .setAffiliateId(account.affiliateId())
        .setCurrency("USD")
        .setPendingCents(account.pending().cents())
        .setAwaitingRefreshCents(account.awaitingRefresh().cents())
        .setBalanceCents(account.balance().cents())
        .setWithdrawnCents(account.withdrawn().cents())
        .setFeesCents(account.fees().cents())
        .setNextRefreshAt(account.nextRefreshAt(calendar, now))
        .setAsOf(account.asOf())
        .setLastEntryId(account.lastEntryId())
        .setEntryCount(account.entryCount())
        .build();
  }

  public static com.portals.ledger.avro.ledger.JournalEntry journalEntry(JournalEntry entry) {
    List<JournalLeg> legs = new ArrayList<>();
    for (Leg leg : entry.legs()) {
      legs.add(new JournalLeg(leg.account(), leg.amount().cents()));
    }
    return com.portals.ledger.avro.ledger.JournalEntry.newBuilder()
        .setEntryId(entry.entryId())
        .setAffiliateId(entry.affiliateId())
        .setKind(com.portals.ledger.avro.ledger.EntryKind.valueOf(entry.kind().name()))
        .setLegs(legs)
        .setCausingEventId(entry.causingEventId())
        .setEffectiveAt(entry.effectiveAt())
        .setOrderId(entry.orderId())
        .setWithdrawalId(entry.withdrawalId())
        .setSettlementCycle(entry.settlementCycle())
        .build();
  }

  public static JournalEntry journalEntry(com.portals.ledger.avro.ledger.JournalEntry entry) {
    List<Leg> legs = new ArrayList<>();
    for (JournalLeg leg : entry.getLegs()) {
      legs.add(new Leg(leg.getAccount(), Money.cents(leg.getAmountCents())));
    }
    return new JournalEntry(
        entry.getEntryId(),
        entry.getAffiliateId(),
        EntryKind.valueOf(entry.getKind().name()),
        legs,
        entry.getCausingEventId(),
        entry.getEffectiveAt(),
        entry.getOrderId(),
        entry.getWithdrawalId(),
        entry.getSettlementCycle());
  }

  // --- withdrawals

  public static WithdrawalDecision decision(Withdrawal w) {
    return WithdrawalDecision.newBuilder()
        .setWithdrawalId(w.withdrawalId())
        .setAffiliateId(w.affiliateId())
        .setCausingEventId(w.causingEventId())
        .setStatus(com.portals.ledger.avro.ledger.WithdrawalStatus.valueOf(w.status().name()))
        .setRequestedAmountCents(w.requested() == null ? null : w.requested().cents())
        .setAmountCents(w.amount().cents())
        .setFeeCents(w.fee().cents())
        .setPayoutCents(w.payout().cents())
        .setReason(w.reasonCode())
        .setMessage(w.message())
        .setBankAccountMasked(w.bankAccountMasked())
        .setDecidedAt(w.decidedAt())
        .setPayee(
            w.payee() == null
                ? null
                : BankAccount.newBuilder()
                    .setIban(w.payee().iban())
                    .setSwift(w.payee().swift())
                    .setHolder(w.payee().holder())
                    .build())
        .setBatchId(w.batchId())
        .setBatchedAt(w.batchedAt())
        .build();
  }

  public static Withdrawal withdrawal(WithdrawalDecision d) {
    return new Withdrawal(
        d.getWithdrawalId(),
        d.getAffiliateId(),
        WithdrawalStatus.valueOf(d.getStatus().name()),
        d.getRequestedAmountCents() == null ? null : Money.cents(d.getRequestedAmountCents()),
        Money.cents(d.getAmountCents()),
        Money.cents(d.getFeeCents()),
        Money.cents(d.getPayoutCents()),
        d.getReason(),
        d.getMessage(),
        d.getBankAccountMasked(),
        d.getCausingEventId(),
        d.getDecidedAt(),
        d.getPayee() == null
            ? null
            : new Payee(d.getPayee().getIban(), d.getPayee().getSwift(), d.getPayee().getHolder()),
        d.getBatchId(),
        d.getBatchedAt());
  }
}
