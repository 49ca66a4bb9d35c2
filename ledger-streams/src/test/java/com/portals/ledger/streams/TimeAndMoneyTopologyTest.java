package com.portals.ledger.streams;

import static com.portals.ledger.streams.Json.click;
import static com.portals.ledger.streams.Json.completed;
import static com.portals.ledger.streams.Json.line;
import static com.portals.ledger.streams.Json.payoutCompleted;
import static com.portals.ledger.streams.Json.payoutFailed;
import static com.portals.ledger.streams.Json.placed;
import static com.portals.ledger.streams.Json.refunded;
import static com.portals.ledger.streams.Json.withdrawal;
import static org.assertj.core.api.Assertions.assertThat;

import com.portals.ledger.avro.ledger.Balance;
import com.portals.ledger.avro.ledger.EntryKind;
import com.portals.ledger.avro.ledger.JournalEntry;
import com.portals.ledger.avro.ledger.Rejection;
import com.portals.ledger.avro.ledger.WithdrawalDecision;
import com.portals.ledger.avro.ledger.WithdrawalStatus;
import com.portals.ledger.domain.rules.LedgerRules;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Time and money out through the production topology: the 60-day release, balance refresh cycles,
 * withdrawals against the balance, payouts; and decisions that do not depend on input order.
 */
class TimeAndMoneyTopologyTest {

  private final LedgerDriver ledger = new LedgerDriver();

  @AfterEach
  void close() {
    ledger.close();
  }

  /** An order of aff-1 earning {@code commission} at the default 8%, placed at {@code at}. */
  private static String[] order(String orderId, long commission, String at) {
    return new String[] {
      click("c-" + orderId, "aff-1", "s-" + orderId, at),
      placed("p-" + orderId, orderId, "s-" + orderId, at, line("toys", commission * 100 / 8))
    };
  }

  /** aff-1 with {@code cents} in its balance by 2026-02-02 (completed 2026-01-06). */
  private LedgerDriver withBalance(long cents) {
    return ledger
        .given(order("o1", cents, "2026-01-05T10:00:00Z"))
        .given(completed("done-o1", "o1", "2026-01-06T00:00:00Z"))
        .tick("2026-02-02T00:00:00Z");
  }

  private WithdrawalDecision lastDecision() {
    List<WithdrawalDecision> decisions = ledger.decisions();
    return decisions.get(decisions.size() - 1);
  }

  @Test
  void shouldPostCommissionCompletedOnJanuaryTwentiethAtTheSixteenthOfFebruary() {
    ledger
        .given(order("o1", 800, "2026-01-10T10:05:00Z"))
        .given(completed("e3", "o1", "2026-01-20T08:00:00Z"));

    ledger.tick("2026-02-15T23:59:59Z");
    Balance before = ledger.balance("aff-1");
    assertThat(before.getAwaitingRefreshCents()).isEqualTo(800);
    assertThat(before.getBalanceCents()).isZero();
    assertThat(before.getNextRefreshAt()).isEqualTo(Instant.parse("2026-02-16T00:00:00Z"));

    ledger.tick("2026-02-16T00:00:00Z");
    Balance after = ledger.balance("aff-1");
    assertThat(after.getAwaitingRefreshCents()).isZero();
    assertThat(after.getBalanceCents()).isEqualTo(800);
    assertThat(ledger.journal())
        .filteredOn(e -> e.getKind() == EntryKind.BALANCE_POSTED)
        .singleElement()
        .satisfies(
            e -> assertThat(e.getEffectiveAt()).isEqualTo(Instant.parse("2026-02-16T00:00:00Z")));
  }

  @Test
  void shouldPostCommissionCompletedOnJanuarySixthAtTheSecondOfFebruary() {
    ledger
        .given(order("o1", 800, "2026-01-05T10:00:00Z"))
        .given(completed("e3", "o1", "2026-01-06T00:00:00Z"));

    ledger.tick("2026-02-01T23:59:59Z");
    assertThat(ledger.balance("aff-1").getBalanceCents()).isZero();
    ledger.tick("2026-02-02T00:00:00Z");
    assertThat(ledger.balance("aff-1").getBalanceCents()).isEqualTo(800);
  }

