package com.portals.ledger.projections.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.portals.ledger.avro.ledger.JournalEntry;
import com.portals.ledger.avro.ledger.JournalLeg;
import com.portals.ledger.avro.ledger.OrderState;
import com.portals.ledger.avro.ledger.TrackedClick;
import com.portals.ledger.avro.ledger.WithdrawalDecision;
import com.portals.ledger.domain.money.Money;
import com.portals.ledger.projections.payout.PayoutRow;
import com.portals.ledger.projections.query.AffiliateRanking;
import com.portals.ledger.projections.query.FinanceSummary;
import com.portals.ledger.projections.query.IncomeReport;
import com.portals.ledger.projections.query.OrderRows;
import com.portals.ledger.projections.query.ReadModel.BalanceView;
import com.portals.ledger.projections.query.Reconciliation;
import com.portals.ledger.projections.query.RejectionPage;
import com.portals.ledger.projections.query.TrafficReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * How the API writes each record: the JSON fields of docs/contract.md (plus a few more, never
 * renamed), the CSV columns of the order report. Written field by field onto the response stream.
 */
final class Views {

  /** CSV columns of live order tracking, as docs/contract.md names them. */
  static final List<String> ORDER_CSV_COLUMNS =
      List.of(
          "order_id",
          "order_date",
          "transaction_date",
          "status",
          "tracking_id",
          "af",
          "cn",
          "cv",
          "dp",
          "promotion_type",
          "order_amount",
          "commission");

  static final CSVFormat ORDER_CSV =
      CSVFormat.DEFAULT
          .builder()
          .setHeader(ORDER_CSV_COLUMNS.toArray(String[]::new))
          .setRecordSeparator("\n")
          .get();

  /** CSV of withdrawals: one record per decision row, amounts in dollars. */
  static final CSVFormat WITHDRAWAL_CSV =
      csv(
          "withdrawal_id",
          "status",
          "amount",
          "fee",
          "payout",
          "reason",
          "requested_amount",
          "message",
          "bank_account",
          "decided_at",
          "batch_id",
          "batched_at",
          "paid_at");

  /** CSV of a payout batch's payments, amounts in dollars. */
  static final CSVFormat PAYOUTS_CSV =
      csv(
          "batch_id",
          "withdrawal_id",
          "affiliate_id",
          "status",
          "amount",
          "fee",
          "payout",
          "currency",
          "creditor_name",
          "iban",
          "bic",
          "batched_at",
          "decided_at",
          "reason",
          "message");

  /** CSV of the journal: one record per leg, so that each entry's amounts sum to zero. */
  static final CSVFormat JOURNAL_CSV =
      csv(
          "entry_id",
          "kind",
          "effective_at",
          "causing_event_id",
          "order_id",
          "withdrawal_id",
          "account",
          "amount");

  static final CSVFormat INCOME_CSV = csv("period", "accrued", "completed", "posted", "reversed");

  static final CSVFormat TRAFFIC_CSV = csv("group", "clicks", "orders", "conversion", "commission");

  static final CSVFormat REJECTION_CSV =
      csv(
          "at",
          "source_topic",
          "source_partition",
          "source_offset",
          "reason_code",
          "message",
          "event_id",
          "event_time",
          "original_key",
          "original_key_base64",
          "original_value_base64");

  static final CSVFormat SUMMARY_CSV =
      csv(
          "currency",
          "ledger_time",
          "affiliates",
          "pending",
          "awaiting_refresh",
          "balance",
          "withdrawn",
          "fees",
          "withdrawals_accepted",
          "withdrawals_rejected",
          "withdrawals_paid",
          "withdrawals_failed",
          "payouts_due",
          "unattributed_orders",
          "unattributed_order_amount");

  /** The reconciliation's table: what disagrees, one line per difference (amounts in cents). */
  static final CSVFormat RECONCILIATION_CSV =
      csv("affiliate_id", "check", "expected", "found", "message");

  private Views() {}

