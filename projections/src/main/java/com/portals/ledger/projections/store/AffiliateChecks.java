package com.portals.ledger.projections.store;

import com.portals.ledger.avro.internal.AccountState;
import com.portals.ledger.avro.internal.CycleAmount;
import com.portals.ledger.avro.ledger.Balance;
import com.portals.ledger.avro.ledger.JournalEntry;
import com.portals.ledger.avro.ledger.JournalLeg;
import com.portals.ledger.avro.ledger.WithdrawalDecision;
import com.portals.ledger.avro.ledger.WithdrawalStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The reconciliation's checks of one affiliate (docs/audit.md "Reconciliation"): every journal
 * entry balances, the figures folded from the journal agree with {@code ledger.balances}, and what
 * the journal says was withdrawn and charged agrees with the withdrawals decided. The full check
 * runs them over every affiliate on request; the read side runs them for an affiliate each time one
 * of its records arrives, and keeps the findings.
 */
public final class AffiliateChecks {

  /** Check names, stable for tools that read the report. */
  public static final String BALANCE_MISSING = "BALANCE_MISSING";

  public static final String JOURNAL_MISSING = "JOURNAL_MISSING";
  public static final String ENTRY_COUNT = "ENTRY_COUNT";
  public static final String UNBALANCED_ENTRY = "UNBALANCED_ENTRY";
  public static final String WITHDRAWN = "WITHDRAWN";
  public static final String FEES = "FEES";

  /**
   * One disagreement.
   *
   * @param affiliateId whose figures disagree
   * @param check which check found it (the constants above, or {@code BALANCE_<field>})
   * @param expected what the journal says
   * @param found what the other source says
   */
  public record Finding(
      String affiliateId, String check, long expected, long found, String message) {}

  private AffiliateChecks() {}

  /** A finding if the entry's legs do not sum to zero. */
  public static Optional<Finding> entry(String affiliateId, JournalEntry entry) {
    long sum = 0;
    for (JournalLeg leg : entry.getLegs()) {
      sum += leg.getAmountCents();
    }
    return sum == 0
        ? Optional.empty()
        : Optional.of(
            new Finding(
                affiliateId,
                UNBALANCED_ENTRY,
                0,
                sum,
                "entry " + entry.getEntryId() + ": its legs sum to " + sum + ", not 0"));
  }

  /**
   * The account's findings: the figures folded from its journal ({@code folded}, null if it has no
   * entry) against its balance on {@code ledger.balances} (null if none) and its withdrawals.
   */
  public static List<Finding> account(
      String affiliateId,
      AccountState folded,
      Balance balance,
      Iterable<WithdrawalDecision> decisions) {
    long[] out = new long[2];
    for (WithdrawalDecision decision : decisions) {
      out = plus(out, decision, 1);
    }
    return account(affiliateId, folded, balance, out[0], out[1]);
  }

  /**
   * {@code out} ({@code [amount, fees]} of withdrawals accepted or paid) with {@code decision}
   * added ({@code sign} 1) or taken back (-1); other statuses leave it alone.
   */
  public static long[] plus(long[] out, WithdrawalDecision decision, int sign) {
    if (decision != null
        && (decision.getStatus() == WithdrawalStatus.ACCEPTED
            || decision.getStatus() == WithdrawalStatus.PAID)) {
      return new long[] {
        out[0] + sign * decision.getAmountCents(), out[1] + sign * decision.getFeeCents()
      };
    }
    return out;
  }

  /**
   * The same, the withdrawals given as what left the balance: {@code out} and {@code outFees},
   * amounts and fees of the withdrawals whose latest decision is accepted or paid.
   */
  public static List<Finding> account(
      String affiliateId, AccountState folded, Balance balance, long out, long outFees) {
    List<Finding> findings = new ArrayList<>();
    if (folded == null) {
      if (balance != null) {
        findings.add(
            new Finding(
                affiliateId,
                JOURNAL_MISSING,
                0,
                balance.getEntryCount(),
                "ledger.balances has a balance but the journal has no entry for this affiliate"));
      }
      return findings;
    }
    if (balance == null) {
      findings.add(
          new Finding(
              affiliateId,
              BALANCE_MISSING,
              folded.getEntryCount(),
              0,
              "the journal has entries but ledger.balances has no balance for this affiliate"));
    } else if (folded.getEntryCount() != balance.getEntryCount()) {
      findings.add(
          new Finding(
              affiliateId,
              ENTRY_COUNT,
              folded.getEntryCount(),
              balance.getEntryCount(),
              "the balance counts a different number of journal entries (if this goes away on the"
                  + " next call, the read side was between the two topics)"));
    } else {
      compare(
          findings,
          affiliateId,
          "pendingCents",
          folded.getPendingCents(),
          balance.getPendingCents());
      compare(
          findings,
          affiliateId,
          "awaitingRefreshCents",
          awaitingCents(folded),
          balance.getAwaitingRefreshCents());
      compare(
          findings,
          affiliateId,
          "balanceCents",
          folded.getBalanceCents(),
          balance.getBalanceCents());
      compare(
          findings,
          affiliateId,
          "withdrawnCents",
          folded.getWithdrawnCents(),
          balance.getWithdrawnCents());
      compare(findings, affiliateId, "feesCents", folded.getFeesCents(), balance.getFeesCents());
    }
    if (folded.getWithdrawnCents() != out) {
      findings.add(
          new Finding(
              affiliateId,
              WITHDRAWN,
              folded.getWithdrawnCents(),
              out,
              "withdrawn per the journal vs amounts of withdrawals accepted or paid"));
    }
    if (folded.getFeesCents() != outFees) {
      findings.add(
          new Finding(
              affiliateId,
              FEES,
              folded.getFeesCents(),
              outFees,
              "fees per the journal vs fees of withdrawals accepted or paid"));
    }
    return findings;
  }

  /** Commission awaiting refresh: the sum of the account's cycle buckets. */
  public static long awaitingCents(AccountState state) {
    long awaiting = 0;
    for (CycleAmount bucket : state.getAwaiting()) {
      awaiting += bucket.getCents();
    }
    return awaiting;
  }

  private static void compare(
      List<Finding> findings, String affiliateId, String field, long journal, long balance) {
    if (journal != balance) {
      findings.add(
          new Finding(
              affiliateId,
              "BALANCE_" + field,
              journal,
              balance,
              field + " folded from the journal vs ledger.balances"));
    }
  }
}
