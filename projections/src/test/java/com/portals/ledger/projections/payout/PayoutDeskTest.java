package com.portals.ledger.projections.payout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.portals.ledger.avro.events.PayoutBatchCreated;
import com.portals.ledger.avro.events.PayoutBatched;
import com.portals.ledger.avro.events.PayoutCompleted;
import com.portals.ledger.avro.events.PayoutFailed;
import com.portals.ledger.avro.events.WithdrawalEvent;
import com.portals.ledger.schemas.publish.GroupPublisher;
import com.portals.ledger.schemas.topics.Topics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PayoutDeskTest {

  private static final Instant NOW = Instant.parse("2026-03-02T10:00:00Z");
  private final List<List<GroupPublisher.Event>> published = new ArrayList<>();
  private final PayoutDesk desk = new PayoutDesk(published::add, null);

  private static PayoutRow row(String withdrawalId, String affiliate, String status, String batch) {
    return row(withdrawalId, affiliate, status, batch, "Jane Doe", NOW.minusSeconds(3600));
  }

  private static PayoutRow row(
      String withdrawalId,
      String affiliate,
      String status,
      String batch,
      String holder,
      Instant decidedAt) {
    return new PayoutRow(
        withdrawalId,
        affiliate,
        status,
        3000,
        1500,
        1500,
        holder,
        "DE89370400440532013000",
        "COBADEFFXXX",
        batch,
        decidedAt.toEpochMilli(),
        batch == null ? null : NOW.toEpochMilli(),
        null,
        null);
  }

  private static PayoutRows rows(PayoutRow... rows) {
    return new PayoutRows(List.of(rows));
  }

  @Test
  void shouldPublishTheBatchThenOneAssignmentPerWithdrawalAndSkipWhatABankFileCannotCarry() {
    String longId = "w".repeat(36);
    PayoutDesk.Created created =
        desk.create(
            NOW,
            NOW,
            () ->
                rows(
                    row("w2", "aff-2", "ACCEPTED", null),
                    row("w1", "aff-1", "ACCEPTED", null),
                    row(longId, "aff-1", "ACCEPTED", null),
                    row("w1", "aff-3", "ACCEPTED", null)));

    assertThat(created.batchId()).matches("PB-20260302T100000Z-[0-9a-f]{6}");
    assertThat(created.withdrawals())
        .extracting(PayoutRow::withdrawalId)
        .containsExactly("w1", "w2");
    assertThat(created.totalCents()).isEqualTo(6000);
    assertThat(created.payoutCents()).isEqualTo(3000);
    assertThat(created.skipped())
        .extracting(PayoutDesk.Skipped::withdrawalId, PayoutDesk.Skipped::affiliateId)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(longId, "aff-1"),
            org.assertj.core.groups.Tuple.tuple("w1", "aff-3"));
    List<GroupPublisher.Event> events = published.get(0);
    assertThat(events).hasSize(3);
    assertThat(events.get(0).topic()).isEqualTo(Topics.PAYOUT_BATCHES);
    PayoutBatchCreated batch = (PayoutBatchCreated) events.get(0).value();
    assertThat(batch.getBatchId()).isEqualTo(created.batchId());
    assertThat(batch.getWithdrawals()).hasSize(2);
    assertThat(batch.getPayoutCents()).isEqualTo(3000);
    PayoutBatched first = (PayoutBatched) ((WithdrawalEvent) events.get(1).value()).getEvent();
    assertThat(events.get(1).topic()).isEqualTo(Topics.WITHDRAWALS);
    assertThat(events.get(1).key()).isEqualTo("aff-1");
    assertThat(first.getBatchId()).isEqualTo(created.batchId());
    assertThat(first.getEventId()).isEqualTo(created.batchId() + ":w1");
    assertThat(first.getOccurredAt()).isEqualTo(NOW);
  }

  @Test
  void shouldTakeOnlyWithdrawalsDecidedByTheCutoffAndKeepTheOthersInFlight() {
    PayoutRow early = row("w1", "aff-1", "ACCEPTED", null);
    PayoutRow late = row("w2", "aff-2", "ACCEPTED", null, "Jane Doe", NOW.plusSeconds(60));

    assertThat(desk.create(NOW, NOW.plusSeconds(120), () -> rows(late)).withdrawals()).hasSize(1);
    // An earlier cutoff leaves w2 out; it is still in flight for a batch at a later one.
    assertThat(desk.create(NOW, NOW, () -> rows(early, late)).withdrawals())
        .extracting(PayoutRow::withdrawalId)
        .containsExactly("w1");
    assertThatThrownBy(() -> desk.create(NOW, NOW.plusSeconds(120), () -> rows(early, late)))
        .isInstanceOf(PayoutDesk.Refused.class);
  }

  @Test
  void shouldSkipAPaymentTheBankFileCannotCarry() {
    PayoutRow controlName = row("w3", "aff-3", "ACCEPTED", null, "\u0001", NOW);

    PayoutDesk.Created created =
        desk.create(NOW, NOW, () -> rows(row("w1", "aff-1", "ACCEPTED", null), controlName));

    assertThat(created.withdrawals()).extracting(PayoutRow::withdrawalId).containsExactly("w1");
    assertThat(created.skipped())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.withdrawalId()).isEqualTo("w3");
              assertThat(s.reason()).startsWith("the bank file cannot carry it: ");
            });
  }

  @Test
  void shouldNotNameAWithdrawalAgainWhileTheLedgerHasNotAppliedItsBatch() {
    PayoutRows payable = rows(row("w1", "aff-1", "ACCEPTED", null));
    desk.create(NOW, NOW, () -> payable);

    assertThatThrownBy(() -> desk.create(NOW, NOW, () -> payable))
        .isInstanceOfSatisfying(
            PayoutDesk.Refused.class,
            e -> {
              assertThat(e.code()).isEqualTo("NOTHING_TO_PAY");
              assertThat(e.getMessage()).contains("1 are in a batch the ledger has not applied");
            });
    // Once the ledger applied it (no longer payable), a new payable withdrawal is taken.
    assertThatThrownBy(() -> desk.create(NOW, NOW, () -> rows()))
        .isInstanceOf(PayoutDesk.Refused.class);
    assertThat(desk.create(NOW, NOW, () -> payable).withdrawals()).hasSize(1);
    assertThat(published).hasSize(2);
  }

  private static Pain002.Report report(String batchId, Pain002.TransactionStatus... statuses) {
    return new Pain002.Report("STS-1", batchId, null, null, List.of(statuses));
  }

  private static Pain002.TransactionStatus status(String e2e, String code) {
    return new Pain002.TransactionStatus(e2e, code, code.equals("RJCT") ? "AC04" : null, null);
  }

  @Test
  void shouldTurnAReportIntoPayoutResultsAndLeaveNotFinalOnesAlone() {
    List<PayoutRow> members =
        List.of(
            row("w1", "aff-1", "ACCEPTED", "B1"),
            row("w2", "aff-2", "ACCEPTED", "B1"),
            row("w3", "aff-3", "ACCEPTED", "B1"));

    PayoutDesk.Settled settled =
        desk.settle(
            "B1",
            report("B1", status("w1", "ACSC"), status("w2", "RJCT"), status("w3", "PDNG")),
            members,
            NOW);

    assertThat(settled.completed()).containsExactly("w1");
    assertThat(settled.failed()).containsExactly("w2");
    assertThat(settled.notFinal()).containsExactly("w3");
    List<GroupPublisher.Event> events = published.get(0);
    assertThat(events).hasSize(2);
    PayoutCompleted paid = (PayoutCompleted) ((WithdrawalEvent) events.get(0).value()).getEvent();
    assertThat(paid.getEventId()).isEqualTo("pain002:STS-1:w1");
    PayoutFailed failed = (PayoutFailed) ((WithdrawalEvent) events.get(1).value()).getEvent();
    assertThat(failed.getReason()).isEqualTo("AC04");
    assertThat(events.get(1).key()).isEqualTo("aff-2");
    // Fed again before the ledger applied it: refused, nothing published.
    assertThatThrownBy(() -> desk.settle("B1", report("B1", status("w1", "ACSC")), members, NOW))
        .isInstanceOf(PayoutDesk.Refused.class)
        .hasMessageContaining("nothing was settled");
    assertThat(published).hasSize(1);
  }

  @Test
  void shouldRefuseAWholeReportWithEveryProblemListed() {
    List<PayoutRow> members =
        List.of(row("w1", "aff-1", "PAID", "B1"), row("w2", "aff-2", "ACCEPTED", "B1"));

    assertThatThrownBy(
            () ->
                desk.settle(
                    "B1",
                    new Pain002.Report(
                        "STS-1",
                        "B9",
                        null,
                        null,
                        List.of(
                            status("w1", "RJCT"),
                            status("w2", "ACSC"),
                            status("w2", "ACSC"),
                            status("w7", "ACSC"))),
                    members,
                    NOW))
        .isInstanceOfSatisfying(
            PayoutDesk.Refused.class,
            e -> {
              assertThat(e.status()).isEqualTo(409);
              assertThat(e.code()).isEqualTo("STATUS_REPORT_REFUSED");
              assertThat(e.problems())
                  .containsExactly(
                      "the report is the status of message B9, not of batch B1",
                      "payment w1 is already settled (PAID): a second status changes nothing",
                      "end-to-end id w2 has more than one status in the report",
                      "end-to-end id w7 is not a payment of batch B1");
            });
    assertThat(published).isEmpty();
  }

  @Test
  void shouldFailEveryOpenPaymentOfAGroupTheBankRejectedWhole() {
    List<PayoutRow> members =
        List.of(row("w1", "aff-1", "PAID", "B1"), row("w2", "aff-2", "ACCEPTED", "B1"));

    PayoutDesk.Settled settled =
        desk.settle(
            "B1", new Pain002.Report("STS-1", "B1", "RJCT", "AM04", List.of()), members, NOW);

    assertThat(settled.failed()).containsExactly("w2");
    PayoutFailed failed =
        (PayoutFailed) ((WithdrawalEvent) published.get(0).get(0).value()).getEvent();
    assertThat(failed.getReason()).isEqualTo("AM04");
  }

  @Test
  void shouldSayWhatTheBankSaidAsTheFailedPayoutsReason() {
    assertThat(PayoutDesk.reason("AC04", "account closed")).isEqualTo("AC04 account closed");
    assertThat(PayoutDesk.reason(null, null)).isEqualTo("rejected by the bank");
    assertThat(PayoutDesk.reason("AC04", "x".repeat(5000))).hasSize(1024);
  }

  @Test
  void shouldRefuseTheBankFileUntilTheProgrammesAccountIsSet() {
    assertThatThrownBy(desk::debtor)
        .isInstanceOfSatisfying(
            PayoutDesk.Refused.class,
            e -> assertThat(e.getMessage()).contains("ledger.payout.debtor-iban"));
  }
}
