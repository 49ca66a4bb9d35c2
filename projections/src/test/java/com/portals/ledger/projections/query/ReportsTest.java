package com.portals.ledger.projections.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.portals.ledger.avro.events.ClickRecorded;
import com.portals.ledger.avro.ledger.EntryKind;
import com.portals.ledger.avro.ledger.JournalEntry;
import com.portals.ledger.avro.ledger.JournalLeg;
import com.portals.ledger.avro.ledger.OrderState;
import com.portals.ledger.avro.ledger.TrackedClick;
import com.portals.ledger.projections.query.IncomeReport.Granularity;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportsTest {

  private static JournalEntry entry(EntryKind kind, long cents, String at) {
    return JournalEntry.newBuilder()
        .setEntryId(kind + ":" + at)
        .setAffiliateId("aff-1")
        .setKind(kind)
        .setLegs(List.of(new JournalLeg("a", cents), new JournalLeg("b", -cents)))
        .setCausingEventId("e")
        .setEffectiveAt(Instant.parse(at))
        .build();
  }

  private static OrderState order(
      String id,
      String trackingId,
      String status,
      long amount,
      long commission,
      long reversed,
      long refunded) {
    return OrderState.newBuilder()
        .setOrderId(id)
        .setPlacedEventId("p-" + id)
        .setPlacedAt(Instant.parse("2026-01-10T10:00:00Z"))
        .setReleaseAt(Instant.parse("2026-03-11T10:00:00Z"))
        .setLines(List.of())
        .setAmountCents(amount)
        .setClick(
            trackingId == null
                ? null
                : TrackedClick.newBuilder()
                    .setClickId("k")
                    .setAffiliateId("aff-1")
                    .setOccurredAt(Instant.EPOCH)
                    .setTrackingId(trackingId)
                    .setAf("sub1")
                    .setPromotionType("BANNER")
                    .build())
        .setCommissionCents(commission)
        .setReversedCents(reversed)
        .setRefundedCents(refunded)
        .setStatus(status)
        .build();
  }

  private static ClickRecorded click(String trackingId) {
    return ClickRecorded.newBuilder()
        .setEventId("e")
        .setClickId("k")
        .setAffiliateId("aff-1")
        .setSessionId("s")
        .setTrackingId(trackingId)
        .setOccurredAt(Instant.EPOCH)
        .build();
  }

  @Test
  void shouldSumIncomeByMonthAndState() {
    IncomeReport report = new IncomeReport(Granularity.MONTH);
    report.add(entry(EntryKind.COMMISSION_ACCRUED, 900, "2026-01-10T10:00:00Z"));
    report.add(entry(EntryKind.COMMISSION_REFUNDED, 230, "2026-01-12T10:00:00Z"));
    report.add(entry(EntryKind.COMMISSION_CANCELLED, 100, "2026-01-31T23:59:59Z"));
    report.add(entry(EntryKind.COMMISSION_COMPLETED, 670, "2026-01-20T10:00:00Z"));
    report.add(entry(EntryKind.BALANCE_POSTED, 670, "2026-02-16T00:00:00Z"));
    report.add(entry(EntryKind.WITHDRAWAL_ACCEPTED, 500, "2026-02-17T00:00:00Z"));

    assertThat(report.rows())
        .containsExactly(
            new IncomeReport.Row("2026-01", 900, 670, 0, 330),
            new IncomeReport.Row("2026-02", 0, 0, 670, 0));
  }

  @Test
  void shouldNameDaysInUtc() {
    IncomeReport report = new IncomeReport(Granularity.DAY);
    report.add(entry(EntryKind.COMMISSION_ACCRUED, 1, "2026-01-10T23:59:59Z"));
    report.add(entry(EntryKind.COMMISSION_ACCRUED, 1, "2026-01-11T00:00:00Z"));

    assertThat(report.rows())
        .extracting(IncomeReport.Row::period)
        .containsExactly("2026-01-10", "2026-01-11");
    assertThatThrownBy(() -> Granularity.parse("week")).isInstanceOf(BadRequestException.class);
  }

  @Test
  void shouldReportTrafficWithConversionAndCurrentCommission() {
    TrafficReport report = new TrafficReport(TrafficReport.field("trackingId"));
    report.addClick(click("blog"));
    report.addClick(click("blog"));
    report.addClick(click("blog"));
    report.addClick(click(null));
    report.addOrder(order("o1", "blog", "COMPLETED", 10000, 900, 230, 2550));
    report.addOrder(order("o2", "social", "PENDING", 5000, 400, 0, 0));

    assertThat(report.rows())
        .containsExactly(
            new TrafficReport.Row("(none)", 1, 0, new BigDecimal("0.0000"), 0),
            new TrafficReport.Row("blog", 3, 1, new BigDecimal("0.3333"), 670),
            new TrafficReport.Row("social", 0, 1, new BigDecimal("0.0000"), 400));
    assertThat(TrafficReport.field("AF")).isEqualTo("af");
    assertThatThrownBy(() -> TrafficReport.field("country"))
        .isInstanceOf(BadRequestException.class);
  }

  @Test
  void shouldFilterOrdersByEveryField() {
    OrderState completed = order("o1", "blog", "COMPLETED", 10000, 900, 0, 0);
    completed.setCompletedAt(Instant.parse("2026-01-20T08:00:00Z"));
    OrderState refunded = order("o2", "blog", "COMPLETED", 10000, 900, 900, 10000);
    OrderState unattributed = order("o3", null, "PENDING", 100, 0, 0, 0);

    assertThat(OrderRows.status(refunded)).isEqualTo("REFUNDED");
    assertThat(OrderQuery.parse(null, null, null, null, null, "REFUNDED").matches(refunded))
        .isTrue();
    assertThat(OrderQuery.parse(null, null, null, null, null, "COMPLETED").matches(refunded))
        .isFalse();
    assertThat(OrderQuery.parse(null, null, null, "blog", null, null).matches(unattributed))
        .isFalse();
    assertThat(OrderQuery.parse(null, null, null, null, "BANNER", null).matches(completed))
        .isTrue();
    assertThat(OrderQuery.parse(null, null, null, null, "API", null).matches(completed)).isFalse();
    assertThat(
            OrderQuery.parse("2026-01-20", null, "transaction", null, null, null)
                .matches(completed))
        .isTrue();
    assertThat(
            OrderQuery.parse("2026-01-21", null, "transaction", null, null, null)
                .matches(completed))
        .isFalse();
    assertThat(
            OrderQuery.parse("2026-01-21", null, "transaction", null, null, null)
                .matches(unattributed))
        .isFalse();
    assertThat(OrderQuery.parse(null, null, "transaction", null, null, null).matches(unattributed))
        .isTrue();
    assertThatThrownBy(() -> OrderQuery.parse(null, null, "shipping", null, null, null))
        .hasMessageContaining("dateType");
    assertThatThrownBy(() -> OrderQuery.parse(null, null, null, null, "POPUP", null))
        .hasMessageContaining("promotionType");
    assertThatThrownBy(() -> OrderQuery.parse(null, null, null, null, null, "LOST"))
        .hasMessageContaining("CANCELLED, COMPLETED, EXPIRED, PENDING, REFUNDED");
  }
}
