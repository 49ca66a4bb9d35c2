package com.portals.ledger.streams;

import static com.portals.ledger.streams.Json.cancelled;
import static com.portals.ledger.streams.Json.click;
import static com.portals.ledger.streams.Json.completed;
import static com.portals.ledger.streams.Json.line;
import static com.portals.ledger.streams.Json.placed;
import static com.portals.ledger.streams.Json.rate;
import static com.portals.ledger.streams.Json.refunded;
import static org.assertj.core.api.Assertions.assertThat;

import com.portals.ledger.avro.events.OrderEvent;
import com.portals.ledger.avro.events.OrderLine;
import com.portals.ledger.avro.events.OrderPlaced;
import com.portals.ledger.avro.ledger.Balance;
import com.portals.ledger.avro.ledger.EntryKind;
import com.portals.ledger.avro.ledger.JournalEntry;
import com.portals.ledger.avro.ledger.JournalLeg;
import com.portals.ledger.avro.ledger.OrderState;
import com.portals.ledger.avro.ledger.PricedLine;
import com.portals.ledger.avro.ledger.Rejection;
import com.portals.ledger.schemas.serde.LedgerSerdes;
import com.portals.ledger.schemas.topics.Topics;
import com.portals.ledger.schemas.validation.EventRules;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The write side through the production topology: attribution, commission, the order lifecycle and
 * the journal, given events, when time moves, then journal entries, balances and order states.
 */
class CommissionTopologyTest {

  private final LedgerDriver ledger = new LedgerDriver();

  @AfterEach
  void close() {
    ledger.close();
  }

  private static long cents(Balance balance, String field) {
    return switch (field) {
      case "pending" -> balance.getPendingCents();
      case "awaiting" -> balance.getAwaitingRefreshCents();
      default -> balance.getBalanceCents();
    };
  }

  @Test
  void shouldPayCommissionOnProductBWhenTheSessionClickedProductA() {
    ledger
        .given(
            click("e1", "aff-1", "s1", "2026-01-10T10:00:00Z", "p-A"),
            placed("e2", "o1", "s1", "2026-01-10T10:05:00Z", line("toys", 10000)))
        .tick("2026-01-10T11:00:00Z");

    assertThat(ledger.order("o1").getClick().getAffiliateId()).isEqualTo("aff-1");
    assertThat(ledger.order("o1").getCommissionCents()).isEqualTo(800);
    assertThat(cents(ledger.balance("aff-1"), "pending")).isEqualTo(800);
    assertThat(ledger.journal())
        .singleElement()
        .satisfies(
            entry -> {
              assertThat(entry.getKind()).isEqualTo(EntryKind.COMMISSION_ACCRUED);
              assertThat(entry.getEntryId()).isEqualTo("COMMISSION_ACCRUED:e2");
              assertThat(entry.getCausingEventId()).isEqualTo("e2");
              assertThat(entry.getOrderId()).isEqualTo("o1");
              assertThat(entry.getLegs())
                  .extracting(JournalLeg::getAccount, JournalLeg::getAmountCents)
                  .containsExactly(
                      org.assertj.core.groups.Tuple.tuple("platform:commission-expense", 800L),
                      org.assertj.core.groups.Tuple.tuple("affiliate:aff-1:pending", -800L));
            });
  }

  @Test
  void shouldPayNothingWithoutAClickInTheSession() {
    ledger
        .given(
            click("e1", "aff-1", "other-session", "2026-01-10T10:00:00Z"),
            placed("e2", "o1", "s1", "2026-01-10T10:05:00Z", line("toys", 10000)),
            placed("e3", "o2", null, "2026-01-10T10:06:00Z", line("toys", 10000)))
        .tick("2026-01-10T11:00:00Z");

    assertThat(ledger.order("o1").getClick()).isNull();
    assertThat(ledger.order("o1").getCommissionCents()).isZero();
    assertThat(ledger.order("o2").getClick()).isNull();
    assertThat(ledger.journal()).isEmpty();
    assertThat(ledger.balances()).isEmpty();
  }

  @Test
  void shouldPayNothingWhenTheLastClickIsOlderThanTheSessionTtl() {
    ledger
        .given(
            click("e1", "aff-1", "s1", "2026-01-10T10:00:00Z"),
            placed("e2", "o1", "s1", "2026-01-11T10:00:00.001Z", line("toys", 10000)),
            click("e3", "aff-2", "s2", "2026-01-10T10:00:00Z"),
            placed("e4", "o2", "s2", "2026-01-11T10:00:00Z", line("toys", 10000)))
        .tick("2026-01-12T00:00:00Z");

    assertThat(ledger.order("o1").getClick()).isNull();
    assertThat(ledger.order("o2").getClick().getAffiliateId()).isEqualTo("aff-2");
  }

