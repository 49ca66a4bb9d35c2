package com.portals.ledger.domain.account;

import static org.assertj.core.api.Assertions.assertThat;

import com.portals.ledger.domain.account.AccountBook.Outcome;
import com.portals.ledger.domain.account.AccountBook.WithdrawalOutcome;
import com.portals.ledger.domain.journal.EntryKind;
import com.portals.ledger.domain.journal.JournalEntry;
import com.portals.ledger.domain.journal.LedgerAccount;
import com.portals.ledger.domain.money.Money;
import com.portals.ledger.domain.order.CommissionMovement;
import com.portals.ledger.domain.order.CommissionMovement.Kind;
import com.portals.ledger.domain.rules.LedgerRules;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AccountBookTest {

  private static final String IBAN = "DE89370400440532013000";
  private static final String SWIFT = "COBADEFFXXX";
  private static final Instant PLACED = Instant.parse("2026-01-10T10:05:00Z");
  private static final Instant COMPLETED = Instant.parse("2026-01-20T08:00:00Z");
  private static final Instant POSTED = Instant.parse("2026-02-16T00:00:00Z");

  private final AccountBook book = new AccountBook(LedgerRules.DEFAULTS);
  private final List<JournalEntry> journal = new ArrayList<>();

  private Account apply(
      Account account, Kind kind, long cents, Instant at, String cause, Instant completedAt) {
    Outcome outcome =
        book.apply(
            account,
            new CommissionMovement(
                kind, "aff-1", "o1", Money.cents(cents), at, cause, completedAt));
    journal.addAll(outcome.entries());
    return outcome.account();
  }

  /** An account with {@code cents} in its balance, through accrual, completion and posting. */
  private Account withBalance(long cents) {
    Account account = apply(Account.open("aff-1"), Kind.ACCRUED, cents, PLACED, "e2", null);
    account = apply(account, Kind.COMPLETED, cents, COMPLETED, "e3", COMPLETED);
    Outcome posted = book.post(account, account.awaitingByCycle().firstKey());
    journal.addAll(posted.entries());
    return posted.account();
  }

  private WithdrawalOutcome request(Account account, Long amount) {
    return book.request(
        account,
        null,
        new WithdrawalRequest(
            "e7",
            "w1",
            "aff-1",
            amount == null ? null : Money.cents(amount),
            IBAN,
            SWIFT,
            "Jane Doe",
            Instant.parse("2026-03-01T09:00:00Z")));
  }

  @Test
  void shouldMoveCommissionFromPendingToAwaitingRefreshToBalance() {
    Account account = apply(Account.open("aff-1"), Kind.ACCRUED, 900, PLACED, "e2", null);
    assertThat(account.pending()).isEqualTo(Money.cents(900));

    account = apply(account, Kind.COMPLETED, 900, COMPLETED, "e3", COMPLETED);
    assertThat(account.pending()).isEqualTo(Money.ZERO);
    assertThat(account.awaitingRefresh()).isEqualTo(Money.cents(900));
    assertThat(account.nextRefreshAt(LedgerRules.DEFAULTS.calendar(), COMPLETED)).isEqualTo(POSTED);
    assertThat(book.cyclesDue(account, POSTED.minusSeconds(1))).isEmpty();
    assertThat(book.cyclesDue(account, POSTED)).hasSize(1);

    Outcome posted = book.post(account, book.cyclesDue(account, POSTED).get(0));

    assertThat(posted.account().awaitingRefresh()).isEqualTo(Money.ZERO);
    assertThat(posted.account().balance()).isEqualTo(Money.cents(900));
    assertThat(posted.entries())
        .singleElement()
        .satisfies(
            entry -> {
              assertThat(entry.kind()).isEqualTo(EntryKind.BALANCE_POSTED);
              assertThat(entry.effectiveAt()).isEqualTo(POSTED);
              assertThat(entry.causingEventId()).isEqualTo("cycle-close:" + POSTED);
              assertThat(entry.settlementCycle())
                  .isEqualTo(LedgerRules.DEFAULTS.calendar().cycleOf(COMPLETED));
            });
    assertThat(journal)
        .filteredOn(e -> e.kind() == EntryKind.COMMISSION_COMPLETED)
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.settlementCycle())
                    .isEqualTo(LedgerRules.DEFAULTS.calendar().cycleOf(COMPLETED)));
  }

  @Test
  void shouldJournalEveryMovementInBalancedLegsThatExplainTheAccount() {
    Account account = withBalance(5000);
    account = apply(account, Kind.ACCRUED, 700, PLACED, "e12", null);
    account = apply(account, Kind.REFUNDED, 100, PLACED, "e15", null);
    account = apply(account, Kind.CANCELLED, 600, PLACED, "e14", null);
    WithdrawalOutcome withdrawal = request(account, 3000L);
    journal.addAll(withdrawal.entries());
    WithdrawalOutcome failed =
        book.payoutFailed(
            withdrawal.account(),
            withdrawal.withdrawal(),
            "w1",
            "e9",
            "account closed",
            Instant.parse("2026-03-03T09:00:00Z"));
    journal.addAll(failed.entries());
    Account finalAccount = failed.account();

    assertThat(journal)
        .allSatisfy(
            entry ->
                assertThat(entry.legs().stream().mapToLong(l -> l.amount().cents()).sum())
                    .isZero());
    assertThat(liability(LedgerAccount.pending("aff-1"))).isEqualTo(finalAccount.pending());
    assertThat(liability(LedgerAccount.awaitingRefresh("aff-1")))
        .isEqualTo(finalAccount.awaitingRefresh());
    assertThat(liability(LedgerAccount.balance("aff-1"))).isEqualTo(finalAccount.balance());
    assertThat(finalAccount.balance()).isEqualTo(Money.cents(5000));
    assertThat(finalAccount.withdrawn()).isEqualTo(Money.ZERO);
    assertThat(finalAccount.fees()).isEqualTo(Money.ZERO);
    assertThat(finalAccount.entryCount()).isEqualTo(journal.size());
  }

  private Money liability(String account) {
    return journal.stream()
        .map(entry -> entry.netOn(account))
        .reduce(Money.ZERO, Money::plus)
        .negate();
  }

  @Test
  void shouldRejectAWithdrawalWhenTheBalanceIsExactlyTheMinimum() {
    WithdrawalOutcome outcome = request(withBalance(1600), null);

    assertThat(outcome.decision().status()).isEqualTo(WithdrawalStatus.REJECTED);
    assertThat(outcome.decision().reasonCode()).isEqualTo("BALANCE_NOT_ABOVE_MINIMUM");
    assertThat(outcome.entries()).isEmpty();
    assertThat(outcome.account().balance()).isEqualTo(Money.cents(1600));
  }

  @Test
  void shouldAcceptTheWholeBalanceOneCentAboveTheMinimum() {
    WithdrawalOutcome outcome = request(withBalance(1601), null);

    assertThat(outcome.decision().status()).isEqualTo(WithdrawalStatus.ACCEPTED);
    assertThat(outcome.decision().amount()).isEqualTo(Money.cents(1601));
    assertThat(outcome.decision().fee()).isEqualTo(Money.cents(1500));
    assertThat(outcome.decision().payout()).isEqualTo(Money.cents(101));
    assertThat(outcome.account().balance()).isEqualTo(Money.ZERO);
    assertThat(outcome.account().withdrawn()).isEqualTo(Money.cents(1601));
    assertThat(outcome.account().fees()).isEqualTo(Money.cents(1500));
    assertThat(outcome.entries())
        .extracting(JournalEntry::kind)
        .containsExactly(EntryKind.WITHDRAWAL_ACCEPTED, EntryKind.WITHDRAWAL_FEE);
    assertThat(outcome.entries().get(0).netOn(LedgerAccount.PAYOUTS_PAYABLE))
        .isEqualTo(Money.cents(-101));
    assertThat(outcome.entries().get(1).netOn(LedgerAccount.FEE_REVENUE))
        .isEqualTo(Money.cents(-1500));
  }

  @ParameterizedTest
  @CsvSource({
    "5000, 1500, AMOUNT_NOT_ABOVE_FEE",
    "5000, 1000, AMOUNT_NOT_ABOVE_FEE",
    "5000, 5001, AMOUNT_EXCEEDS_BALANCE",
  })
  void shouldRejectAmountsOutsideTheRules(long balance, long amount, String reason) {
    WithdrawalOutcome outcome = request(withBalance(balance), amount);

    assertThat(outcome.decision().reasonCode()).isEqualTo(reason);
    assertThat(outcome.account().balance()).isEqualTo(Money.cents(balance));
  }

  @Test
  void shouldAcceptAnAmountOneCentAboveTheFee() {
    WithdrawalOutcome outcome = request(withBalance(5000), 1501L);

    assertThat(outcome.decision().status()).isEqualTo(WithdrawalStatus.ACCEPTED);
    assertThat(outcome.decision().payout()).isEqualTo(Money.cents(1));
    assertThat(outcome.account().balance()).isEqualTo(Money.cents(3499));
  }

  @Test
  void shouldRejectAnInvalidBankAccountAndMaskTheIban() {
    WithdrawalOutcome outcome =
        book.request(
            withBalance(5000),
            null,
            new WithdrawalRequest(
                "e7",
                "w1",
                "aff-1",
                null,
                "DE89370400440532013001",
                SWIFT,
                "Jane",
                Instant.parse("2026-03-01T09:00:00Z")));

    assertThat(outcome.decision().reasonCode()).isEqualTo("INVALID_BANK_ACCOUNT");
    assertThat(outcome.decision().bankAccountMasked()).isEqualTo("****3001");
  }

  @Test
  void shouldRejectAReusedWithdrawalIdWithoutTouchingTheFirst() {
    WithdrawalOutcome first = request(withBalance(5000), 2000L);

    WithdrawalOutcome second =
        book.request(
            first.account(),
            first.withdrawal(),
            new WithdrawalRequest(
                "e70",
                "w1",
                "aff-1",
                Money.cents(2000),
                IBAN,
                SWIFT,
                "Jane",
                Instant.parse("2026-03-02T09:00:00Z")));

    assertThat(second.decision().reasonCode()).isEqualTo("DUPLICATE_WITHDRAWAL");
    assertThat(second.withdrawal()).isNull();
    assertThat(second.account()).isEqualTo(first.account());
  }

  @Test
  void shouldRejectAWithdrawalOfAnAffiliateWithoutAccount() {
    WithdrawalOutcome outcome = request(null, 2000L);

    assertThat(outcome.decision().reasonCode()).isEqualTo("UNKNOWN_AFFILIATE");
    assertThat(outcome.account()).isNull();
  }

  @Test
  void shouldMarkAPaidWithdrawalAndRefuseSettlingItTwice() {
    WithdrawalOutcome accepted = request(withBalance(5000), 3000L);

    WithdrawalOutcome paid =
        book.payoutCompleted(
            accepted.account(),
            accepted.withdrawal(),
            "w1",
            "e8",
            Instant.parse("2026-03-03T09:00:00Z"));

    assertThat(paid.decision().status()).isEqualTo(WithdrawalStatus.PAID);
    assertThat(paid.entries())
        .singleElement()
        .satisfies(e -> assertThat(e.netOn(LedgerAccount.BANK)).isEqualTo(Money.cents(-1500)));
    assertThat(
            book.payoutFailed(
                    paid.account(),
                    paid.withdrawal(),
                    "w1",
                    "e9",
                    "late",
                    Instant.parse("2026-03-04T09:00:00Z"))
                .rejected()
                .code())
        .isEqualTo("WITHDRAWAL_ALREADY_SETTLED");
  }

  @Test
  void shouldReturnTheWholeAmountWhenAPayoutFails() {
    WithdrawalOutcome accepted = request(withBalance(5000), 3000L);

    WithdrawalOutcome failed =
        book.payoutFailed(
            accepted.account(),
            accepted.withdrawal(),
            "w1",
            "e9",
            "account closed",
            Instant.parse("2026-03-03T09:00:00Z"));

    assertThat(failed.account().balance()).isEqualTo(Money.cents(5000));
    assertThat(failed.decision().status()).isEqualTo(WithdrawalStatus.FAILED);
    assertThat(failed.decision().message()).isEqualTo("account closed");
    assertThat(failed.entries())
        .extracting(JournalEntry::kind)
        .containsExactly(EntryKind.PAYOUT_FAILED, EntryKind.WITHDRAWAL_FEE_RETURNED);
  }

  @Test
  void shouldKeepTheWholeBankAccountOfAnAcceptedWithdrawalForItsPayout() {
    WithdrawalOutcome accepted =
        book.request(
            withBalance(5000),
            null,
            new WithdrawalRequest(
                "e7",
                "w1",
                "aff-1",
                Money.cents(3000),
                "de89 3704 0044 0532 0130 00",
                "cobadeffxxx",
                "Jane Doe",
                Instant.parse("2026-03-01T09:00:00Z")));

    assertThat(accepted.decision().payee()).isEqualTo(new Payee(IBAN, SWIFT, "Jane Doe"));
    assertThat(accepted.decision().bankAccountMasked()).isEqualTo("****3000");
    assertThat(request(withBalance(1600), null).decision().payee()).isNull();
  }

  @Test
  void shouldPutAnAcceptedWithdrawalInOneBatchOnlyAndKeepTheBatchWhenItIsPaid() {
    WithdrawalOutcome accepted = request(withBalance(5000), 3000L);
    Instant batchedAt = Instant.parse("2026-03-02T10:00:00Z");

    WithdrawalOutcome batched =
        book.batch(accepted.account(), accepted.withdrawal(), "w1", "B1", "pb-1", batchedAt);

    assertThat(batched.rejected()).isNull();
    assertThat(batched.entries()).isEmpty();
    assertThat(batched.account()).isEqualTo(accepted.account());
    assertThat(batched.decision().status()).isEqualTo(WithdrawalStatus.ACCEPTED);
    assertThat(batched.decision().batchId()).isEqualTo("B1");
    assertThat(batched.decision().batchedAt()).isEqualTo(batchedAt);
    assertThat(batched.decision().decidedAt()).isEqualTo(accepted.decision().decidedAt());
    assertThat(batched.decision().causingEventId()).isEqualTo("pb-1");
    assertThat(
            book.batch(batched.account(), batched.withdrawal(), "w1", "B2", "pb-2", batchedAt)
                .rejected())
        .satisfies(
            r -> {
              assertThat(r.code()).isEqualTo(AccountBook.ALREADY_IN_BATCH);
              assertThat(r.message()).contains("B1");
            });

    WithdrawalOutcome paid =
        book.payoutCompleted(
            batched.account(), batched.withdrawal(), "w1", "e8", batchedAt.plusSeconds(60));
    assertThat(paid.decision().batchId()).isEqualTo("B1");
    assertThat(paid.decision().payee()).isEqualTo(accepted.decision().payee());
    assertThat(
            book.batch(paid.account(), paid.withdrawal(), "w1", "B3", "pb-3", batchedAt)
                .rejected()
                .code())
        .isEqualTo("WITHDRAWAL_ALREADY_SETTLED");
  }

  @Test
  void shouldRefuseToBatchUnknownRejectedOrUnpayableWithdrawals() {
    Account account = withBalance(1600);
    WithdrawalOutcome rejected = request(account, null);
    Withdrawal withoutPayee =
        new Withdrawal(
            "w2",
            "aff-1",
            WithdrawalStatus.ACCEPTED,
            null,
            Money.cents(3000),
            Money.cents(1500),
            Money.cents(1500),
            null,
            null,
            "****3000",
            "e7",
            POSTED,
            null,
            null,
            null);

    assertThat(book.batch(account, null, "w9", "B1", "pb-1", POSTED).rejected().code())
        .isEqualTo("UNKNOWN_WITHDRAWAL");
    assertThat(
            book.batch(account, rejected.withdrawal(), "w1", "B1", "pb-1", POSTED)
                .rejected()
                .code())
        .isEqualTo("WITHDRAWAL_NOT_ACCEPTED");
    assertThat(book.batch(account, withoutPayee, "w2", "B1", "pb-1", POSTED).rejected().code())
        .isEqualTo(AccountBook.NO_BANK_DETAILS);
  }

  @Test
  void shouldRejectPayoutResultsOfUnknownOrRejectedWithdrawals() {
    Account account = withBalance(1600);
    WithdrawalOutcome rejected = request(account, null);

    assertThat(book.payoutCompleted(account, null, "w9", "e8", POSTED).rejected().code())
        .isEqualTo("UNKNOWN_WITHDRAWAL");
    assertThat(
            book.payoutCompleted(account, rejected.withdrawal(), "w1", "e8", POSTED)
                .rejected()
                .code())
        .isEqualTo("WITHDRAWAL_NOT_ACCEPTED");
  }

  @Test
  void shouldRefundFromWhereTheCommissionIsNow() {
    Account account = apply(Account.open("aff-1"), Kind.ACCRUED, 1000, PLACED, "e2", null);
    account = apply(account, Kind.COMPLETED, 1000, COMPLETED, "e3", COMPLETED);

    Account beforePosting =
        apply(account, Kind.REFUNDED, 100, COMPLETED.plusSeconds(60), "r1", COMPLETED);
    assertThat(beforePosting.awaitingRefresh()).isEqualTo(Money.cents(900));
    assertThat(beforePosting.balance()).isEqualTo(Money.ZERO);

    Account posted = book.post(beforePosting, beforePosting.awaitingByCycle().firstKey()).account();
    Account afterPosting =
        apply(posted, Kind.REFUNDED, 200, POSTED.plusSeconds(60), "r2", COMPLETED);
    assertThat(afterPosting.balance()).isEqualTo(Money.cents(700));
  }
}
