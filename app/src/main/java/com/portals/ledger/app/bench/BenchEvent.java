package com.portals.ledger.app.bench;

import com.portals.ledger.app.bench.Workload.Kind;
import java.time.Instant;
import java.util.Random;

/**
 * One event of a {@link Workload}, as the generator schedules it: a few numbers, turned into its
 * JSON line only when asked ({@link #json()}), so that a pass keeps nothing but these numbers for
 * the events still to come.
 *
 * @param prefix the workload's id prefix
 * @param kind what it is
 * @param number its rank in the pass, from 1: its event id
 * @param atMillis its event time
 * @param affiliate the affiliate of a click or withdrawal request (from 0), else −1
 * @param order the order of an order event (from 0), else −1
 * @param session the session of a click or placed order, else −1
 * @param amount cents refunded, or asked for by a withdrawal request (−1: the whole balance), or
 *     the category of a rate
 * @param detail random bits the details of a click, an order's lines or a bank account follow from
 */
record BenchEvent(
    String prefix,
    Kind kind,
    long number,
    long atMillis,
    int affiliate,
    long order,
    long session,
    long amount,
    long detail)
    implements Workload.Item {

  static final String[] CATEGORIES = {"electronics", "fashion", "home", "toys"};
  private static final int[] CATEGORY_RATES_BPS = {900, 1000, 800, 1200};
  private static final String[] PROMOTION_TYPES = {
    "TEXT_LINK", "BANNER", "DATA_FEED", "PRODUCT_LINK", "API", "OTHER"
  };
  private static final String[] TRACKING_IDS = {"blog", "social", "newsletter", "video"};
  private static final String[] IBANS = {
    "DE89370400440532013000", "GB29NWBK60161331926819", "FR1420041010050500013M02606"
  };
  private static final int NUMBER_DIGITS = 9;

  Instant at() {
    return Instant.ofEpochMilli(atMillis);
  }

  String eventId() {
    return eventId(prefix, number);
  }

  /** The event id of the event of rank {@code number} in a workload of {@code prefix}. */
  static String eventId(String prefix, long number) {
    return padded(new StringBuilder(prefix).append('e'), number, NUMBER_DIGITS).toString();
  }

  /**
   * Appends {@code number} with at least {@code digits} digits, zeros in front (not String.format:
   * slow).
   */
  private static StringBuilder padded(StringBuilder text, long number, int digits) {
    String plain = Long.toString(number);
    for (int i = plain.length(); i < digits; i++) {
      text.append('0');
    }
    return text.append(plain);
  }

  /** Id of an order event's order, else null. */
  String orderId() {
    return order < 0 ? null : prefix + "o" + order;
  }

  static String affiliateId(int affiliate) {
    return padded(new StringBuilder("bench-aff-"), affiliate + 1, 5).toString();
  }

  /** Its JSON line, with its own event time. */
  @Override
  public String json() {
    return json(at());
  }

  /** Its JSON line, with {@code at} as its event time ({@code occurredAt}, or a rate's start). */
  String json(Instant at) {
    Json json = new Json();
    switch (kind) {
      case RATE_SET ->
          json.field("type", "CommissionRateSet")
              .field("eventId", eventId())
              .field("category", CATEGORIES[(int) amount])
              .number("rateBps", CATEGORY_RATES_BPS[(int) amount])
              .field("effectiveFrom", at.toString());
      case CLICK ->
          json.field("type", "ClickRecorded")
              .field("eventId", eventId())
              .field("clickId", prefix + "k" + number)
              .field("affiliateId", affiliateId(affiliate))
              .field("trackingId", TRACKING_IDS[(int) (detail & 3)])
              .field("sessionId", prefix + "s" + session)
              .field("af", "sub" + ((detail >>> 2) & 7))
              .field("cn", "campaign-" + ((detail >>> 5) & 3))
              .field("cv", "creative-" + ((detail >>> 7) % 6))
              .field("dp", "page-" + ((detail >>> 10) % 10))
              .field("promotionType", PROMOTION_TYPES[(int) ((detail >>> 14) % 6)])
              .field("productId", "p-" + ((detail >>> 17) % 500))
              .field("occurredAt", at.toString());
      case ORDER_PLACED -> {
        json.field("type", "OrderPlaced")
            .field("eventId", eventId())
            .field("orderId", orderId())
            .field("sessionId", prefix + "s" + session)
            .field("buyerId", "buyer-" + ((detail >>> 40) % 50_000));
        lines(detail, json);
        json.field("occurredAt", at.toString());
      }
      case ORDER_COMPLETED ->
          json.field("type", "OrderCompleted")
              .field("eventId", eventId())
              .field("orderId", orderId())
              .field("occurredAt", at.toString());
      case ORDER_CANCELLED ->
          json.field("type", "OrderCancelled")
              .field("eventId", eventId())
              .field("orderId", orderId())
              .field("reason", "buyer")
              .field("occurredAt", at.toString());
      case ORDER_REFUNDED ->
          json.field("type", "OrderRefunded")
              .field("eventId", eventId())
              .field("orderId", orderId())
              .number("refundCents", amount)
              .field("occurredAt", at.toString());
      case WITHDRAWAL_REQUESTED -> {
        json.field("type", "WithdrawalRequested")
            .field("eventId", eventId())
            .field("withdrawalId", prefix + "w" + number)
            .field("affiliateId", affiliateId(affiliate));
        if (amount >= 0) {
          json.number("amountCents", amount);
        }
        json.raw(
                ",\"bankAccount\":{\"iban\":\""
                    + IBANS[(int) Long.remainderUnsigned(detail, IBANS.length)]
                    + "\",\"swift\":\"COBADEFFXXX\",\"holder\":\"Affiliate "
                    + affiliateId(affiliate)
                    + "\"}")
            .field("occurredAt", at.toString());
      }
    }
    return json.close();
  }

  /**
   * The total in cents of the lines of an order whose details follow from {@code detail}: what a
   * refund is a part of.
   */
  static long orderTotal(long detail) {
    return lines(detail, null);
  }

  /** Writes the lines that follow from {@code detail} (if {@code json} is not null); the total. */
  private static long lines(long detail, Json json) {
    Random random = new Random(detail);
    int count = 1 + random.nextInt(3);
    long total = 0;
    if (json != null) {
      json.raw(",\"lines\":[");
    }
    for (int i = 0; i < count; i++) {
      int quantity = 1 + random.nextInt(2);
      long amount = quantity * (500L + random.nextInt(20_000));
      int category = random.nextInt(CATEGORIES.length);
      int product = random.nextInt(500);
      total += amount;
      if (json != null) {
        json.raw(i == 0 ? "{" : ",{")
            .raw("\"productId\":\"p-" + product + "\",\"category\":\"" + CATEGORIES[category])
            .raw("\",\"amountCents\":" + amount + ",\"quantity\":" + quantity + "}");
      }
    }
    if (json != null) {
      json.raw("]");
    }
    return total;
  }

  /**
   * A JSON object written field by field. The workload's strings are ids, names and instants:
   * nothing in them needs escaping.
   */
  private static final class Json {
    private final StringBuilder text = new StringBuilder(320).append('{');

    Json field(String name, String value) {
      separate();
      text.append('"').append(name).append("\":\"").append(value).append('"');
      return this;
    }

    Json number(String name, long value) {
      separate();
      text.append('"').append(name).append("\":").append(value);
      return this;
    }

    Json raw(String part) {
      text.append(part);
      return this;
    }

    String close() {
      return text.append('}').toString();
    }

    private void separate() {
      if (text.length() > 1) {
        text.append(',');
      }
    }
  }
}