  @Test
  void shouldAttributeToTheLastClickBeforeTheOrderEvenIfLaterClicksArrivedFirst() {
    ledger
        .given(
            click("e9", "aff-9", "s1", "2026-01-10T10:10:00Z"),
            click("e1", "aff-1", "s1", "2026-01-10T10:00:00Z"),
            placed("e2", "o1", "s1", "2026-01-10T10:05:00Z", line("toys", 10000)))
        .tick("2026-01-10T11:00:00Z");

    assertThat(ledger.order("o1").getClick().getAffiliateId()).isEqualTo("aff-1");
    assertThat(ledger.order("o1").getClick().getAf()).isEqualTo("sub7");
  }

  @Test
  void shouldEarnTheCategoryRateRoundedHalfEvenPerLine() {
    ledger
        .given(
            rate("r1", "electronics", 900, "2026-01-01T00:00:00Z"),
            click("e1", "aff-1", "s1", "2026-01-10T10:00:00Z"),
            placed(
                "e2",
                "o1",
                "s1",
                "2026-01-10T10:05:00Z",
                line("electronics", 50),
                line("electronics", 150),
                line("electronics", 10000)))
        .tick("2026-01-10T11:00:00Z");

    assertThat(ledger.order("o1").getLines())
        .extracting(PricedLine::getCommissionCents)
        .containsExactly(4L, 14L, 900L);
    assertThat(ledger.order("o1").getLines()).extracting(PricedLine::getRateBps).containsOnly(900);
    assertThat(cents(ledger.balance("aff-1"), "pending")).isEqualTo(918);
  }

  @Test
  void shouldApplyTheRateInForceAtTheOrdersTime() {
    ledger
        .given(
            rate("r1", "electronics", 900, "2026-01-01T00:00:00Z"),
            rate("r2", "electronics", 1200, "2026-02-01T00:00:00Z"),
            click("e1", "aff-1", "s1", "2026-01-10T10:00:00Z"),
            placed("e2", "o1", "s1", "2026-01-10T10:05:00Z", line("electronics", 10000)),
            click("e3", "aff-1", "s2", "2026-02-10T10:00:00Z"),
            placed("e4", "o2", "s2", "2026-02-10T10:05:00Z", line("electronics", 10000)))
        .tick("2026-02-11T00:00:00Z");

    assertThat(ledger.order("o1").getCommissionCents()).isEqualTo(900);
    assertThat(ledger.order("o2").getCommissionCents()).isEqualTo(1200);
  }

  @Test
  void shouldRaiseARateBelowEightPercentAndReportIt() {
    ledger
        .given(
            rate("r1", "books", 500, "2026-01-01T00:00:00Z"),
            click("e1", "aff-1", "s1", "2026-01-10T10:00:00Z"),
            placed("e2", "o1", "s1", "2026-01-10T10:05:00Z", line("books", 10000)))
        .tick("2026-01-10T11:00:00Z");

    assertThat(ledger.order("o1").getCommissionCents()).isEqualTo(800);
    assertThat(ledger.rejections())
        .singleElement()
        .satisfies(
            rejection -> {
              assertThat(rejection.getReasonCode()).isEqualTo("RATE_BELOW_MINIMUM");
              assertThat(rejection.getEventId()).isEqualTo("r1");
              assertThat(rejection.getSourceTopic()).isEqualTo("portals.commission-rates");
              assertThat(rejection.getOriginalValue()).isNotNull();
            });
  }

  @Test
  void shouldReportARateWhenItArrivesNotWhenATickReleasesIt() {
    ledger
        .tick("2026-01-10T11:00:00Z")
        .given(
            rate("r1", "toys", 700, "2026-01-10T12:00:00Z"),
            rate("r1", "toys", 700, "2026-01-10T12:00:00Z"));

    // No tick has come after the rate, so it waits in intake; its sender hears at once.
    assertThat(ledger.rejections())
        .extracting(rejection -> rejection.getReasonCode() + " " + rejection.getEventId())
        .containsExactly("RATE_BELOW_MINIMUM r1", "DUPLICATE_EVENT r1");
  }

