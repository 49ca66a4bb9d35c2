package com.portals.ledger.projections.query;

import com.portals.ledger.avro.ledger.OrderState;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The filters of live order tracking: a period by order date or by transaction (completion) date,
 * tracking id, promotion type, status.
 */
public record OrderQuery(
    Period period, DateType dateType, String trackingId, String promotionType, String status) {

  /** Which date the period filters on. */
  public enum DateType {
    /** When the order was placed. */
    ORDER,
    /** When it completed (orders not completed have none and are left out). */
    TRANSACTION
  }

  /** Statuses an order can have in reports. */
  public static final Set<String> STATUSES =
      Set.of("PENDING", "COMPLETED", "CANCELLED", "REFUNDED", "EXPIRED");

  private static final List<String> PROMOTION_TYPES =
      List.of("TEXT_LINK", "BANNER", "DATA_FEED", "PRODUCT_LINK", "API", "OTHER");

  public static OrderQuery parse(
      String from,
      String to,
      String dateType,
      String trackingId,
      String promotionType,
      String status) {
    DateType type =
        switch (dateType == null || dateType.isBlank()
            ? "order"
            : dateType.strip().toLowerCase(Locale.ROOT)) {
          case "order" -> DateType.ORDER;
          case "transaction" -> DateType.TRANSACTION;
          default ->
              throw new BadRequestException(
                  "'dateType'='" + dateType + "' must be order or transaction");
        };
    String promotion = blankToNull(promotionType);
    if (promotion != null && !PROMOTION_TYPES.contains(promotion)) {
      throw new BadRequestException(
          "'promotionType'='"
              + promotionType
              + "' must be one of "
              + String.join(", ", PROMOTION_TYPES));
    }
    String wanted = blankToNull(status);
    if (wanted != null && !STATUSES.contains(wanted)) {
      throw new BadRequestException(
          "'status'='" + status + "' must be one of " + String.join(", ", new TreeSet<>(STATUSES)));
    }
    return new OrderQuery(Period.parse(from, to), type, blankToNull(trackingId), promotion, wanted);
  }

  /** Whether the order passes every filter. */
  public boolean matches(OrderState order) {
    if (dateType == DateType.TRANSACTION && !period.contains(order.getCompletedAt())) {
      return false;
    }
    if (trackingId != null
        && (order.getClick() == null || !trackingId.equals(order.getClick().getTrackingId()))) {
      return false;
    }
    if (promotionType != null
        && (order.getClick() == null
            || !promotionType.equals(order.getClick().getPromotionType()))) {
      return false;
    }
    return status == null || status.equals(OrderRows.status(order));
  }

  /** The order-date period to scan the store with (the transaction date is filtered after). */
  public Period scanPeriod() {
    return dateType == DateType.ORDER ? period : Period.ALL;
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }
}
