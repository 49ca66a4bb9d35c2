package com.portals.ledger.projections.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.portals.ledger.avro.internal.AccountState;
import com.portals.ledger.avro.internal.CycleAmount;
import com.portals.ledger.avro.ledger.EntryKind;
import com.portals.ledger.avro.ledger.JournalEntry;
import com.portals.ledger.avro.ledger.JournalLeg;
import com.portals.ledger.domain.journal.LedgerAccount;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The read side folds account figures from journal entries alone, like an auditor would. */
class JournalFoldTest {

  private static final String AFF = "aff-1";

  private static JournalEntry entry(
      EntryKind kind, String debit, String credit, long cents, String at, Long cycle) {
    return JournalEntry.newBuilder()
        .setEntryId(kind + ":" + at)
        .setAffiliateId(AFF)
        .setKind(kind)
        .setLegs(List.of(new JournalLeg(debit, cents), new JournalLeg(credit, -cents)))
        .setCausingEventId("e")
        .setEffectiveAt(Instant.parse(at))
        .setSettlementCycle(cycle)
        .build();
  }

  @Test
  void shouldFoldFiguresAndCycleBucketsFromTheLegs() {
    String pending = LedgerAccount.pending(AFF);
    String awaiting = LedgerAccount.awaitingRefresh(AFF);
    String balance = LedgerAccount.balance(AFF);
    List<JournalEntry> journal =
        List.of(
            entry(
                EntryKind.COMMISSION_ACCRUED,
                LedgerAccount.COMMISSION_EXPENSE,
                pending,
                1000,
                "2026-01-10T10:00:00Z",
                null),
            entry(
                EntryKind.COMMISSION_COMPLETED,
                pending,
                awaiting,
                1000,
                "2026-01-20T10:00:00Z",
                1462L),
            entry(
                EntryKind.COMMISSION_REFUNDED,
                awaiting,
                LedgerAccount.COMMISSION_EXPENSE,
                100,
                "2026-01-25T10:00:00Z",
                1462L),
            entry(EntryKind.BALANCE_POSTED, awaiting, balance, 900, "2026-02-16T00:00:00Z", 1462L),
            entry(
                EntryKind.WITHDRAWAL_ACCEPTED,
                balance,
                LedgerAccount.PAYOUTS_PAYABLE,
                200,
                "2026-02-17T00:00:00Z",
                null),
            entry(
                EntryKind.WITHDRAWAL_FEE,
                balance,
                LedgerAccount.FEE_REVENUE,
                150,
                "2026-02-17T00:00:00Z",
                null),
            entry(
                EntryKind.PAYOUT_FAILED,
                LedgerAccount.PAYOUTS_PAYABLE,
                balance,
                200,
                "2026-02-18T00:00:00Z",
                null),
            entry(
                EntryKind.WITHDRAWAL_FEE_RETURNED,
                LedgerAccount.FEE_REVENUE,
                balance,
                150,
                "2026-02-18T00:00:00Z",
                null));

    AccountState state = JournalFold.empty(AFF);
    AccountState afterRefund = null;
    AccountState afterWithdrawal = null;
    for (JournalEntry entry : journal) {
      state = JournalFold.fold(state, entry);
      if (entry.getKind() == EntryKind.COMMISSION_REFUNDED) {
        afterRefund = state;
      }
      if (entry.getKind() == EntryKind.WITHDRAWAL_FEE) {
        afterWithdrawal = state;
      }
    }

    assertThat(afterRefund.getAwaiting()).containsExactly(new CycleAmount(1462L, 900L));
    assertThat(afterWithdrawal.getBalanceCents()).isEqualTo(550);
    assertThat(afterWithdrawal.getWithdrawnCents()).isEqualTo(350);
    assertThat(afterWithdrawal.getFeesCents()).isEqualTo(150);
    assertThat(state.getPendingCents()).isZero();
    assertThat(state.getAwaiting()).isEmpty();
    assertThat(state.getBalanceCents()).isEqualTo(900);
    assertThat(state.getWithdrawnCents()).isZero();
    assertThat(state.getFeesCents()).isZero();
    assertThat(state.getEntryCount()).isEqualTo(journal.size());
    assertThat(state.getLastPostedCycle()).isEqualTo(1462L);
    assertThat(state.getAsOf()).isEqualTo(Instant.parse("2026-02-18T00:00:00Z"));
  }
}