  private static CSVFormat csv(String... columns) {
    return CSVFormat.DEFAULT.builder().setHeader(columns).setRecordSeparator("\n").get();
  }

  private static String dollars(long cents) {
    return Money.cents(cents).toDollars();
  }

  private static String instantCell(Instant at) {
    return at == null ? "" : at.toString();
  }

  static void withdrawalCsv(CSVPrinter csv, WithdrawalDecision w) throws IOException {
    csv.printRecord(
        CsvCells.text(w.getWithdrawalId()),
        w.getStatus().name(),
        dollars(w.getAmountCents()),
        dollars(w.getFeeCents()),
        dollars(w.getPayoutCents()),
        CsvCells.text(w.getReason()),
        w.getRequestedAmountCents() == null ? "" : dollars(w.getRequestedAmountCents()),
        CsvCells.text(w.getMessage()),
        CsvCells.text(w.getBankAccountMasked()),
        instantCell(w.getDecidedAt()),
        CsvCells.text(w.getBatchId()),
        instantCell(w.getBatchedAt()),
        instantCell(paidAt(w)));
  }

  /** When the bank transfer of {@code w} went through, or null if it has not. */
  private static Instant paidAt(WithdrawalDecision w) {
    return w.getStatus() == com.portals.ledger.avro.ledger.WithdrawalStatus.PAID
        ? w.getDecidedAt()
        : null;
  }

  static void payoutCsv(CSVPrinter csv, PayoutRow row) throws IOException {
    csv.printRecord(
        CsvCells.text(row.batchId()),
        CsvCells.text(row.withdrawalId()),
        CsvCells.text(row.affiliateId()),
        row.status(),
        dollars(row.amountCents()),
        dollars(row.feeCents()),
        dollars(row.payoutCents()),
        "USD",
        CsvCells.text(row.holder()),
        CsvCells.text(row.iban()),
        CsvCells.text(row.swift()),
        instantCell(
            row.batchedAtMillis() == null ? null : Instant.ofEpochMilli(row.batchedAtMillis())),
        instantCell(Instant.ofEpochMilli(row.decidedAtMillis())),
        CsvCells.text(row.reason()),
        CsvCells.text(row.message()));
  }

  static void rejectionCsv(CSVPrinter csv, RejectionPage.Row r) throws IOException {
    csv.printRecord(
        r.at(),
        CsvCells.text(r.sourceTopic()),
        r.sourcePartition(),
        r.sourceOffset(),
        CsvCells.text(r.reasonCode()),
        CsvCells.text(r.message()),
        CsvCells.text(r.eventId()),
        r.eventTime() == null ? "" : r.eventTime(),
        CsvCells.text(r.originalKey()),
        r.originalKeyBase64() == null ? "" : r.originalKeyBase64(),
        r.originalValueBase64() == null ? "" : r.originalValueBase64());
  }

  static void summaryCsv(CSVPrinter csv, FinanceSummary s, Instant now) throws IOException {
    csv.printRecord(
        "USD",
        instantCell(now),
        s.affiliates(),
        dollars(s.pendingCents()),
        dollars(s.awaitingRefreshCents()),
        dollars(s.balanceCents()),
        dollars(s.withdrawnCents()),
        dollars(s.feesCents()),
        s.withdrawalsAccepted(),
        s.withdrawalsRejected(),
        s.withdrawalsPaid(),
        s.withdrawalsFailed(),
        dollars(s.payoutsDueCents()),
        s.unattributedOrders(),
        dollars(s.unattributedOrderAmountCents()));
  }

  static void differenceCsv(CSVPrinter csv, Reconciliation.Difference d) throws IOException {
    csv.printRecord(
        CsvCells.text(d.affiliateId()),
        d.check(),
        d.expected(),
        d.found(),
        CsvCells.text(d.message()));
  }

