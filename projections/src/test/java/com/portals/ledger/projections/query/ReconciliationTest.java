package com.portals.ledger.projections.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.portals.ledger.avro.internal.AccountState;
import com.portals.ledger.avro.ledger.Balance;
import com.portals.ledger.avro.ledger.EntryKind;
import com.portals.ledger.avro.ledger.JournalEntry;
import com.portals.ledger.avro.ledger.JournalLeg;
import com.portals.ledger.avro.ledger.WithdrawalDecision;
import com.portals.ledger.avro.ledger.WithdrawalStatus;
import com.portals.ledger.domain.journal.LedgerAccount;
import com.portals.ledger.projections.store.JournalFold;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReconciliationTest {

  private static final Instant T = Instant.parse("2026-02-17T09:00:00Z");

  @Test
  void shouldReconcileAnAffiliateWhoseFiguresAgree() {
    List<JournalEntry> entries = List.of(posted("e1", 5000), paidOut("e2", 500), fee("e3", 1500));
    AccountState folded = fold(entries);
    Reconciliation.Builder builder = new Reconciliation.Builder();

    builder.add(
        "aff-1", folded, balanceOf(folded), entries, List.of(decision(WithdrawalStatus.PAID)));
    Reconciliation report = builder.build();

    assertThat(report.differences()).isEmpty();
    assertThat(report.reconciled()).isTrue();
    assertThat(report.journal()).isEqualTo(report.balances());
    assertThat(report.withdrawals().paid().amountCents()).isEqualTo(2000);
  }

  @Test
  void shouldNameEveryDisagreement() {
    List<JournalEntry> entries =
        new ArrayList<>(List.of(posted("e1", 5000), paidOut("e2", 500), fee("e3", 1500)));
    AccountState folded = fold(entries);
    Balance tampered = balanceOf(folded);
    tampered.setBalanceCents(tampered.getBalanceCents() + 1);
    JournalEntry unbalanced = posted("e4", 10);
    unbalanced.getLegs().get(0).setAmountCents(-11);
    entries.add(unbalanced);
    Reconciliation.Builder builder = new Reconciliation.Builder();

    // The withdrawal failed per its decision, but the journal still holds the money out.
    builder.add("aff-1", folded, tampered, entries, List.of(decision(WithdrawalStatus.FAILED)));
    builder.add("aff-2", null, tampered, List.of(), List.of());
    Reconciliation report = builder.build();

    assertThat(report.reconciled()).isFalse();
    assertThat(report.differences())
        .extracting(Reconciliation.Difference::affiliateId, Reconciliation.Difference::check)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("aff-1", Reconciliation.UNBALANCED_ENTRY),
            org.assertj.core.groups.Tuple.tuple("aff-1", "BALANCE_balanceCents"),
            org.assertj.core.groups.Tuple.tuple("aff-1", Reconciliation.WITHDRAWN),
            org.assertj.core.groups.Tuple.tuple("aff-1", Reconciliation.FEES),
            org.assertj.core.groups.Tuple.tuple("aff-2", Reconciliation.JOURNAL_MISSING));
    assertThat(report.differenceCount()).isEqualTo(5);
    Reconciliation.Difference balance =
        report.differences().stream()
            .filter(d -> d.check().equals("BALANCE_balanceCents"))
            .findFirst()
            .orElseThrow();
    assertThat(balance.expected()).isEqualTo(3000);
    assertThat(balance.found()).isEqualTo(3001);
  }

  @Test
  void shouldAddTheReportsOfTwoInstances() {
    Reconciliation.Builder one = new Reconciliation.Builder();
    List<JournalEntry> entries = List.of(posted("e1", 5000));
    AccountState folded = fold(entries);
    one.add("aff-1", folded, balanceOf(folded), entries, List.of());
    Reconciliation.Builder two = new Reconciliation.Builder();
    two.add("aff-2", folded, null, entries, List.of());

    Reconciliation sum = one.build().plus(two.build());

    assertThat(sum.affiliates()).isEqualTo(2);
    assertThat(sum.journal().balanceCents()).isEqualTo(10000);
    assertThat(sum.balances().balanceCents()).isEqualTo(5000);
    assertThat(sum.differences())
        .singleElement()
        .satisfies(d -> assertThat(d.check()).isEqualTo(Reconciliation.BALANCE_MISSING));
    assertThat(sum.reconciled()).isFalse();
  }

  private static AccountState fold(List<JournalEntry> entries) {
    AccountState state = JournalFold.empty("aff-1");
    for (JournalEntry entry : entries) {
      state = JournalFold.fold(state, entry);
    }
    return state;
  }

  private static Balance balanceOf(AccountState state) {
    return Balance.newBuilder()
        .setAffiliateId(state.getAffiliateId())
        .setPendingCents(state.getPendingCents())
        .setAwaitingRefreshCents(0)
        .setBalanceCents(state.getBalanceCents())
        .setWithdrawnCents(state.getWithdrawnCents())
        .setFeesCents(state.getFeesCents())
        .setAsOf(state.getAsOf())
        .setEntryCount(state.getEntryCount())
        .build();
  }

  private static JournalEntry posted(String id, long cents) {
    return entry(
        id,
        EntryKind.BALANCE_POSTED,
        LedgerAccount.awaitingRefresh("aff-1"),
        LedgerAccount.balance("aff-1"),
        cents);
  }

  private static JournalEntry paidOut(String id, long cents) {
    return entry(
        id, EntryKind.WITHDRAWAL_ACCEPTED, LedgerAccount.balance("aff-1"), "payouts", cents);
  }

  private static JournalEntry fee(String id, long cents) {
    return entry(id, EntryKind.WITHDRAWAL_FEE, LedgerAccount.balance("aff-1"), "fees", cents);
  }

  private static JournalEntry entry(String id, EntryKind kind, String from, String to, long cents) {
    return JournalEntry.newBuilder()
        .setEntryId(id)
        .setAffiliateId("aff-1")
        .setKind(kind)
        .setLegs(
            new ArrayList<>(
                List.of(
                    JournalLeg.newBuilder().setAccount(from).setAmountCents(cents).build(),
                    JournalLeg.newBuilder().setAccount(to).setAmountCents(-cents).build())))
        .setCausingEventId("ev-" + id)
        .setEffectiveAt(T)
        .build();
  }

  private static WithdrawalDecision decision(WithdrawalStatus status) {
    return WithdrawalDecision.newBuilder()
        .setWithdrawalId("wd-1")
        .setAffiliateId("aff-1")
        .setCausingEventId("w1")
        .setStatus(status)
        .setAmountCents(2000)
        .setFeeCents(1500)
        .setPayoutCents(500)
        .setDecidedAt(T)
        .build();
  }
}
