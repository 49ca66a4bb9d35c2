package com.portals.ledger.schemas.validation;

import com.portals.ledger.avro.events.BankAccount;
import com.portals.ledger.avro.events.ClickRecorded;
import com.portals.ledger.avro.events.ClockTick;
import com.portals.ledger.avro.events.CommissionRateSet;
import com.portals.ledger.avro.events.OrderCancelled;
import com.portals.ledger.avro.events.OrderCompleted;
import com.portals.ledger.avro.events.OrderEvent;
import com.portals.ledger.avro.events.OrderLine;
import com.portals.ledger.avro.events.OrderPlaced;
import com.portals.ledger.avro.events.OrderRefunded;
import com.portals.ledger.avro.events.PayoutBatchCreated;
import com.portals.ledger.avro.events.PayoutBatched;
import com.portals.ledger.avro.events.PayoutCompleted;
import com.portals.ledger.avro.events.PayoutFailed;
import com.portals.ledger.avro.events.WithdrawalEvent;
import com.portals.ledger.avro.events.WithdrawalRequested;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The value rules every upstream event must meet before the ledger applies it: identifiers are not
 * blank, amounts are positive, an order has lines, a rate is between 0 and 10000 bps. The same
 * rules run in {@code ledger publish}, in {@code POST /events} and in the stream (for records other
 * producers wrote), so an event is judged alike wherever it enters.
 *
 * <p>Every number and instant the rules compute with is bounded, so that no arithmetic on an
 * accepted event can overflow: a line is at most {@link #MAX_LINE_CENTS}, an order at most {@link
 * #MAX_LINES} lines and {@link #MAX_ORDER_CENTS} in all (its commission at 100% then fits a long
 * ten thousand times over, and a refund's share of it is computed exactly), refunds and withdrawals
 * at most {@link #MAX_ORDER_CENTS}, instants within [{@link #EARLIEST}, {@link #LATEST}), and
 * identifiers at most {@link #MAX_ID_LENGTH} characters (they are store keys).
 *
 * <p>Decisions that depend on state (a withdrawal against a balance, a bank account's checksum) are
 * not here: those are the domain's and end as decisions, not as invalid events.
 */
public final class EventRules {

  /** Highest rate accepted: 100%. */
  public static final int MAX_RATE_BPS = 10_000;

  /** Largest order line: US$1,000,000,000. */
  public static final long MAX_LINE_CENTS = 100_000_000_000L;

  /** Largest order, sum of its lines (and so largest refund and withdrawal): US$10,000,000,000. */
  public static final long MAX_ORDER_CENTS = 1_000_000_000_000L;

  /** Most lines in one order. */
  public static final int MAX_LINES = 1_000;

  /** Largest quantity of one line. */
  public static final int MAX_QUANTITY = 1_000_000;

  /** Earliest instant of an event or tick (inclusive). */
  public static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");

  /** Instants of events and ticks are before this one. */
  public static final Instant LATEST = Instant.parse("3000-01-01T00:00:00Z");

  /** Longest identifier (event, click, affiliate, session, order, withdrawal, category...). */
  public static final int MAX_ID_LENGTH = 256;

  /** Longest free text (tracking strings, product ids, bank fields, a payout's reason). */
  public static final int MAX_TEXT_LENGTH = 1_024;

  private EventRules() {}

  /** Whether {@code instant} is within [{@link #EARLIEST}, {@link #LATEST}). */
  public static boolean inRange(Instant instant) {
    return !instant.isBefore(EARLIEST) && instant.isBefore(LATEST);
  }

  /** Problems of an upstream event or envelope; empty when it may be applied. */
  public static List<Problem> problems(Object event) {
    List<Problem> problems = new ArrayList<>();
    check(event, problems);
    return problems;
  }

  private static void check(Object event, List<Problem> p) {
    if (event instanceof OrderEvent envelope) {
      check(envelope.getEvent(), p);
    } else if (event instanceof WithdrawalEvent envelope) {
      check(envelope.getEvent(), p);
    } else if (event instanceof ClickRecorded e) {
      id(p, "eventId", e.getEventId());
      id(p, "clickId", e.getClickId());
      id(p, "affiliateId", e.getAffiliateId());
      id(p, "sessionId", e.getSessionId());
      text(p, "trackingId", e.getTrackingId());
      text(p, "af", e.getAf());
      text(p, "cn", e.getCn());
      text(p, "cv", e.getCv());
      text(p, "dp", e.getDp());
      text(p, "productId", e.getProductId());
      instant(p, "occurredAt", e.getOccurredAt());
    } else if (event instanceof OrderPlaced e) {
      id(p, "eventId", e.getEventId());
      id(p, "orderId", e.getOrderId());
      if (e.getSessionId() != null) {
        id(p, "sessionId", e.getSessionId());
      }
      if (e.getBuyerId() != null) {
        text(p, "buyerId", e.getBuyerId());
      }
      instant(p, "occurredAt", e.getOccurredAt());
      if (e.getLines().isEmpty()) {
        p.add(new Problem("lines", "field 'lines' must hold at least one line"));
      } else if (e.getLines().size() > MAX_LINES) {
        p.add(
            new Problem(
                "lines",
                "field 'lines' holds at most " + MAX_LINES + " lines, got " + e.getLines().size()));
        return;
      }
      long total = 0;
      for (int i = 0; i < e.getLines().size(); i++) {
        OrderLine line = e.getLines().get(i);
        String prefix = "lines[" + i + "].";
        id(p, prefix + "productId", line.getProductId());
        id(p, prefix + "category", line.getCategory());
        between(p, prefix + "amountCents", line.getAmountCents(), MAX_LINE_CENTS);
        between(p, prefix + "quantity", line.getQuantity(), MAX_QUANTITY);
        if (line.getAmountCents() > 0 && line.getAmountCents() <= MAX_LINE_CENTS) {
          total += line.getAmountCents();
        }
      }
      if (total > MAX_ORDER_CENTS) {
        p.add(
            new Problem(
                "lines",
                "an order amounts to at most "
                    + MAX_ORDER_CENTS
                    + " cents in all, its lines sum to "
                    + total));
      }
    } else if (event instanceof OrderCompleted e) {
      id(p, "eventId", e.getEventId());
      id(p, "orderId", e.getOrderId());
      instant(p, "occurredAt", e.getOccurredAt());
    } else if (event instanceof OrderCancelled e) {
      id(p, "eventId", e.getEventId());
      id(p, "orderId", e.getOrderId());
      instant(p, "occurredAt", e.getOccurredAt());
    } else if (event instanceof OrderRefunded e) {
      id(p, "eventId", e.getEventId());
      id(p, "orderId", e.getOrderId());
      between(p, "refundCents", e.getRefundCents(), MAX_ORDER_CENTS);
      instant(p, "occurredAt", e.getOccurredAt());
    } else if (event instanceof CommissionRateSet e) {
      id(p, "eventId", e.getEventId());
      id(p, "category", e.getCategory());
      instant(p, "effectiveFrom", e.getEffectiveFrom());
      if (e.getRateBps() < 0 || e.getRateBps() > MAX_RATE_BPS) {
        p.add(
            new Problem(
                "rateBps",
                "field 'rateBps' must be between 0 and "
                    + MAX_RATE_BPS
                    + " basis points, got "
                    + e.getRateBps()));
      }
    } else if (event instanceof WithdrawalRequested e) {
      id(p, "eventId", e.getEventId());
      id(p, "withdrawalId", e.getWithdrawalId());
      id(p, "affiliateId", e.getAffiliateId());
      if (e.getAmountCents() != null) {
        between(p, "amountCents", e.getAmountCents(), MAX_ORDER_CENTS);
      }
      BankAccount bank = e.getBankAccount();
      id(p, "bankAccount.iban", bank.getIban());
      id(p, "bankAccount.swift", bank.getSwift());
      id(p, "bankAccount.holder", bank.getHolder());
      instant(p, "occurredAt", e.getOccurredAt());
    } else if (event instanceof PayoutCompleted e) {
      id(p, "eventId", e.getEventId());
      id(p, "withdrawalId", e.getWithdrawalId());
      id(p, "affiliateId", e.getAffiliateId());
      instant(p, "occurredAt", e.getOccurredAt());
    } else if (event instanceof PayoutFailed e) {
      id(p, "eventId", e.getEventId());
      id(p, "withdrawalId", e.getWithdrawalId());
      id(p, "affiliateId", e.getAffiliateId());
      text(p, "reason", e.getReason());
      instant(p, "occurredAt", e.getOccurredAt());
    } else if (event instanceof PayoutBatched e) {
      id(p, "eventId", e.getEventId());
      id(p, "withdrawalId", e.getWithdrawalId());
      id(p, "affiliateId", e.getAffiliateId());
      id(p, "batchId", e.getBatchId());
      instant(p, "occurredAt", e.getOccurredAt());
    } else if (event instanceof PayoutBatchCreated e) {
      id(p, "eventId", e.getEventId());
      id(p, "batchId", e.getBatchId());
      instant(p, "cutoff", e.getCutoff());
      instant(p, "occurredAt", e.getOccurredAt());
    } else if (event instanceof ClockTick e) {
      instant(p, "at", e.getAt());
      if (e.getPositions() != null) {
        e.getPositions()
            .forEach(
                (topic, offset) -> {
                  if (offset == null || offset < 0) {
                    p.add(
                        new Problem(
                            "positions",
                            "field 'positions' holds offsets, not below 0; got "
                                + offset
                                + " for "
                                + topic));
                  }
                });
      }
    } else {
      p.add(
          new Problem(
              "",
              "not an upstream event: " + (event == null ? "null" : event.getClass().getName())));
    }
  }

  private static void id(List<Problem> problems, String field, String value) {
    if (value == null || value.isBlank()) {
      problems.add(new Problem(field, "field '" + field + "' must not be blank"));
    } else {
      longest(problems, field, value, MAX_ID_LENGTH);
    }
  }

  private static void text(List<Problem> problems, String field, String value) {
    if (value != null) {
      longest(problems, field, value, MAX_TEXT_LENGTH);
    }
  }

  private static void longest(List<Problem> problems, String field, String value, int max) {
    if (value.length() > max) {
      problems.add(
          new Problem(
              field,
              "field '"
                  + field
                  + "' is at most "
                  + max
                  + " characters long, got "
                  + value.length()));
    }
  }

  private static void between(List<Problem> problems, String field, long value, long max) {
    if (value <= 0) {
      problems.add(new Problem(field, "field '" + field + "' must be positive, got " + value));
    } else if (value > max) {
      problems.add(
          new Problem(field, "field '" + field + "' must be at most " + max + ", got " + value));
    }
  }

  private static void instant(List<Problem> problems, String field, Instant value) {
    if (value != null && !inRange(value)) {
      problems.add(
          new Problem(
              field,
              "field '"
                  + field
                  + "' must be from "
                  + EARLIEST
                  + " and before "
                  + LATEST
                  + ", got "
                  + value));
    }
  }
}