  @Test
  void shouldCompleteAnOrderLeftOpenSixtyDaysAndPostItAtTheEndOfTheNextCycle() {
    ledger.given(order("o1", 800, "2026-01-11T00:00:30Z"));

    ledger.tick("2026-03-12T00:00:00Z");
    assertThat(ledger.order("o1").getStatus()).isEqualTo("PENDING");
    assertThat(ledger.balance("aff-1").getPendingCents()).isEqualTo(800);

    ledger.tick("2026-03-13T00:00:00Z");
    assertThat(ledger.order("o1").getStatus()).isEqualTo("COMPLETED");
    assertThat(ledger.order("o1").getCompletedAt())
        .isEqualTo(Instant.parse("2026-03-12T00:00:30Z"));
    assertThat(ledger.balance("aff-1").getAwaitingRefreshCents()).isEqualTo(800);
    assertThat(ledger.balance("aff-1").getNextRefreshAt())
        .isEqualTo(Instant.parse("2026-03-30T00:00:00Z"));

    ledger.tick("2026-03-29T23:59:59.999Z");
    assertThat(ledger.balance("aff-1").getBalanceCents()).isZero();
    ledger.tick("2026-03-30T00:00:00Z");
    assertThat(ledger.balance("aff-1").getBalanceCents()).isEqualTo(800);
  }

  @Test
  void shouldExpireAnOpenOrderUnderTheExpirePolicy() {
    try (LedgerDriver expiring =
        new LedgerDriver(
            LedgerRules.from(
                Map.of(LedgerRules.RELEASE_POLICY, "expire"), java.time.Duration::parse))) {
      expiring.given(order("o1", 800, "2026-01-11T00:00:30Z")).tick("2026-03-13T00:00:00Z");

      assertThat(expiring.order("o1").getStatus()).isEqualTo("EXPIRED");
      assertThat(expiring.balance("aff-1").getPendingCents()).isZero();
      assertThat(expiring.balance("aff-1").getAwaitingRefreshCents()).isZero();
    }
  }

  @Test
  void shouldLetAWithdrawalAtThePostingInstantSeeThePostedCommission() {
    ledger
        .given(order("o1", 5000, "2026-01-05T10:00:00Z"))
        .given(completed("done-o1", "o1", "2026-01-06T00:00:00Z"))
        .given(withdrawal("w-e", "w1", "aff-1", 3000L, "2026-02-02T00:00:00Z"))
        .tick("2026-02-02T00:00:00.001Z");

    assertThat(lastDecision().getStatus()).isEqualTo(WithdrawalStatus.ACCEPTED);
  }

  @Test
  void shouldApplyCommissionMovementsBeforeAWithdrawalOfTheSameInstant() {
    withBalance(5000)
        .given(
            withdrawal("w-e", "w1", "aff-1", 4000L, "2026-02-10T00:00:00Z"),
            refunded("r1", "o1", 31250, "2026-02-10T00:00:00Z"))
        .tick("2026-02-11T00:00:00Z");

    assertThat(lastDecision().getReason()).isEqualTo("AMOUNT_EXCEEDS_BALANCE");
    assertThat(ledger.balance("aff-1").getBalanceCents()).isEqualTo(2500);
  }

  @Test
  void shouldReleaseAnOrderBeforeAnEventOfItsReleaseInstant() {
    ledger
        .given(order("o1", 800, "2026-01-11T00:00:30Z"))
        .given(completed("late", "o1", "2026-03-12T00:00:30Z"))
        .tick("2026-03-13T00:00:00Z");

    assertThat(ledger.journal())
        .filteredOn(e -> e.getKind() == EntryKind.COMMISSION_COMPLETED)
        .singleElement()
        .satisfies(e -> assertThat(e.getCausingEventId()).isEqualTo("release:o1"));
    assertThat(ledger.rejections())
        .extracting(Rejection::getReasonCode)
        .containsExactly("ORDER_ALREADY_COMPLETED");
  }