  static void journalCsv(CSVPrinter csv, JournalEntry e) throws IOException {
    for (JournalLeg leg : e.getLegs()) {
      csv.printRecord(
          CsvCells.text(e.getEntryId()),
          e.getKind().name(),
          instantCell(e.getEffectiveAt()),
          CsvCells.text(e.getCausingEventId()),
          CsvCells.text(e.getOrderId()),
          CsvCells.text(e.getWithdrawalId()),
          CsvCells.text(leg.getAccount()),
          dollars(leg.getAmountCents()));
    }
  }

  static void incomeCsv(CSVPrinter csv, IncomeReport.Row row) throws IOException {
    csv.printRecord(
        row.period(),
        dollars(row.accruedCents()),
        dollars(row.completedCents()),
        dollars(row.postedCents()),
        dollars(row.reversedCents()));
  }

  static void trafficCsv(CSVPrinter csv, TrafficReport.Row row) throws IOException {
    csv.printRecord(
        CsvCells.text(row.group()),
        row.clicks(),
        row.orders(),
        row.conversion(),
        dollars(row.commissionCents()));
  }

  /** A balance; {@code asOf} (null for now) is repeated in the answer when asked for. */
  static void balance(JsonGenerator json, BalanceView b, Instant asOf) throws IOException {
    json.writeStartObject();
    json.writeStringField("affiliateId", b.affiliateId());
    json.writeStringField("currency", "USD");
    json.writeNumberField("pendingCents", b.pendingCents());
    json.writeNumberField("awaitingRefreshCents", b.awaitingRefreshCents());
    json.writeNumberField("balanceCents", b.balanceCents());
    json.writeNumberField("withdrawnCents", b.withdrawnCents());
    json.writeNumberField("feesCents", b.feesCents());
    instant(json, "nextRefreshAt", b.nextRefreshAt());
    instant(json, "lastEntryAt", b.asOf());
    json.writeNumberField("entries", b.entries());
    if (asOf != null) {
      instant(json, "asOf", asOf);
    }
    json.writeEndObject();
  }

  static void withdrawal(JsonGenerator json, WithdrawalDecision w) throws IOException {
    json.writeStartObject();
    json.writeStringField("withdrawalId", w.getWithdrawalId());
    json.writeStringField("status", w.getStatus().name());
    json.writeNumberField("amountCents", w.getAmountCents());
    json.writeNumberField("feeCents", w.getFeeCents());
    json.writeNumberField("payoutCents", w.getPayoutCents());
    json.writeStringField("reason", w.getReason());
    if (w.getRequestedAmountCents() != null) {
      json.writeNumberField("requestedAmountCents", w.getRequestedAmountCents());
    } else {
      json.writeNullField("requestedAmountCents");
    }
    json.writeStringField("message", w.getMessage());
    json.writeStringField("bankAccount", w.getBankAccountMasked());
    instant(json, "decidedAt", w.getDecidedAt());
    json.writeStringField("batchId", w.getBatchId());
    instant(json, "batchedAt", w.getBatchedAt());
    instant(json, "paidAt", paidAt(w));
    json.writeEndObject();
  }

  static void order(JsonGenerator json, OrderState o) throws IOException {
    TrackedClick click = o.getClick();
    json.writeStartObject();
    json.writeStringField("orderId", o.getOrderId());
    instant(json, "orderDate", o.getPlacedAt());
    instant(json, "transactionDate", o.getCompletedAt());
    json.writeStringField("status", OrderRows.status(o));
    json.writeStringField("trackingId", click == null ? null : click.getTrackingId());
    json.writeStringField("af", click == null ? null : click.getAf());
    json.writeStringField("cn", click == null ? null : click.getCn());
    json.writeStringField("cv", click == null ? null : click.getCv());
    json.writeStringField("dp", click == null ? null : click.getDp());
    json.writeStringField("promotionType", click == null ? null : click.getPromotionType());
    json.writeNumberField("orderAmountCents", o.getAmountCents());
    json.writeNumberField("commissionCents", OrderRows.commissionCents(o));
    json.writeNumberField("refundedCents", o.getRefundedCents());
    json.writeEndObject();
  }

