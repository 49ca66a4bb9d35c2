package com.portals.ledger.domain.order;

import com.portals.ledger.domain.money.Money;
import java.time.Instant;
import java.util.Objects;

/**
 * A change to an affiliate's commission caused by one order event, handed from the order to the
 * affiliate's account, which journals it.
 *
 * @param cause what caused it: the upstream eventId, or {@code release:<orderId>} for the 60-day
 *     rule; it makes the journal entry's id
 * @param effectiveAt when it takes effect
 * @param completedAt for {@link Kind#REFUNDED} of a completed order, when the order completed (its
 *     settlement cycle says where the commission is now); null otherwise
 */
public record CommissionMovement(
    Kind kind,
    String affiliateId,
    String orderId,
    Money amount,
    Instant effectiveAt,
    String cause,
    Instant completedAt) {

  /** What happened to the commission. */
  public enum Kind {
    /** Earned, pending completion. */
    ACCRUED,
    /** Completed: moves to awaiting refresh. */
    COMPLETED,
    /** Cancelled while pending: reversed. */
    CANCELLED,
    /** Expired by the 60-day rule while pending: reversed. */
    EXPIRED,
    /** Part reversed by a refund. */
    REFUNDED
  }

  public CommissionMovement {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(affiliateId, "affiliateId");
    Objects.requireNonNull(orderId, "orderId");
    Objects.requireNonNull(amount, "amount");
    Objects.requireNonNull(effectiveAt, "effectiveAt");
    Objects.requireNonNull(cause, "cause");
    if (!amount.isPositive()) {
      throw new IllegalArgumentException(
          "a commission movement moves a positive amount: " + amount);
    }
  }
}