  @Test
  void shouldRejectAWithdrawalWhenTheBalanceIsExactlyTheMinimum() {
    withBalance(1600)
        .given(withdrawal("w-e", "w1", "aff-1", null, "2026-02-03T00:00:00Z"))
        .tick("2026-02-04T00:00:00Z");

    assertThat(lastDecision().getStatus()).isEqualTo(WithdrawalStatus.REJECTED);
    assertThat(lastDecision().getReason()).isEqualTo("BALANCE_NOT_ABOVE_MINIMUM");
    assertThat(ledger.balance("aff-1").getBalanceCents()).isEqualTo(1600);
  }

  @Test
  void shouldAcceptTheWholeBalanceAtOneCentAboveTheMinimumAndPayOut101() {
    withBalance(1601)
        .given(withdrawal("w-e", "w1", "aff-1", null, "2026-02-03T00:00:00Z"))
        .tick("2026-02-04T00:00:00Z");

    WithdrawalDecision decision = lastDecision();
    assertThat(decision.getStatus()).isEqualTo(WithdrawalStatus.ACCEPTED);
    assertThat(decision.getAmountCents()).isEqualTo(1601);
    assertThat(decision.getFeeCents()).isEqualTo(1500);
    assertThat(decision.getPayoutCents()).isEqualTo(101);
    assertThat(decision.getBankAccountMasked()).isEqualTo("****3000");
    Balance balance = ledger.balance("aff-1");
    assertThat(balance.getBalanceCents()).isZero();
    assertThat(balance.getWithdrawnCents()).isEqualTo(1601);
    assertThat(balance.getFeesCents()).isEqualTo(1500);
    assertThat(ledger.journal())
        .extracting(JournalEntry::getKind)
        .endsWith(EntryKind.WITHDRAWAL_ACCEPTED, EntryKind.WITHDRAWAL_FEE);
  }

  @Test
  void shouldNeverOverdrawUnderManyWithdrawalsAtOnce() {
    withBalance(10_000);
    // 60 requests of one affiliate at one instant, far above its balance, in shuffled order:
    // the accounts stage takes them one at a time (one key, one partition, ordered by id).
    List<String> requests = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      Long amount = i % 6 == 0 ? null : 1_700L + 100L * (i % 5);
      requests.add(withdrawal("w-e" + i, "w" + i, "aff-1", amount, "2026-02-03T00:00:00Z"));
    }
    Collections.shuffle(requests, new Random(7));
    ledger.given(requests.toArray(String[]::new)).tick("2026-02-04T00:00:00Z");

