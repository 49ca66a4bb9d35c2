package com.portals.ledger.projections.query;

import com.portals.ledger.avro.ledger.OrderState;
import com.portals.ledger.avro.ledger.TrackedClick;

/** What the order reports show of an order. */
public final class OrderRows {

  private OrderRows() {}

  /** {@code REFUNDED} once the whole amount was refunded; the lifecycle status otherwise. */
  public static String status(OrderState order) {
    return order.getRefundedCents() >= order.getAmountCents() ? "REFUNDED" : order.getStatus();
  }

  /** The commission the order earns now: what it earned, less what refunds or cancellation took. */
  public static long commissionCents(OrderState order) {
    return order.getCommissionCents() - order.getReversedCents();
  }

  /** The click's tracking value named by {@code field} (trackingId, af, cn, cv, dp), or null. */
  public static String tag(TrackedClick click, String field) {
    if (click == null) {
      return null;
    }
    return switch (field) {
      case "trackingId" -> click.getTrackingId();
      case "af" -> click.getAf();
      case "cn" -> click.getCn();
      case "cv" -> click.getCv();
      case "dp" -> click.getDp();
      default -> throw new IllegalArgumentException("not a tracking field: " + field);
    };
  }
}
