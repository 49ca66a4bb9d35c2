package com.portals.ledger.streams;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** docs/contract.md JSON lines for tests, short to write and read. */
final class Json {

  static final String IBAN = "DE89370400440532013000";
  static final String SWIFT = "COBADEFFXXX";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  record Line(String category, long cents) {}

  static Line line(String category, long cents) {
    return new Line(category, cents);
  }

  private static ObjectNode event(String type, String eventId) {
    return MAPPER.createObjectNode().put("type", type).put("eventId", eventId);
  }

  static String click(String eventId, String affiliateId, String sessionId, String at) {
    return click(eventId, affiliateId, sessionId, at, "p-A");
  }

  static String click(
      String eventId, String affiliateId, String sessionId, String at, String productId) {
    return event("ClickRecorded", eventId)
        .put("clickId", "k-" + eventId)
        .put("affiliateId", affiliateId)
        .put("trackingId", "blog")
        .put("sessionId", sessionId)
        .put("af", "sub7")
        .put("cn", "spring")
        .put("cv", "banner-3")
        .put("dp", "x")
        .put("promotionType", "BANNER")
        .put("productId", productId)
        .put("occurredAt", at)
        .toString();
  }

  static String placed(String eventId, String orderId, String sessionId, String at, Line... lines) {
    ObjectNode node = event("OrderPlaced", eventId).put("orderId", orderId);
    if (sessionId != null) {
      node.put("sessionId", sessionId);
    }
    ArrayNode array = node.putArray("lines");
    for (int i = 0; i < lines.length; i++) {
      array
          .addObject()
          .put("productId", "p-B" + i)
          .put("category", lines[i].category())
          .put("amountCents", lines[i].cents())
          .put("quantity", 1);
    }
    return node.put("occurredAt", at).toString();
  }

  static String completed(String eventId, String orderId, String at) {
    return event("OrderCompleted", eventId)
        .put("orderId", orderId)
        .put("occurredAt", at)
        .toString();
  }

  static String cancelled(String eventId, String orderId, String at) {
    return event("OrderCancelled", eventId)
        .put("orderId", orderId)
        .put("occurredAt", at)
        .toString();
  }

  static String refunded(String eventId, String orderId, long cents, String at) {
    return event("OrderRefunded", eventId)
        .put("orderId", orderId)
        .put("refundCents", cents)
        .put("occurredAt", at)
        .toString();
  }

  static String rate(String eventId, String category, int bps, String from) {
    return event("CommissionRateSet", eventId)
        .put("category", category)
        .put("rateBps", bps)
        .put("effectiveFrom", from)
        .toString();
  }

  static String withdrawal(
      String eventId, String withdrawalId, String affiliateId, Long cents, String at) {
    return withdrawal(eventId, withdrawalId, affiliateId, cents, IBAN, at);
  }

  static String withdrawal(
      String eventId, String withdrawalId, String affiliateId, Long cents, String iban, String at) {
    ObjectNode node =
        event("WithdrawalRequested", eventId)
            .put("withdrawalId", withdrawalId)
            .put("affiliateId", affiliateId);
    if (cents != null) {
      node.put("amountCents", cents);
    }
    node.putObject("bankAccount").put("iban", iban).put("swift", SWIFT).put("holder", "Jane Doe");
    return node.put("occurredAt", at).toString();
  }

  static String payoutCompleted(
      String eventId, String withdrawalId, String affiliateId, String at) {
    return event("PayoutCompleted", eventId)
        .put("withdrawalId", withdrawalId)
        .put("affiliateId", affiliateId)
        .put("occurredAt", at)
        .toString();
  }

  static String payoutFailed(
      String eventId, String withdrawalId, String affiliateId, String reason, String at) {
    return event("PayoutFailed", eventId)
        .put("withdrawalId", withdrawalId)
        .put("affiliateId", affiliateId)
        .put("reason", reason)
        .put("occurredAt", at)
        .toString();
  }
}
