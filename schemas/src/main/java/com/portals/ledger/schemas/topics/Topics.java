package com.portals.ledger.schemas.topics;

import com.portals.ledger.avro.events.ClickRecorded;
import com.portals.ledger.avro.events.ClockTick;
import com.portals.ledger.avro.events.CommissionRateSet;
import com.portals.ledger.avro.events.OrderEvent;
import com.portals.ledger.avro.events.PayoutBatchCreated;
import com.portals.ledger.avro.events.WithdrawalEvent;
import com.portals.ledger.avro.ledger.Balance;
import com.portals.ledger.avro.ledger.JournalEntry;
import com.portals.ledger.avro.ledger.OrderState;
import com.portals.ledger.avro.ledger.Rejection;
import com.portals.ledger.avro.ledger.WithdrawalDecision;
import com.portals.ledger.schemas.topics.Topic.Cleanup;
import java.util.List;

/**
 * The catalogue of the ledger's public topics. Names are part of the contract; every other class
 * refers to these constants, never to string literals.
 */
public final class Topics {

  private Topics() {}

  /** Clicks on affiliate links, keyed by session so that a session's clicks stay in order. */
  public static final Topic<ClickRecorded> CLICKS =
      new Topic<>("portals.clicks", ClickRecorded.class, "sessionId", Cleanup.RETAIN_ALL);

  /** Every lifecycle event of an order in one envelope, keyed by order. */
  public static final Topic<OrderEvent> ORDERS =
      new Topic<>("portals.orders", OrderEvent.class, "orderId", Cleanup.RETAIN_ALL);

  /**
   * Category rates. Compacted, and keyed by {@code category@effectiveFrom} so that compaction only
   * folds re-statements of the same version: the history a replay needs is never compacted away.
   */
  public static final Topic<CommissionRateSet> COMMISSION_RATES =
      new Topic<>(
          "portals.commission-rates",
          CommissionRateSet.class,
          "category@effectiveFrom",
          Cleanup.COMPACT);

  /** Withdrawal requests, payout results and payout batch assignments, keyed by affiliate. */
  public static final Topic<WithdrawalEvent> WITHDRAWALS =
      new Topic<>("portals.withdrawals", WithdrawalEvent.class, "affiliateId", Cleanup.RETAIN_ALL);

  /**
   * Payout batches as finance created them ({@code POST /finance/payout-batches}), keyed by batch.
   * The write side does not read it: the batch's {@code PayoutBatched} events on {@link
   * #WITHDRAWALS}, published after it, are what it applies. Kept forever: the audit trail of what
   * finance asked the bank to pay.
   */
  public static final Topic<PayoutBatchCreated> PAYOUT_BATCHES =
      new Topic<>(
          "portals.payout-batches", PayoutBatchCreated.class, "batchId", Cleanup.RETAIN_ALL);

  /** Clock ticks, one on every partition: the only source of "now". */
  public static final Topic<ClockTick> CLOCK =
      new Topic<>(
          "ledger.clock", ClockTick.class, "none (one tick per partition)", Cleanup.RETAIN_ALL);

  /** Every money movement, forever. */
  public static final Topic<JournalEntry> JOURNAL =
      new Topic<>("ledger.journal", JournalEntry.class, "affiliateId", Cleanup.RETAIN_ALL);

  /** Latest balance of every affiliate. */
  public static final Topic<Balance> BALANCES =
      new Topic<>("ledger.balances", Balance.class, "affiliateId", Cleanup.COMPACT);

  /** Outcome of every withdrawal request and payout result. */
  public static final Topic<WithdrawalDecision> WITHDRAWAL_DECISIONS =
      new Topic<>(
          "ledger.withdrawal-decisions",
          WithdrawalDecision.class,
          "affiliateId",
          Cleanup.RETAIN_ALL);

  /** Every order as the ledger knows it (status, attribution, amounts, commission). */
  public static final Topic<OrderState> ORDER_STATES =
      new Topic<>("ledger.orders", OrderState.class, "orderId", Cleanup.COMPACT);

  /** Everything the ledger did not apply, with the reason and the original bytes. */
  public static final Topic<Rejection> REJECTIONS =
      new Topic<>("ledger.rejections", Rejection.class, "original key", Cleanup.RETAIN_ALL);

  /** Topics upstream systems write and the ledger reads. Equal partition counts are required. */
  public static List<Topic<?>> inputs() {
    return List.of(CLICKS, ORDERS, COMMISSION_RATES, WITHDRAWALS, CLOCK);
  }

  /** Topics the ledger writes for others to read. */
  public static List<Topic<?>> outputs() {
    return List.of(JOURNAL, BALANCES, WITHDRAWAL_DECISIONS, ORDER_STATES, REJECTIONS);
  }

  /** Every public topic. */
  public static List<Topic<?>> all() {
    return List.of(
        CLICKS,
        ORDERS,
        COMMISSION_RATES,
        WITHDRAWALS,
        PAYOUT_BATCHES,
        CLOCK,
        JOURNAL,
        BALANCES,
        WITHDRAWAL_DECISIONS,
        ORDER_STATES,
        REJECTIONS);
  }
}