  @Test
  void shouldRejectAnAmountBeyondTheBoundsAndApplyTheEventsThatFollow() {
    // A foreign producer bypasses publish's checks: 9e18 cents would overflow pricing.
    OrderPlaced poison =
        OrderPlaced.newBuilder()
            .setEventId("e-poison")
            .setOrderId("o-poison")
            .setSessionId("s1")
            .setLines(
                List.of(
                    OrderLine.newBuilder()
                        .setProductId("p")
                        .setCategory("toys")
                        .setAmountCents(9_000_000_000_000_000_000L)
                        .build()))
            .setOccurredAt(Instant.parse("2026-01-10T10:01:00Z"))
            .build();
    ledger
        .given(click("e1", "aff-1", "s1", "2026-01-10T10:00:00Z"))
        .givenBytes(
            Topics.ORDERS,
            "o-poison",
            Topics.ORDERS
                .valueSerde(LedgerSerdes.singleObject())
                .serializer()
                .serialize("", OrderEvent.newBuilder().setEvent(poison).build()),
            poison.getOccurredAt())
        .given(placed("e2", "o1", "s1", "2026-01-10T10:05:00Z", line("toys", 10000)))
        .tick("2026-01-10T11:00:00Z");

    assertThat(ledger.rejections())
        .singleElement()
        .satisfies(
            rejection -> {
              assertThat(rejection.getReasonCode()).isEqualTo("INVALID_EVENT");
              assertThat(rejection.getEventId()).isEqualTo("e-poison");
              assertThat(rejection.getMessage())
                  .contains("lines[0].amountCents", "at most " + EventRules.MAX_LINE_CENTS);
            });
    assertThat(ledger.order("o-poison")).isNull();
    assertThat(ledger.order("o1").getCommissionCents()).isEqualTo(800);
    assertThat(cents(ledger.balance("aff-1"), "pending")).isEqualTo(800);
  }

  @Test
  void shouldReverseAPartialRefundOfTheLargestOrderExactly() {
    // 8% of US$1B, times the refund, is beyond a long before the division: computed exactly.
    ledger
        .given(
            click("e1", "aff-1", "s1", "2026-01-10T10:00:00Z"),
            placed(
                "e2", "o1", "s1", "2026-01-10T10:05:00Z", line("toys", EventRules.MAX_LINE_CENTS)),
            refunded("e3", "o1", 50_000_000_001L, "2026-01-11T08:00:00Z"))
        .tick("2026-01-12T00:00:00Z");

    assertThat(ledger.rejections()).isEmpty();
    // 8,000,000,000 x 50,000,000,001 / 100,000,000,000 = 4,000,000,000.08
    assertThat(ledger.order("o1").getCommissionCents()).isEqualTo(8_000_000_000L);
    assertThat(cents(ledger.balance("aff-1"), "pending")).isEqualTo(4_000_000_000L);
  }

  @Test
  void shouldReverseARefundProRataAndLeaveTheRest() {
    ledger
        .given(
            rate("r1", "electronics", 900, "2026-01-01T00:00:00Z"),
            click("e1", "aff-1", "s1", "2026-01-10T10:00:00Z"),
            placed(
                "e2",
                "o1",
                "s1",
                "2026-01-10T10:05:00Z",
                line("electronics", 50),
                line("electronics", 150),
                line("electronics", 10000)),
            refunded("e5", "o1", 2550, "2026-01-11T08:00:00Z"))
        .tick("2026-01-12T00:00:00Z");

    assertThat(ledger.journal())
        .filteredOn(e -> e.getKind() == EntryKind.COMMISSION_REFUNDED)
        .singleElement()
        .satisfies(e -> assertThat(e.getLegs().get(0).getAmountCents()).isEqualTo(230));
    assertThat(cents(ledger.balance("aff-1"), "pending")).isEqualTo(688);
    assertThat(ledger.order("o1").getRefundedCents()).isEqualTo(2550);
  }

  @Test
  void shouldMoveCommissionToAwaitingRefreshOnCompletionAndRemoveItOnCancellation() {
    ledger
        .given(
            click("e1", "aff-1", "s1", "2026-01-10T10:00:00Z"),
            placed("e2", "o1", "s1", "2026-01-10T10:05:00Z", line("toys", 10000)),
            placed("e3", "o2", "s1", "2026-01-10T10:06:00Z", line("toys", 5000)))
        .tick("2026-01-11T00:00:00Z");
    assertThat(cents(ledger.balance("aff-1"), "pending")).isEqualTo(1200);

    ledger
        .given(
            completed("e4", "o1", "2026-01-20T08:00:00Z"),
            cancelled("e5", "o2", "2026-01-21T08:00:00Z"))
        .tick("2026-01-22T00:00:00Z");

    Balance balance = ledger.balance("aff-1");
    assertThat(balance.getPendingCents()).isZero();
    assertThat(balance.getAwaitingRefreshCents()).isEqualTo(800);
    assertThat(balance.getBalanceCents()).isZero();
    assertThat(ledger.order("o1").getStatus()).isEqualTo("COMPLETED");
    assertThat(ledger.order("o1").getCompletedAt()).hasToString("2026-01-20T08:00:00Z");
    assertThat(ledger.order("o2").getStatus()).isEqualTo("CANCELLED");
    assertThat(ledger.journal())
        .extracting(JournalEntry::getKind)
        .containsExactly(
            EntryKind.COMMISSION_ACCRUED,
            EntryKind.COMMISSION_ACCRUED,
            EntryKind.COMMISSION_COMPLETED,
            EntryKind.COMMISSION_CANCELLED);
  }

