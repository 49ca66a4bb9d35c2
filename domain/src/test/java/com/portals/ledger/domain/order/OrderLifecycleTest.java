package com.portals.ledger.domain.order;

import static org.assertj.core.api.Assertions.assertThat;

import com.portals.ledger.domain.attribution.Click;
import com.portals.ledger.domain.attribution.Tracking;
import com.portals.ledger.domain.money.Money;
import com.portals.ledger.domain.money.Rate;
import com.portals.ledger.domain.order.CommissionMovement.Kind;
import com.portals.ledger.domain.order.OrderLifecycle.Outcome;
import com.portals.ledger.domain.rules.LedgerRules;
import com.portals.ledger.domain.rules.ReleasePolicy;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OrderLifecycleTest {

  private static final Instant PLACED = Instant.parse("2026-01-10T10:05:00Z");
  private static final Click CLICK =
      new Click("k1", "aff-1", "s1", Instant.parse("2026-01-10T10:00:00Z"), Tracking.NONE);
  private static final RateBook ELECTRONICS_AT_900 =
      (category, at) ->
          category.equals("electronics") ? Optional.of(Rate.bps(900)) : Optional.empty();

  private final OrderLifecycle lifecycle = new OrderLifecycle(LedgerRules.DEFAULTS);

  private static List<OrderLine> lines(long... amounts) {
    return java.util.Arrays.stream(amounts)
        .mapToObj(a -> new OrderLine("p-" + a, "electronics", Money.cents(a), 1))
        .toList();
  }

  private Order placed(long... amounts) {
    return lifecycle.place("o1", "e2", PLACED, lines(amounts), CLICK, ELECTRONICS_AT_900).order();
  }

  @Test
  void shouldEarnTheCategoryRateRoundedHalfEvenPerLine() {
    Outcome outcome =
        lifecycle.place("o1", "e2", PLACED, lines(50, 150, 10000), CLICK, ELECTRONICS_AT_900);

    assertThat(outcome.order().lines())
        .extracting(PricedLine::commission)
        .containsExactly(Money.cents(4), Money.cents(14), Money.cents(900));
    assertThat(outcome.order().commission()).isEqualTo(Money.cents(918));
    assertThat(outcome.order().amount()).isEqualTo(Money.cents(10200));
    assertThat(outcome.movements())
        .containsExactly(
            new CommissionMovement(
                Kind.ACCRUED, "aff-1", "o1", Money.cents(918), PLACED, "e2", null));
  }

  @Test
  void shouldApplyAtLeastEightPercent() {
    RateBook low = (category, at) -> Optional.of(Rate.bps(500));

    Order order = lifecycle.place("o1", "e2", PLACED, lines(10000), CLICK, low).order();

    assertThat(order.lines().get(0).rate()).isEqualTo(Rate.bps(800));
    assertThat(order.commission()).isEqualTo(Money.cents(800));
  }

  @Test
  void shouldUseTheDefaultRateForACategoryWithoutOne() {
    Order order =
        lifecycle
            .place(
                "o1",
                "e2",
                PLACED,
                List.of(new OrderLine("p", "toys", Money.cents(10000), 1)),
                CLICK,
                ELECTRONICS_AT_900)
            .order();

    assertThat(order.commission()).isEqualTo(Money.cents(800));
  }

  @Test
  void shouldKeepAnUnattributedOrderWithoutCommission() {
    Outcome outcome = lifecycle.place("o1", "e2", PLACED, lines(10000), null, ELECTRONICS_AT_900);

    assertThat(outcome.order().isAttributed()).isFalse();
    assertThat(outcome.order().commission()).isEqualTo(Money.ZERO);
    assertThat(outcome.movements()).isEmpty();
    assertThat(lifecycle.complete(outcome.order(), "e3", PLACED.plusSeconds(60)).movements())
        .isEmpty();
  }

  @Test
  void shouldReverseARefundProRataHalfEven() {
    Order order = placed(50, 150, 10000);

    Outcome refunded = lifecycle.refund(order, "e5", Money.cents(2550), PLACED.plusSeconds(3600));

    assertThat(refunded.movements())
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.kind()).isEqualTo(Kind.REFUNDED);
              assertThat(m.amount()).isEqualTo(Money.cents(230));
              assertThat(m.completedAt()).isNull();
            });
    assertThat(refunded.order().remainingCommission()).isEqualTo(Money.cents(688));
  }

  @Test
  void shouldReverseEverythingLeftWhenTheWholeOrderIsRefunded() {
    Order order = placed(10000, 5);
    Order afterFirst = lifecycle.refund(order, "r1", Money.cents(3335), PLACED).order();
    Order afterSecond = lifecycle.refund(afterFirst, "r2", Money.cents(3335), PLACED).order();

    Outcome last = lifecycle.refund(afterSecond, "r3", Money.cents(3335), PLACED);

    assertThat(last.order().remainingCommission()).isEqualTo(Money.ZERO);
    assertThat(last.order().reportStatus()).isEqualTo("REFUNDED");
  }

  @Test
  void shouldRejectARefundBeyondTheOrderAmount() {
    Outcome outcome = lifecycle.refund(placed(10000), "r1", Money.cents(10001), PLACED);

    assertThat(outcome.rejected().code()).isEqualTo("REFUND_EXCEEDS_ORDER");
    assertThat(outcome.movements()).isEmpty();
  }

  @Test
  void shouldMoveTheRemainingCommissionOnCompletion() {
    Order order = lifecycle.refund(placed(50, 150, 10000), "e5", Money.cents(2550), PLACED).order();
    Instant completedAt = Instant.parse("2026-01-20T08:00:00Z");

    Outcome completed = lifecycle.complete(order, "e3", completedAt);

    assertThat(completed.order().status()).isEqualTo(OrderStatus.COMPLETED);
    assertThat(completed.order().completedAt()).isEqualTo(completedAt);
    assertThat(completed.movements())
        .containsExactly(
            new CommissionMovement(
                Kind.COMPLETED, "aff-1", "o1", Money.cents(688), completedAt, "e3", completedAt));
  }

  @Test
  void shouldTellARefundAfterCompletionWhenTheOrderCompleted() {
    Instant completedAt = Instant.parse("2026-01-20T08:00:00Z");
    Order completed = lifecycle.complete(placed(10000), "e3", completedAt).order();

    Outcome refunded =
        lifecycle.refund(completed, "e5", Money.cents(2500), Instant.parse("2026-02-01T08:00:00Z"));

    assertThat(refunded.movements())
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.amount()).isEqualTo(Money.cents(225));
              assertThat(m.completedAt()).isEqualTo(completedAt);
            });
  }

  @Test
  void shouldReverseThePendingCommissionOnCancellation() {
    Outcome cancelled = lifecycle.cancel(placed(10000), "e4", PLACED.plusSeconds(60));

    assertThat(cancelled.order().status()).isEqualTo(OrderStatus.CANCELLED);
    assertThat(cancelled.movements())
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.kind()).isEqualTo(Kind.CANCELLED);
              assertThat(m.amount()).isEqualTo(Money.cents(900));
            });
  }

  @Test
  void shouldRefuseToCancelACompletedOrder() {
    Order completed = lifecycle.complete(placed(10000), "e3", PLACED.plusSeconds(60)).order();

    Outcome outcome = lifecycle.cancel(completed, "e4", PLACED.plusSeconds(120));

    assertThat(outcome.rejected().code()).isEqualTo("ORDER_ALREADY_COMPLETED");
    assertThat(outcome.order()).isEqualTo(completed);
  }

  @Test
  void shouldRefuseToCompleteTwiceOrToRefundACancelledOrder() {
    Order completed = lifecycle.complete(placed(10000), "e3", PLACED.plusSeconds(60)).order();
    Order cancelled = lifecycle.cancel(placed(10000), "e4", PLACED.plusSeconds(60)).order();

    assertThat(lifecycle.complete(completed, "e3b", PLACED.plusSeconds(90)).rejected().code())
        .isEqualTo("ORDER_ALREADY_COMPLETED");
    assertThat(
            lifecycle
                .refund(cancelled, "e5", Money.cents(1), PLACED.plusSeconds(90))
                .rejected()
                .code())
        .isEqualTo("ORDER_CANCELLED");
  }

  @Test
  void shouldCompleteAnOpenOrderSixtyDaysAfterPlacement() {
    Order order =
        lifecycle
            .place(
                "o1",
                "e2",
                Instant.parse("2026-01-11T00:00:30Z"),
                lines(10000),
                CLICK,
                ELECTRONICS_AT_900)
            .order();

    Outcome released = lifecycle.release(order);

    assertThat(order.releaseAt()).isEqualTo(Instant.parse("2026-03-12T00:00:30Z"));
    assertThat(released.order().status()).isEqualTo(OrderStatus.COMPLETED);
    assertThat(released.order().completedAt()).isEqualTo(order.releaseAt());
    assertThat(released.movements())
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.kind()).isEqualTo(Kind.COMPLETED);
              assertThat(m.cause()).isEqualTo("release:o1");
              assertThat(m.effectiveAt()).isEqualTo(order.releaseAt());
            });
  }

  @Test
  void shouldExpireAnOpenOrderUnderTheExpirePolicy() {
    LedgerRules expire =
        new LedgerRules(
            LedgerRules.DEFAULTS.sessionTtl(),
            LedgerRules.DEFAULTS.defaultRate(),
            LedgerRules.DEFAULTS.releaseAfter(),
            ReleasePolicy.EXPIRE,
            LedgerRules.DEFAULTS.calendar(),
            LedgerRules.DEFAULTS.withdrawalMinimum(),
            LedgerRules.DEFAULTS.withdrawalFee(),
            LedgerRules.DEFAULTS.orphanGrace());
    OrderLifecycle expiring = new OrderLifecycle(expire);
    Order order =
        expiring.place("o1", "e2", PLACED, lines(10000), CLICK, ELECTRONICS_AT_900).order();

    Outcome released = expiring.release(order);

    assertThat(released.order().status()).isEqualTo(OrderStatus.EXPIRED);
    assertThat(released.movements())
        .extracting(CommissionMovement::kind)
        .containsExactly(Kind.EXPIRED);
    assertThat(
            expiring
                .complete(released.order(), "e3", order.releaseAt().plusSeconds(1))
                .rejected()
                .code())
        .isEqualTo("ORDER_EXPIRED");
  }

  @Test
  void shouldReleaseFirstWhenAnEventComesAfterTheReleaseInstant() {
    Order order = placed(10000);
    Instant late = order.releaseAt().plusSeconds(3600);

    Outcome outcome = lifecycle.complete(order, "e3", late);

    assertThat(outcome.rejected().code()).isEqualTo("ORDER_ALREADY_COMPLETED");
    assertThat(outcome.order().completedAt()).isEqualTo(order.releaseAt());
    assertThat(outcome.movements())
        .singleElement()
        .satisfies(m -> assertThat(m.cause()).isEqualTo("release:o1"));
  }

  @Test
  void shouldLeaveOrdersThatAreNoLongerPendingAloneOnRelease() {
    Order cancelled = lifecycle.cancel(placed(10000), "e4", PLACED.plusSeconds(60)).order();

    assertThat(lifecycle.release(cancelled).movements()).isEmpty();
    assertThat(lifecycle.release(cancelled).order()).isEqualTo(cancelled);
  }

  @Test
  void shouldNotLetAnEventTakeEffectBeforeItsOrderWasPlaced() {
    Outcome completed = lifecycle.complete(placed(10000), "e3", PLACED.minusSeconds(5));

    assertThat(completed.order().completedAt()).isEqualTo(PLACED);
  }
}
