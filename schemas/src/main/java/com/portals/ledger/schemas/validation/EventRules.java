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
import com.portals.ledger.avro.events.PayoutCompleted;
import com.portals.ledger.avro.events.PayoutFailed;
import com.portals.ledger.avro.events.WithdrawalEvent;
import com.portals.ledger.avro.events.WithdrawalRequested;
import java.util.ArrayList;
import java.util.List;

/**
 * The value rules every upstream event must meet before the ledger applies it: identifiers are not
 * blank, amounts are positive, an order has lines, a rate is between 0 and 10000 bps. The same
 * rules run in {@code ledger publish}, in {@code POST /events} and in the stream (for records other
 * producers wrote), so an event is judged alike wherever it enters.
 *
 * <p>Decisions that depend on state (a withdrawal against a balance, a bank account's checksum) are
 * not here: those are the domain's and end as decisions, not as invalid events.
 */
public final class EventRules {

  /** Highest rate accepted: 100%. */
  public static final int MAX_RATE_BPS = 10_000;

  private EventRules() {}

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
    } else if (event instanceof OrderPlaced e) {
      id(p, "eventId", e.getEventId());
      id(p, "orderId", e.getOrderId());
      if (e.getSessionId() != null) {
        id(p, "sessionId", e.getSessionId());
      }
      if (e.getLines().isEmpty()) {
        p.add(new Problem("lines", "field 'lines' must hold at least one line"));
      }
      for (int i = 0; i < e.getLines().size(); i++) {
        OrderLine line = e.getLines().get(i);
        String prefix = "lines[" + i + "].";
        id(p, prefix + "productId", line.getProductId());
        id(p, prefix + "category", line.getCategory());
        positive(p, prefix + "amountCents", line.getAmountCents());
        positive(p, prefix + "quantity", line.getQuantity());
      }
    } else if (event instanceof OrderCompleted e) {
      id(p, "eventId", e.getEventId());
      id(p, "orderId", e.getOrderId());
    } else if (event instanceof OrderCancelled e) {
      id(p, "eventId", e.getEventId());
      id(p, "orderId", e.getOrderId());
    } else if (event instanceof OrderRefunded e) {
      id(p, "eventId", e.getEventId());
      id(p, "orderId", e.getOrderId());
      positive(p, "refundCents", e.getRefundCents());
    } else if (event instanceof CommissionRateSet e) {
      id(p, "eventId", e.getEventId());
      id(p, "category", e.getCategory());
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
        positive(p, "amountCents", e.getAmountCents());
      }
      BankAccount bank = e.getBankAccount();
      id(p, "bankAccount.iban", bank.getIban());
      id(p, "bankAccount.swift", bank.getSwift());
      id(p, "bankAccount.holder", bank.getHolder());
    } else if (event instanceof PayoutCompleted e) {
      id(p, "eventId", e.getEventId());
      id(p, "withdrawalId", e.getWithdrawalId());
      id(p, "affiliateId", e.getAffiliateId());
    } else if (event instanceof PayoutFailed e) {
      id(p, "eventId", e.getEventId());
      id(p, "withdrawalId", e.getWithdrawalId());
      id(p, "affiliateId", e.getAffiliateId());
    } else if (event instanceof ClockTick) {
      // a tick carries only its instant, which Avro already guarantees
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
    }
  }

  private static void positive(List<Problem> problems, String field, long value) {
    if (value <= 0) {
      problems.add(new Problem(field, "field '" + field + "' must be positive, got " + value));
    }
  }
}