  static void orderCsv(CSVPrinter csv, OrderState o) {
    TrackedClick click = o.getClick();
    try {
      // Every text cell through CsvCells (upstream text may start a formula); amounts are ours.
      csv.printRecord(
          CsvCells.text(o.getOrderId()),
          o.getPlacedAt().toString(),
          o.getCompletedAt() == null ? "" : o.getCompletedAt().toString(),
          OrderRows.status(o),
          click == null ? "" : CsvCells.text(click.getTrackingId()),
          click == null ? "" : CsvCells.text(click.getAf()),
          click == null ? "" : CsvCells.text(click.getCn()),
          click == null ? "" : CsvCells.text(click.getCv()),
          click == null ? "" : CsvCells.text(click.getDp()),
          click == null ? "" : CsvCells.text(click.getPromotionType()),
          Money.cents(o.getAmountCents()).toDollars(),
          Money.cents(OrderRows.commissionCents(o)).toDollars());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void journalEntry(JsonGenerator json, JournalEntry e) throws IOException {
    json.writeStartObject();
    json.writeStringField("entryId", e.getEntryId());
    json.writeStringField("kind", e.getKind().name());
    instant(json, "effectiveAt", e.getEffectiveAt());
    json.writeStringField("causingEventId", e.getCausingEventId());
    json.writeStringField("orderId", e.getOrderId());
    json.writeStringField("withdrawalId", e.getWithdrawalId());
    json.writeArrayFieldStart("legs");
    for (JournalLeg leg : e.getLegs()) {
      json.writeStartObject();
      json.writeStringField("account", leg.getAccount());
      json.writeNumberField("amountCents", leg.getAmountCents());
      json.writeEndObject();
    }
    json.writeEndArray();
    json.writeEndObject();
  }

  static void income(JsonGenerator json, IncomeReport.Row row) throws IOException {
    json.writeStartObject();
    json.writeStringField("period", row.period());
    json.writeNumberField("accruedCents", row.accruedCents());
    json.writeNumberField("completedCents", row.completedCents());
    json.writeNumberField("postedCents", row.postedCents());
    json.writeNumberField("reversedCents", row.reversedCents());
    json.writeEndObject();
  }

  static void traffic(JsonGenerator json, TrafficReport.Row row) throws IOException {
    json.writeStartObject();
    json.writeStringField("group", row.group());
    json.writeNumberField("clicks", row.clicks());
    json.writeNumberField("orders", row.orders());
    json.writeNumberField("conversion", row.conversion());
    json.writeNumberField("commissionCents", row.commissionCents());
    json.writeEndObject();
  }

  static void ranked(JsonGenerator json, AffiliateRanking.Row row) throws IOException {
    json.writeStartObject();
    json.writeStringField("affiliateId", row.affiliateId());
    json.writeNumberField("pendingCents", row.pendingCents());
    json.writeNumberField("awaitingRefreshCents", row.awaitingRefreshCents());
    json.writeNumberField("balanceCents", row.balanceCents());
    json.writeNumberField("withdrawnCents", row.withdrawnCents());
    json.writeNumberField("feesCents", row.feesCents());
    json.writeNumberField("earnedCents", row.earnedCents());
    json.writeStringField("nextRefreshAt", row.nextRefreshAt());
    json.writeEndObject();
  }

  static void summary(JsonGenerator json, FinanceSummary s, Instant now) throws IOException {
    json.writeStartObject();
    json.writeStringField("currency", "USD");
    instant(json, "ledgerTime", now);
    json.writeNumberField("affiliates", s.affiliates());
    json.writeNumberField("pendingCents", s.pendingCents());
    json.writeNumberField("awaitingRefreshCents", s.awaitingRefreshCents());
    json.writeNumberField("balanceCents", s.balanceCents());
    json.writeNumberField("withdrawnCents", s.withdrawnCents());
    json.writeNumberField("feesCents", s.feesCents());
    json.writeNumberField("withdrawalsAccepted", s.withdrawalsAccepted());
    json.writeNumberField("withdrawalsRejected", s.withdrawalsRejected());
    json.writeNumberField("withdrawalsPaid", s.withdrawalsPaid());
    json.writeNumberField("withdrawalsFailed", s.withdrawalsFailed());
    json.writeNumberField("payoutsDueCents", s.payoutsDueCents());
    json.writeNumberField("unattributedOrders", s.unattributedOrders());
    json.writeNumberField("unattributedOrderAmountCents", s.unattributedOrderAmountCents());
    json.writeEndObject();
  }

  static void clock(JsonGenerator json, ClockPolicy clock, Instant now) throws IOException {
    json.writeStartObject();
    json.writeStringField("clock", clock.mode().label());
    instant(json, "ledgerTime", now);
    Optional<ClockPolicy.AcceptedTick> last = clock.lastTick();
    instant(json, "lastTickAt", last.map(ClockPolicy.AcceptedTick::at).orElse(null));
    instant(json, "lastTickPostedAt", last.map(ClockPolicy.AcceptedTick::postedAt).orElse(null));
    instant(json, "machineTime", clock.machineTime());
    Optional<Duration> maxAhead = clock.maxAhead();
    if (maxAhead.isPresent()) {
      json.writeNumberField("maxAheadSeconds", maxAhead.get().toSeconds());
    } else {
      json.writeNullField("maxAheadSeconds");
    }
    json.writeEndObject();
  }

  static void reconciliation(JsonGenerator json, Reconciliation r, Instant now) throws IOException {
    json.writeStartObject();
    json.writeStringField("currency", "USD");
    instant(json, "ledgerTime", now);
    json.writeBooleanField("reconciled", r.reconciled());
    json.writeNumberField("affiliates", r.affiliates());
    figures(json, "journal", r.journal());
    figures(json, "balances", r.balances());
    json.writeObjectFieldStart("withdrawals");
    tally(json, "accepted", r.withdrawals().accepted());
    tally(json, "paid", r.withdrawals().paid());
    tally(json, "failed", r.withdrawals().failed());
    tally(json, "rejected", r.withdrawals().rejected());
    json.writeEndObject();
    json.writeNumberField("differenceCount", r.differenceCount());
    json.writeArrayFieldStart("differences");
    for (Reconciliation.Difference d : r.differences()) {
      json.writeStartObject();
      json.writeStringField("affiliateId", d.affiliateId());
      json.writeStringField("check", d.check());
      json.writeNumberField("expected", d.expected());
      json.writeNumberField("found", d.found());
      json.writeStringField("message", d.message());
      json.writeEndObject();
    }
    json.writeEndArray();
    json.writeEndObject();
  }

  private static void figures(JsonGenerator json, String field, Reconciliation.Figures f)
      throws IOException {
    json.writeObjectFieldStart(field);
    json.writeNumberField("pendingCents", f.pendingCents());
    json.writeNumberField("awaitingRefreshCents", f.awaitingRefreshCents());
    json.writeNumberField("balanceCents", f.balanceCents());
    json.writeNumberField("withdrawnCents", f.withdrawnCents());
    json.writeNumberField("feesCents", f.feesCents());
    json.writeNumberField("entries", f.entries());
    json.writeEndObject();
  }

  private static void tally(JsonGenerator json, String field, Reconciliation.Tally t)
      throws IOException {
    json.writeObjectFieldStart(field);
    json.writeNumberField("count", t.count());
    json.writeNumberField("amountCents", t.amountCents());
    json.writeNumberField("feeCents", t.feeCents());
    json.writeNumberField("payoutCents", t.payoutCents());
    json.writeEndObject();
  }

  private static void instant(JsonGenerator json, String field, Instant instant)
      throws IOException {
    json.writeStringField(field, instant == null ? null : instant.toString());
  }
}
