package com.portals.ledger.projections.query;

import com.portals.ledger.avro.internal.AccountState;
import com.portals.ledger.avro.ledger.Balance;
import com.portals.ledger.avro.ledger.JournalEntry;
import com.portals.ledger.avro.ledger.WithdrawalDecision;
import com.portals.ledger.projections.store.AffiliateChecks;
import com.portals.ledger.projections.store.RunningTotals;
import com.portals.ledger.projections.store.RunningTotals.Total;
import java.util.ArrayList;
import java.util.List;

/**
 * Finance's reconciliation: the journal's totals (every figure folded from journal legs alone)
 * against the ledger's balances ({@code ledger.balances}, written by the write side) against the
 * withdrawals it decided, affiliate by affiliate, with every disagreement named. Reports of
 * different instances add up, like summaries.
 *
 * @param reconciled whether no difference was found
 * @param journal totals folded from the journal
 * @param balances totals of {@code ledger.balances}
 * @param withdrawals decisions by their latest status
 * @param differences what disagrees, at most {@link #MAX_DIFFERENCES}
 * @param differenceCount how many differences there are in all
 */
public record Reconciliation(
    boolean reconciled,
    long affiliates,
    Figures journal,
    Figures balances,
    Withdrawals withdrawals,
    List<Difference> differences,
    long differenceCount) {

  /** Differences listed in one report; the count says how many there are beyond. */
  public static final int MAX_DIFFERENCES = 1000;

  /** Check names, stable for tools that read the report ({@link AffiliateChecks}). */
  public static final String BALANCE_MISSING = AffiliateChecks.BALANCE_MISSING;

  public static final String JOURNAL_MISSING = AffiliateChecks.JOURNAL_MISSING;
  public static final String ENTRY_COUNT = AffiliateChecks.ENTRY_COUNT;
  public static final String UNBALANCED_ENTRY = AffiliateChecks.UNBALANCED_ENTRY;
  public static final String WITHDRAWN = AffiliateChecks.WITHDRAWN;
  public static final String FEES = AffiliateChecks.FEES;

  /** Account figures, summed over affiliates. */
  public record Figures(
      long pendingCents,
      long awaitingRefreshCents,
      long balanceCents,
      long withdrawnCents,
      long feesCents,
      long entries) {

    static final Figures ZERO = new Figures(0, 0, 0, 0, 0, 0);

    Figures plus(Figures o) {
      return new Figures(
          pendingCents + o.pendingCents,
          awaitingRefreshCents + o.awaitingRefreshCents,
          balanceCents + o.balanceCents,
          withdrawnCents + o.withdrawnCents,
          feesCents + o.feesCents,
          entries + o.entries);
    }

    static Figures of(AccountState state) {
      return new Figures(
          state.getPendingCents(),
          AffiliateChecks.awaitingCents(state),
          state.getBalanceCents(),
          state.getWithdrawnCents(),
          state.getFeesCents(),
          state.getEntryCount());
    }

    static Figures of(Balance balance) {
      return new Figures(
          balance.getPendingCents(),
          balance.getAwaitingRefreshCents(),
          balance.getBalanceCents(),
          balance.getWithdrawnCents(),
          balance.getFeesCents(),
          balance.getEntryCount());
    }
  }

  /** Withdrawals of one status: how many, what left the balances, fees, what the banks carry. */
  public record Tally(long count, long amountCents, long feeCents, long payoutCents) {

    static final Tally ZERO = new Tally(0, 0, 0, 0);

    Tally plus(Tally o) {
      return new Tally(
          count + o.count,
          amountCents + o.amountCents,
          feeCents + o.feeCents,
          payoutCents + o.payoutCents);
    }

    Tally plus(WithdrawalDecision decision) {
      return plus(
          new Tally(
              1, decision.getAmountCents(), decision.getFeeCents(), decision.getPayoutCents()));
    }
  }

  /** Withdrawals by the status of their latest decision. */
  public record Withdrawals(Tally accepted, Tally paid, Tally failed, Tally rejected) {

    static final Withdrawals ZERO = new Withdrawals(Tally.ZERO, Tally.ZERO, Tally.ZERO, Tally.ZERO);

    Withdrawals plus(Withdrawals o) {
      return new Withdrawals(
          accepted.plus(o.accepted),
          paid.plus(o.paid),
          failed.plus(o.failed),
          rejected.plus(o.rejected));
    }

    Withdrawals plus(WithdrawalDecision decision) {
      return switch (decision.getStatus()) {
        case ACCEPTED -> new Withdrawals(accepted.plus(decision), paid, failed, rejected);
        case PAID -> new Withdrawals(accepted, paid.plus(decision), failed, rejected);
        case FAILED -> new Withdrawals(accepted, paid, failed.plus(decision), rejected);
        case REJECTED -> new Withdrawals(accepted, paid, failed, rejected.plus(decision));
      };
    }
  }

  /**
   * One disagreement.
   *
   * @param affiliateId whose figures disagree
   * @param check which check found it (the constants of {@link Reconciliation})
   * @param expected what the journal says
   * @param found what the other source says
   */
  public record Difference(
      String affiliateId, String check, long expected, long found, String message) {

    public static Difference of(AffiliateChecks.Finding finding) {
      return new Difference(
          finding.affiliateId(),
          finding.check(),
          finding.expected(),
          finding.found(),
          finding.message());
    }
  }

  public static final Reconciliation EMPTY =
      new Reconciliation(true, 0, Figures.ZERO, Figures.ZERO, Withdrawals.ZERO, List.of(), 0);

  /** A report from running totals ({@link RunningTotals}) and the findings kept with them. */
  static Reconciliation of(long[] t, List<Difference> differences) {
    long count = t[Total.DIFFERENCES.ordinal()];
    return new Reconciliation(
        count == 0,
        t[Total.RECONCILED_AFFILIATES.ordinal()],
        new Figures(
            t[Total.JOURNAL_PENDING.ordinal()],
            t[Total.JOURNAL_AWAITING.ordinal()],
            t[Total.JOURNAL_BALANCE.ordinal()],
            t[Total.JOURNAL_WITHDRAWN.ordinal()],
            t[Total.JOURNAL_FEES.ordinal()],
            t[Total.JOURNAL_ENTRIES.ordinal()]),
        new Figures(
            t[Total.BALANCES_PENDING.ordinal()],
            t[Total.BALANCES_AWAITING.ordinal()],
            t[Total.BALANCES_BALANCE.ordinal()],
            t[Total.BALANCES_WITHDRAWN.ordinal()],
            t[Total.BALANCES_FEES.ordinal()],
            t[Total.BALANCES_ENTRIES.ordinal()]),
        new Withdrawals(
            tally(t, Total.ACCEPTED_COUNT),
            tally(t, Total.PAID_COUNT),
            tally(t, Total.FAILED_COUNT),
            tally(t, Total.REJECTED_COUNT)),
        List.copyOf(differences),
        count);
  }

  private static Tally tally(long[] t, Total count) {
    int first = count.ordinal();
    return new Tally(t[first], t[first + 1], t[first + 2], t[first + 3]);
  }

  /** The reports of two instances (holding different affiliates) as one. */
  public Reconciliation plus(Reconciliation o) {
    List<Difference> all = new ArrayList<>(differences);
    for (Difference difference : o.differences) {
      if (all.size() < MAX_DIFFERENCES) {
        all.add(difference);
      }
    }
    long count = differenceCount + o.differenceCount;
    return new Reconciliation(
        count == 0,
        affiliates + o.affiliates,
        journal.plus(o.journal),
        balances.plus(o.balances),
        withdrawals.plus(o.withdrawals),
        List.copyOf(all),
        count);
  }

  /** Reconciles one affiliate at a time. */
  static final class Builder {
    private long affiliates;
    private Figures journal = Figures.ZERO;
    private Figures balances = Figures.ZERO;
    private Withdrawals withdrawals = Withdrawals.ZERO;
    private final List<Difference> differences = new ArrayList<>();
    private long differenceCount;

    /**
     * One affiliate: the figures folded from its journal (null if it has none), its balance on
     * {@code ledger.balances} (null if none), its journal entries and its withdrawals.
     */
    void add(
        String affiliateId,
        AccountState folded,
        Balance balance,
        Iterable<JournalEntry> entries,
        Iterable<WithdrawalDecision> decisions) {
      affiliates++;
      Withdrawals own = Withdrawals.ZERO;
      for (WithdrawalDecision decision : decisions) {
        own = own.plus(decision);
      }
      withdrawals = withdrawals.plus(own);
      for (JournalEntry entry : entries) {
        AffiliateChecks.entry(affiliateId, entry).ifPresent(this::differ);
      }
      if (folded != null) {
        journal = journal.plus(Figures.of(folded));
      }
      if (balance != null) {
        balances = balances.plus(Figures.of(balance));
      }
      AffiliateChecks.account(affiliateId, folded, balance, decisions).forEach(this::differ);
    }

    private void differ(AffiliateChecks.Finding finding) {
      differenceCount++;
      if (differences.size() < MAX_DIFFERENCES) {
        differences.add(Difference.of(finding));
      }
    }

    Reconciliation build() {
      return new Reconciliation(
          differenceCount == 0,
          affiliates,
          journal,
          balances,
          withdrawals,
          List.copyOf(differences),
          differenceCount);
    }
  }
}
