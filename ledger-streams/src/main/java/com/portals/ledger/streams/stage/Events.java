package com.portals.ledger.streams.stage;

import com.portals.ledger.avro.events.ClickRecorded;
import com.portals.ledger.avro.events.CommissionRateSet;
import com.portals.ledger.avro.events.OrderCancelled;
import com.portals.ledger.avro.events.OrderCompleted;
import com.portals.ledger.avro.events.OrderPlaced;
import com.portals.ledger.avro.events.OrderRefunded;
import com.portals.ledger.avro.events.PayoutBatched;
import com.portals.ledger.avro.events.PayoutCompleted;
import com.portals.ledger.avro.events.PayoutFailed;
import com.portals.ledger.avro.events.WithdrawalRequested;
import java.time.Instant;

/** The id and event time of every upstream event the stages carry. */
public final class Events {

  private Events() {}

  /** The eventId of an upstream event. */
  public static String idOf(Object body) {
    if (body instanceof ClickRecorded e) {
      return e.getEventId();
    } else if (body instanceof OrderPlaced e) {
      return e.getEventId();
    } else if (body instanceof OrderCompleted e) {
      return e.getEventId();
    } else if (body instanceof OrderCancelled e) {
      return e.getEventId();
    } else if (body instanceof OrderRefunded e) {
      return e.getEventId();
    } else if (body instanceof CommissionRateSet e) {
      return e.getEventId();
    } else if (body instanceof WithdrawalRequested e) {
      return e.getEventId();
    } else if (body instanceof PayoutCompleted e) {
      return e.getEventId();
    } else if (body instanceof PayoutFailed e) {
      return e.getEventId();
    } else if (body instanceof PayoutBatched e) {
      return e.getEventId();
    }
    throw new IllegalArgumentException("not an upstream event: " + body);
  }

  /** When an upstream event happened (its record timestamp). */
  public static Instant timeOf(Object body) {
    if (body instanceof ClickRecorded e) {
      return e.getOccurredAt();
    } else if (body instanceof OrderPlaced e) {
      return e.getOccurredAt();
    } else if (body instanceof OrderCompleted e) {
      return e.getOccurredAt();
    } else if (body instanceof OrderCancelled e) {
      return e.getOccurredAt();
    } else if (body instanceof OrderRefunded e) {
      return e.getOccurredAt();
    } else if (body instanceof CommissionRateSet e) {
      return e.getEffectiveFrom();
    } else if (body instanceof WithdrawalRequested e) {
      return e.getOccurredAt();
    } else if (body instanceof PayoutCompleted e) {
      return e.getOccurredAt();
    } else if (body instanceof PayoutFailed e) {
      return e.getOccurredAt();
    } else if (body instanceof PayoutBatched e) {
      return e.getOccurredAt();
    }
    throw new IllegalArgumentException("not an upstream event: " + body);
  }

  /** The affiliate a withdrawal request or payout result belongs to. */
  public static String affiliateOf(Object body) {
    if (body instanceof WithdrawalRequested e) {
      return e.getAffiliateId();
    } else if (body instanceof PayoutCompleted e) {
      return e.getAffiliateId();
    } else if (body instanceof PayoutFailed e) {
      return e.getAffiliateId();
    } else if (body instanceof PayoutBatched e) {
      return e.getAffiliateId();
    }
    throw new IllegalArgumentException("not an account event: " + body);
  }

  /** The order an order event belongs to. */
  public static String orderIdOf(Object body) {
    if (body instanceof OrderPlaced e) {
      return e.getOrderId();
    } else if (body instanceof OrderCompleted e) {
      return e.getOrderId();
    } else if (body instanceof OrderCancelled e) {
      return e.getOrderId();
    } else if (body instanceof OrderRefunded e) {
      return e.getOrderId();
    }
    throw new IllegalArgumentException("not an order event: " + body);
  }
}
