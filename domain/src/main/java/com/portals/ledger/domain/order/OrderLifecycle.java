package com.portals.ledger.domain.order;

import com.portals.ledger.domain.attribution.Click;
import com.portals.ledger.domain.money.Money;
import com.portals.ledger.domain.money.Rate;
import com.portals.ledger.domain.money.Rounding;
import com.portals.ledger.domain.order.CommissionMovement.Kind;
import com.portals.ledger.domain.rules.LedgerRules;
import com.portals.ledger.domain.rules.ReleasePolicy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * The order state machine and its commission: PENDING, then COMPLETED, CANCELLED or (60-day rule,
 * {@code expire} policy) EXPIRED; refunds before and after completion.
 *
 * <p>Every method is pure: given an order and an event it returns the next order, the commission
 * movements the event causes, or the reason the event does not apply. An event at or after the
 * order's release instant first releases a still-open order (as the clock would have), so the
 * outcome does not depend on whether a tick came first.
 */
public final class OrderLifecycle {

  /** Why an event did not apply to its order. */
  public record Rejected(String code, String message) {}

  /**
   * What an event did.
   *
   * @param order the order afterwards
   * @param movements commission movements to journal, in order; a rejected event may still come
   *     with the movements of the 60-day release it triggered first
   * @param rejected non-null if the event did not apply
   */
  public record Outcome(Order order, List<CommissionMovement> movements, Rejected rejected) {
    public Outcome {
      movements = List.copyOf(movements);
    }

    public boolean isRejected() {
      return rejected != null;
    }
  }

  private final LedgerRules rules;

  public OrderLifecycle(LedgerRules rules) {
    this.rules = Objects.requireNonNull(rules);
  }

  /** The rate applied to a category at {@code at}: as set (or the default), never below 8%. */
  public Rate applicableRate(RateBook rates, String category, Instant at) {
    return rates.rateAt(category, at).orElse(rules.defaultRate()).atLeast(Rate.MINIMUM);
  }

  /**
   * A new order: each line earns its rate as of the order's time, rounded half-even per line; an
   * attributed order accrues the sum as pending commission.
   *
   * @param attribution the click the order is attributed to, or null
   */
  public Outcome place(
      String orderId,
      String eventId,
      Instant placedAt,
      List<OrderLine> lines,
      Click attribution,
      RateBook rates) {
    List<PricedLine> priced = new ArrayList<>();
    Money amount = Money.ZERO;
    Money commission = Money.ZERO;
    for (OrderLine line : lines) {
      Rate rate = applicableRate(rates, line.category(), placedAt);
      Money earned = rate.of(line.amount());
      priced.add(new PricedLine(line, rate, earned));
      amount = amount.plus(line.amount());
      commission = commission.plus(earned);
    }
    Money owed = attribution == null ? Money.ZERO : commission;
    Order order =
        new Order(
            orderId,
            placedAt,
            placedAt.plus(rules.releaseAfter()),
            priced,
            amount,
            attribution,
            owed,
            Money.ZERO,
            Money.ZERO,
            OrderStatus.PENDING,
            null,
            null);
    List<CommissionMovement> movements = new ArrayList<>();
    if (owed.isPositive()) {
      movements.add(movement(order, Kind.ACCRUED, owed, placedAt, eventId, null));
    }
    return new Outcome(order, movements, null);
  }

  /** The buyer released payment at {@code at}. */
  public Outcome complete(Order order, String eventId, Instant at) {
    return releasingFirst(order, at, open -> completeOpen(open, eventId, effective(open, at)));
  }

  /** The order was cancelled at {@code at}; only a pending order can be. */
  public Outcome cancel(Order order, String eventId, Instant at) {
    return releasingFirst(
        order,
        at,
        open -> {
          if (open.status() != OrderStatus.PENDING) {
            return rejected(
                open,
                closedCode(open),
                "order " + open.orderId() + " is " + describe(open) + ": it cannot be cancelled");
          }
          Instant when = effective(open, at);
          Order cancelled =
              open.withReversal(open.remainingCommission()).with(OrderStatus.CANCELLED, null, when);
          List<CommissionMovement> movements = new ArrayList<>();
          if (open.remainingCommission().isPositive()) {
            movements.add(
                movement(open, Kind.CANCELLED, open.remainingCommission(), when, eventId, null));
          }
          return new Outcome(cancelled, movements, null);
        });
  }