  @Test
  void shouldHoldALifecycleEventThatArrivesBeforeItsOrder() {
    ledger
        .given(completed("e4", "o1", "2026-01-10T12:00:00Z"))
        .tick("2026-01-10T13:00:00Z")
        .given(
            click("e1", "aff-1", "s1", "2026-01-10T10:00:00Z"),
            placed("e2", "o1", "s1", "2026-01-10T10:05:00Z", line("toys", 10000)))
        .tick("2026-01-10T14:00:00Z");

    assertThat(ledger.order("o1").getStatus()).isEqualTo("COMPLETED");
    assertThat(ledger.balance("aff-1").getAwaitingRefreshCents()).isEqualTo(800);
    assertThat(ledger.rejections()).isEmpty();
  }

  @Test
  void shouldRejectALifecycleEventWhoseOrderNeverCame() {
    ledger.given(completed("e4", "ghost", "2026-01-10T12:00:00Z")).tick("2026-01-11T11:00:00Z");
    assertThat(ledger.rejections()).isEmpty();

    ledger.tick("2026-01-11T12:00:00Z");

    assertThat(ledger.rejections())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getReasonCode()).isEqualTo("ORDER_NOT_FOUND");
              assertThat(r.getEventId()).isEqualTo("e4");
              assertThat(r.getSourceTopic()).isEqualTo("portals.orders");
            });
  }

  @Test
  void shouldApplyAnEventOnceAndReportItsDuplicate() {
    ledger
        .given(
            click("e1", "aff-1", "s1", "2026-01-10T10:00:00Z"),
            placed("e2", "o1", "s1", "2026-01-10T10:05:00Z", line("toys", 10000)),
            refunded("e5", "o1", 1000, "2026-01-10T11:00:00Z"),
            refunded("e5", "o1", 1000, "2026-01-10T11:00:00Z"))
        .tick("2026-01-11T00:00:00Z");

    assertThat(ledger.balance("aff-1").getPendingCents()).isEqualTo(720);
    assertThat(ledger.rejections())
        .extracting(Rejection::getReasonCode)
        .containsExactly("DUPLICATE_EVENT");
  }

  @Test
  void shouldRejectAnOrderPlacedTwiceUnderTwoEventIds() {
    ledger
        .given(
            click("e1", "aff-1", "s1", "2026-01-10T10:00:00Z"),
            placed("e2", "o1", "s1", "2026-01-10T10:05:00Z", line("toys", 10000)),
            placed("e3", "o1", "s1", "2026-01-10T10:06:00Z", line("toys", 99999)))
        .tick("2026-01-11T00:00:00Z");

    assertThat(ledger.order("o1").getAmountCents()).isEqualTo(10000);
    assertThat(ledger.rejections())
        .extracting(Rejection::getReasonCode)
        .containsExactly("ORDER_ALREADY_PLACED");
  }

  @Test
  void shouldWaitForTheClockBeforeApplyingAnything() {
    ledger.given(
        click("e1", "aff-1", "s1", "2026-01-10T10:00:00Z"),
        placed("e2", "o1", "s1", "2026-01-10T10:05:00Z", line("toys", 10000)));
    assertThat(ledger.journal()).isEmpty();

    ledger.tick("2026-01-10T10:05:00Z");
    assertThat(ledger.journal()).isEmpty();

    ledger.tick("2026-01-10T10:05:00.001Z");
    assertThat(ledger.journal()).hasSize(1);
  }

  @Test
  void shouldKeepTrackingStringsOnTheOrder() {
    ledger
        .given(
            click("e1", "aff-1", "s1", "2026-01-10T10:00:00Z"),
            placed("e2", "o1", "s1", "2026-01-10T10:05:00Z", line("toys", 10000)))
        .tick("2026-01-10T11:00:00Z");

    OrderState order = ledger.order("o1");
    assertThat(order.getClick().getTrackingId()).isEqualTo("blog");
    assertThat(order.getClick().getAf()).isEqualTo("sub7");
    assertThat(order.getClick().getCn()).isEqualTo("spring");
    assertThat(order.getClick().getCv()).isEqualTo("banner-3");
    assertThat(order.getClick().getDp()).isEqualTo("x");
    assertThat(order.getClick().getPromotionType()).isEqualTo("BANNER");
  }
}
