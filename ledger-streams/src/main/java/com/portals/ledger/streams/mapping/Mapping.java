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
 *
 * <p>The records written for every event (order states, movements, accounts, balances, journal
 * entries) are made with their no-argument constructors and setters, every field set, not with
 * Avro's builders: a builder copies its schema's field array and checks each field as it is set,
 * about 5% of what the write side allocated while catching up (docs/performance.md). A field left
 * null that must not be fails when the record is encoded, as it would have when it was built.
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
    TrackedClick tracked = new TrackedClick();
    tracked.setClickId(click.clickId());
    tracked.setAffiliateId(click.affiliateId());
    tracked.setOccurredAt(click.occurredAt());
    tracked.setTrackingId(t.trackingId());
    tracked.setAf(t.af());
    tracked.setCn(t.cn());
    tracked.setCv(t.cv());
    tracked.setDp(t.dp());
    tracked.setPromotionType(t.promotionType());
    return tracked;
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
      com.portals.ledger.avro.ledger.PricedLine priced =
          new com.portals.ledger.avro.ledger.PricedLine();
      priced.setProductId(line.line().productId());
      priced.setCategory(line.line().category());
      priced.setAmountCents(line.line().amount().cents());
      priced.setQuantity(line.line().quantity());
      priced.setRateBps(line.rate().basisPoints());
      priced.setCommissionCents(line.commission().cents());
      lines.add(priced);
    }
    OrderState state = new OrderState();
    state.setOrderId(order.orderId());
    state.setPlacedEventId(placedEventId);
    state.setSessionId(sessionId);
    state.setBuyerId(buyerId);
    state.setPlacedAt(order.placedAt());
    state.setReleaseAt(order.releaseAt());
    state.setLines(lines);
    state.setAmountCents(order.amount().cents());
    state.setClick(order.attributedTo() == null ? null : tracked(order.attributedTo()));
    state.setCommissionCents(order.commission().cents());
    state.setReversedCents(order.reversed().cents());
    state.setRefundedCents(order.refunded().cents());
    state.setStatus(order.status().name());
    state.setCompletedAt(order.completedAt());
    state.setClosedAt(order.closedAt());
    return state;
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
    Movement out = new Movement();
    out.setKind(MovementKind.valueOf(m.kind().name()));
    out.setAffiliateId(m.affiliateId());
    out.setOrderId(m.orderId());
    out.setAmountCents(m.amount().cents());
    out.setEffectiveAt(m.effectiveAt());
    out.setCause(m.cause());
    out.setCompletedAt(m.completedAt());
    return out;
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
    AccountState state = new AccountState();
    state.setAffiliateId(account.affiliateId());
    state.setPendingCents(account.pending().cents());
    state.setAwaiting(awaiting);
    state.setBalanceCents(account.balance().cents());
    state.setWithdrawnCents(account.withdrawn().cents());
    state.setFeesCents(account.fees().cents());
    state.setEntryCount(account.entryCount());
    state.setLastEntryId(account.lastEntryId());
    state.setAsOf(account.asOf());
    state.setLastPostedCycle(account.lastPostedCycle());
    return state;
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
    Balance balance = new Balance();
    balance.setAffiliateId(account.affiliateId());
    balance.setCurrency("USD");
    balance.setPendingCents(account.pending().cents());
    balance.setAwaitingRefreshCents(account.awaitingRefresh().cents());
    balance.setBalanceCents(account.balance().cents());
    balance.setWithdrawnCents(account.withdrawn().cents());
    balance.setFeesCents(account.fees().cents());
    balance.setNextRefreshAt(account.nextRefreshAt(calendar, now));
    balance.setAsOf(account.asOf());
    balance.setLastEntryId(account.lastEntryId());
    balance.setEntryCount(account.entryCount());
    return balance;
  }

  public static com.portals.ledger.avro.ledger.JournalEntry journalEntry(JournalEntry entry) {
    List<JournalLeg> legs = new ArrayList<>();
    for (Leg leg : entry.legs()) {
      legs.add(new JournalLeg(leg.account(), leg.amount().cents()));
    }
    com.portals.ledger.avro.ledger.JournalEntry out =
        new com.portals.ledger.avro.ledger.JournalEntry();
    out.setEntryId(entry.entryId());
    out.setAffiliateId(entry.affiliateId());
    out.setKind(com.portals.ledger.avro.ledger.EntryKind.valueOf(entry.kind().name()));
    out.setLegs(legs);
    out.setCausingEventId(entry.causingEventId());
    out.setEffectiveAt(entry.effectiveAt());
    out.setOrderId(entry.orderId());
    out.setWithdrawalId(entry.withdrawalId());
    out.setSettlementCycle(entry.settlementCycle());
    return out;
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