  /**
   * {@code refund} of the order amount went back to the buyer at {@code at}: reverses {@code
   * commission x refund / amount} (half-even), capped at what is left; the refund that makes the
   * order fully refunded reverses all that is left, so no cent of rounding stays owed.
   */
  public Outcome refund(Order order, String eventId, Money refund, Instant at) {
    return releasingFirst(
        order,
        at,
        open -> {
          if (open.status() == OrderStatus.CANCELLED || open.status() == OrderStatus.EXPIRED) {
            return rejected(
                open,
                closedCode(open),
                "order " + open.orderId() + " is " + describe(open) + ": nothing to refund");
          }
          Money left = open.amount().minus(open.refunded());
          if (refund.isGreaterThan(left)) {
            return rejected(
                open,
                "REFUND_EXCEEDS_ORDER",
                "refund of "
                    + refund.cents()
                    + " exceeds the "
                    + left.cents()
                    + " cents of order "
                    + open.orderId()
                    + " not refunded yet");
          }
          Money remaining = open.remainingCommission();
          Money reversal =
              refund.equals(left)
                  ? remaining
                  : Money.min(
                      Money.cents(
                          Rounding.mulDivHalfEven(
                              open.commission().cents(), refund.cents(), open.amount().cents())),
                      remaining);
          Instant when = effective(open, at);
          List<CommissionMovement> movements = new ArrayList<>();
          if (reversal.isPositive()) {
            movements.add(
                movement(open, Kind.REFUNDED, reversal, when, eventId, open.completedAt()));
          }
          return new Outcome(open.withRefund(refund, reversal), movements, null);
        });
  }

  /**
   * The 60-day rule: an order still pending at its release instant completes then ({@code
   * auto-complete}) or expires ({@code expire}). Orders no longer pending are left as they are.
   */
  public Outcome release(Order order) {
    if (order.status() != OrderStatus.PENDING) {
      return new Outcome(order, List.of(), null);
    }
    String cause = releaseCause(order.orderId());
    Instant at = order.releaseAt();
    if (rules.releasePolicy() == ReleasePolicy.AUTO_COMPLETE) {
      return completeOpen(order, cause, at);
    }
    Order expired =
        order.withReversal(order.remainingCommission()).with(OrderStatus.EXPIRED, null, at);
    List<CommissionMovement> movements = new ArrayList<>();
    if (order.remainingCommission().isPositive()) {
      movements.add(movement(order, Kind.EXPIRED, order.remainingCommission(), at, cause, null));
    }
    return new Outcome(expired, movements, null);
  }

  /** The cause (and journal id part) of the release of {@code orderId}. */
  public static String releaseCause(String orderId) {
    return "release:" + orderId;
  }

  private Outcome completeOpen(Order open, String cause, Instant at) {
    if (open.status() != OrderStatus.PENDING) {
      return rejected(
          open,
          closedCode(open),
          "order " + open.orderId() + " is " + describe(open) + ": it cannot complete again");
    }
    Order completed = open.with(OrderStatus.COMPLETED, at, null);
    List<CommissionMovement> movements = new ArrayList<>();
    if (open.remainingCommission().isPositive()) {
      movements.add(movement(open, Kind.COMPLETED, open.remainingCommission(), at, cause, at));
    }
    return new Outcome(completed, movements, null);
  }

  /** Applies the 60-day release first if {@code at} is at or after it and the order is open. */
  private Outcome releasingFirst(Order order, Instant at, Function<Order, Outcome> then) {
    if (order.status() != OrderStatus.PENDING || at.isBefore(order.releaseAt())) {
      return then.apply(order);
    }
    Outcome released = release(order);
    Outcome next = then.apply(released.order());
    List<CommissionMovement> movements = new ArrayList<>(released.movements());
    if (next.isRejected()) {
      return new Outcome(released.order(), movements, next.rejected());
    }
    movements.addAll(next.movements());
    return new Outcome(next.order(), movements, null);
  }

  /** Events of an order take effect no earlier than its placement (upstream clocks differ). */
  private static Instant effective(Order order, Instant at) {
    return at.isBefore(order.placedAt()) ? order.placedAt() : at;
  }

  private static Outcome rejected(Order order, String code, String message) {
    return new Outcome(order, List.of(), new Rejected(code, message));
  }

  private static String closedCode(Order order) {
    return switch (order.status()) {
      case COMPLETED -> "ORDER_ALREADY_COMPLETED";
      case CANCELLED -> "ORDER_CANCELLED";
      case EXPIRED -> "ORDER_EXPIRED";
      case PENDING -> "ORDER_PENDING";
    };
  }

  private static String describe(Order order) {
    return order.status().name().toLowerCase(Locale.ROOT);
  }

  private static CommissionMovement movement(
      Order order, Kind kind, Money amount, Instant at, String cause, Instant completedAt) {
    return new CommissionMovement(
        kind, order.attributedTo().affiliateId(), order.orderId(), amount, at, cause, completedAt);
  }
}
