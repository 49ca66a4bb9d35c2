package com.portals.ledger.domain.order;

import com.portals.ledger.domain.attribution.Click;
import com.portals.ledger.domain.money.Money;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * An order as the ledger knows it.
 *
 * @param attributedTo the click it is attributed to; null for unattributed traffic (no commission)
 * @param releaseAt placement + 60 days: when an open order is released
 * @param commission what the order earned at placement
 * @param reversed how much of it refunds, cancellation or expiry took back
 * @param refunded how much of the order amount was refunded to the buyer
 * @param completedAt the transaction date: when it completed (null while not completed)
 * @param closedAt when it was cancelled or expired (null otherwise)
 */
public record Order(
    String orderId,
    Instant placedAt,
    Instant releaseAt,
    List<PricedLine> lines,
    Money amount,
    Click attributedTo,
    Money commission,
    Money reversed,
    Money refunded,
    OrderStatus status,
    Instant completedAt,
    Instant closedAt) {

  public Order {
    Objects.requireNonNull(orderId, "orderId");
    Objects.requireNonNull(placedAt, "placedAt");
    Objects.requireNonNull(releaseAt, "releaseAt");
    Objects.requireNonNull(status, "status");
    lines = List.copyOf(lines);
  }

  public boolean isAttributed() {
    return attributedTo != null;
  }

  /** Commission still owed to the affiliate for this order. */
  public Money remainingCommission() {
    return commission.minus(reversed);
  }

  /** Whether the whole order amount was refunded. */
  public boolean isFullyRefunded() {
    return !refunded.minus(amount).isNegative();
  }

  /**
   * The status reports show: {@code REFUNDED} once the whole amount was refunded, the lifecycle
   * status otherwise.
   */
  public String reportStatus() {
    return isFullyRefunded() ? "REFUNDED" : status.name();
  }

  Order with(OrderStatus newStatus, Instant newCompletedAt, Instant newClosedAt) {
    return new Order(
        orderId,
        placedAt,
        releaseAt,
        lines,
        amount,
        attributedTo,
        commission,
        reversed,
        refunded,
        newStatus,
        newCompletedAt,
        newClosedAt);
  }

  Order withRefund(Money refundedNow, Money reversedNow) {
    return new Order(
        orderId,
        placedAt,
        releaseAt,
        lines,
        amount,
        attributedTo,
        commission,
        reversed.plus(reversedNow),
        refunded.plus(refundedNow),
        status,
        completedAt,
        closedAt);
  }

  Order withReversal(Money reversedNow) {
    return withRefund(Money.ZERO, reversedNow);
  }
}