    List<WithdrawalDecision> decisions = ledger.decisions();
    assertThat(decisions).hasSize(60);
    long accepted =
        decisions.stream()
            .filter(d -> d.getStatus() == WithdrawalStatus.ACCEPTED)
            .mapToLong(WithdrawalDecision::getAmountCents)
            .sum();
    assertThat(accepted).isPositive().isLessThanOrEqualTo(10_000);
    assertThat(decisions)
        .filteredOn(d -> d.getStatus() == WithdrawalStatus.REJECTED)
        .allSatisfy(d -> assertThat(d.getReason()).isNotBlank())
        .hasSizeGreaterThanOrEqualTo(54);
    assertThat(ledger.balanceHistory())
        .allSatisfy(b -> assertThat(b.getBalanceCents()).isNotNegative());
    assertThat(ledger.balance("aff-1").getBalanceCents()).isEqualTo(10_000 - accepted);
    assertThat(ledger.balance("aff-1").getWithdrawnCents()).isEqualTo(accepted);
  }

  @ParameterizedTest
  @CsvSource({
    "1500, AMOUNT_NOT_ABOVE_FEE",
    "5001, AMOUNT_EXCEEDS_BALANCE",
  })
  void shouldRejectAmountsOutsideTheRules(long amount, String reason) {
    withBalance(5000)
        .given(withdrawal("w-e", "w1", "aff-1", amount, "2026-02-03T00:00:00Z"))
        .tick("2026-02-04T00:00:00Z");

    assertThat(lastDecision().getReason()).isEqualTo(reason);
    assertThat(ledger.balance("aff-1").getBalanceCents()).isEqualTo(5000);
  }

  @Test
  void shouldRejectAnInvalidIbanAndAReusedWithdrawalId() {
    withBalance(5000)
        .given(
            withdrawal(
                "w-bad", "w0", "aff-1", 2000L, "DE89370400440532013001", "2026-02-03T00:00:00Z"),
            withdrawal("w-e1", "w1", "aff-1", 2000L, "2026-02-03T01:00:00Z"),
            withdrawal("w-e2", "w1", "aff-1", 2000L, "2026-02-03T02:00:00Z"))
        .tick("2026-02-04T00:00:00Z");

    assertThat(ledger.decisions())
        .extracting(WithdrawalDecision::getStatus, WithdrawalDecision::getReason)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(WithdrawalStatus.REJECTED, "INVALID_BANK_ACCOUNT"),
            org.assertj.core.groups.Tuple.tuple(WithdrawalStatus.ACCEPTED, null),
            org.assertj.core.groups.Tuple.tuple(WithdrawalStatus.REJECTED, "DUPLICATE_WITHDRAWAL"));
    assertThat(ledger.balance("aff-1").getBalanceCents()).isEqualTo(3000);
  }

  @Test
  void shouldSettleAPaidWithdrawalAndReturnAFailedOneInFull() {
    withBalance(9000)
        .given(
            withdrawal("w-e1", "w1", "aff-1", 3000L, "2026-02-03T00:00:00Z"),
            withdrawal("w-e2", "w2", "aff-1", 4000L, "2026-02-03T01:00:00Z"),
            payoutCompleted("pay-1", "w1", "aff-1", "2026-02-05T00:00:00Z"),
            payoutFailed("pay-2", "w2", "aff-1", "account closed", "2026-02-05T00:00:00Z"))
        .tick("2026-02-06T00:00:00Z");

    assertThat(ledger.decisions())
        .extracting(WithdrawalDecision::getWithdrawalId, WithdrawalDecision::getStatus)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("w1", WithdrawalStatus.ACCEPTED),
            org.assertj.core.groups.Tuple.tuple("w2", WithdrawalStatus.ACCEPTED),
            org.assertj.core.groups.Tuple.tuple("w1", WithdrawalStatus.PAID),
            org.assertj.core.groups.Tuple.tuple("w2", WithdrawalStatus.FAILED));
    Balance balance = ledger.balance("aff-1");
    assertThat(balance.getBalanceCents()).isEqualTo(6000);
    assertThat(balance.getWithdrawnCents()).isEqualTo(3000);
    assertThat(balance.getFeesCents()).isEqualTo(1500);
  }

  @Test
  void shouldPutAnAcceptedWithdrawalInOnePayoutBatchOnlyAndKeepItsBatchWhenPaid() {
    withBalance(9000)
        .given(withdrawal("w-e1", "w1", "aff-1", 3000L, "2026-02-03T00:00:00Z"))
        .batched("b1:w1", "w1", "aff-1", "B1", "2026-02-03T00:00:00Z")
        .batched("b2:w1", "w1", "aff-1", "B2", "2026-02-04T00:00:00Z")
        .batched("b1:w1", "w1", "aff-1", "B1", "2026-02-04T00:00:00Z")
        .batched("b3:w9", "w9", "aff-1", "B3", "2026-02-04T00:00:00Z")
        .given(payoutCompleted("pay-1", "w1", "aff-1", "2026-02-05T00:00:00Z"))
        .batched("b4:w1", "w1", "aff-1", "B4", "2026-02-05T01:00:00Z")
        .tick("2026-02-06T00:00:00Z");

    assertThat(ledger.decisions())
        .extracting(
            WithdrawalDecision::getStatus,
            WithdrawalDecision::getBatchId,
            WithdrawalDecision::getCausingEventId)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(WithdrawalStatus.ACCEPTED, null, "w-e1"),
            // Published at the instant it was decided: applied after the request all the same.
            org.assertj.core.groups.Tuple.tuple(WithdrawalStatus.ACCEPTED, "B1", "b1:w1"),
            org.assertj.core.groups.Tuple.tuple(WithdrawalStatus.PAID, "B1", "pay-1"));
    WithdrawalDecision accepted = ledger.decisions().get(0);
    assertThat(accepted.getPayee().getIban()).isEqualTo("DE89370400440532013000");
    assertThat(accepted.getBankAccountMasked()).isEqualTo("****3000");
    assertThat(ledger.decisions().get(1).getBatchedAt())
        .isEqualTo(Instant.parse("2026-02-03T00:00:00Z"));
    assertThat(ledger.rejections())
        .extracting(Rejection::getReasonCode, Rejection::getEventId)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("WITHDRAWAL_ALREADY_IN_BATCH", "b2:w1"),
            org.assertj.core.groups.Tuple.tuple("DUPLICATE_EVENT", "b1:w1"),
            org.assertj.core.groups.Tuple.tuple("UNKNOWN_WITHDRAWAL", "b3:w9"),
            org.assertj.core.groups.Tuple.tuple("WITHDRAWAL_ALREADY_SETTLED", "b4:w1"));
    // A batch moves no money: the journal has the acceptance, its fee and the payout only.
    assertThat(ledger.journal())
        .filteredOn(entry -> "w1".equals(entry.getWithdrawalId()))
        .extracting(entry -> entry.getKind().name())
        .containsExactly("WITHDRAWAL_ACCEPTED", "WITHDRAWAL_FEE", "PAYOUT_COMPLETED");
  }

  @Test
  void shouldRejectPayoutResultsThatMatchNoAcceptedWithdrawal() {
    withBalance(9000)
        .given(payoutCompleted("pay-1", "nope", "aff-1", "2026-02-05T00:00:00Z"))
        .given(withdrawal("w-e", "w3", "stranger", 2000L, "2026-02-05T00:00:00Z"))
        .tick("2026-02-06T00:00:00Z");

    assertThat(ledger.rejections())
        .extracting(Rejection::getReasonCode)
        .containsExactlyInAnyOrder("UNKNOWN_WITHDRAWAL", "UNKNOWN_AFFILIATE");
    assertThat(lastDecision().getReason()).isEqualTo("UNKNOWN_AFFILIATE");
  }

  @Test
  void shouldRefundFromTheBalanceOncePosted() {
    withBalance(2000)
        .given(refunded("r1", "o1", 12500, "2026-02-10T00:00:00Z"))
        .tick("2026-02-11T00:00:00Z");

    assertThat(ledger.balance("aff-1").getBalanceCents()).isEqualTo(1000);
  }

  @Test
  void shouldDecideAWithdrawalAlikeWhicheverInputArrivedFirst() {
    String[] commission = order("o1", 5000, "2026-01-05T10:00:00Z");
    String completion = completed("done-o1", "o1", "2026-01-06T00:00:00Z");
    String request = withdrawal("w-e", "w1", "aff-1", 4000L, "2026-02-02T00:00:01Z");
    String refund = refunded("r1", "o1", 62500, "2026-02-02T00:00:00.500Z");

    ledger
        .given(commission)
        .given(completion)
        .given(refund)
        .given(request)
        .tick("2026-02-03T00:00:00Z");
    try (LedgerDriver delayed = new LedgerDriver()) {
      delayed
          .given(request)
          .given(completion)
          .given(refund)
          .given(commission)
          .tick("2026-02-03T00:00:00Z");

      assertThat(delayed.journal()).isEqualTo(ledger.journal());
      assertThat(delayed.decisions()).isEqualTo(ledger.decisions());
      assertThat(delayed.balances()).isEqualTo(ledger.balances());
    }
    // the refund half a second after posting took the balance back to zero before the request
    assertThat(lastDecision().getReason()).isEqualTo("BALANCE_NOT_ABOVE_MINIMUM");
  }
}
