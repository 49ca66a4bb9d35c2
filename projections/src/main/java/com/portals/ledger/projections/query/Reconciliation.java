package com.portals.ledger.projections.query;

import com.portals.ledger.avro.internal.AccountState;
import com.portals.ledger.avro.internal.CycleAmount;
import com.portals.ledger.avro.ledger.Balance;
import com.portals.ledger.avro.ledger.JournalEntry;
import com.portals.ledger.avro.ledger.JournalLeg;
import com.portals.ledger.avro.ledger.WithdrawalDecision;
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

  /** Check names, stable for tools that read the report. */
  public static final String BALANCE_MISSING = "BALANCE_MISSING";

  public static final String JOURNAL_MISSING = "JOURNAL_MISSING";
  public static final String ENTRY_COUNT = "ENTRY_COUNT";
  public static final String UNBALANCED_ENTRY = "UNBALANCED_ENTRY";
  public static final String WITHDRAWN = "WITHDRAWN";
  public static final String FEES = "FEES";

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
      long awaiting = 0;
      for (CycleAmount bucket : state.getAwaiting()) {
        awaiting += bucket.getCents();
      }
      return new Figures(
          state.getPendingCents(),
          awaiting,
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

    /** What left balances and has not come back: accepted (in flight) and paid. */
    long outCents() {
      return accepted.amountCents + paid.amountCents;
    }

    long outFeeCents() {
      return accepted.feeCents + paid.feeCents;
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
      String affiliateId, String check, long expected, long found, String message) {}

  public static final Reconciliation EMPTY =
      new Reconciliation(true, 0, Figures.ZERO, Figures.ZERO, Withdrawals.ZERO, List.of(), 0);

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
        long sum = 0;
        for (JournalLeg leg : entry.getLegs()) {
          sum += leg.getAmountCents();
        }
        if (sum != 0) {
          differ(
              affiliateId,
              UNBALANCED_ENTRY,
              0,
              sum,
              "entry " + entry.getEntryId() + ": its legs sum to " + sum + ", not 0");
        }
      }
      Figures fromJournal = folded == null ? null : Figures.of(folded);
      Figures fromBalance = balance == null ? null : Figures.of(balance);
      if (fromJournal != null) {
        journal = journal.plus(fromJournal);
      }
      if (fromBalance != null) {
        balances = balances.plus(fromBalance);
      }
      if (fromJournal == null) {
        differ(
            affiliateId,
            JOURNAL_MISSING,
            0,
            fromBalance.entries(),
            "ledger.balances has a balance but the journal has no entry for this affiliate");
        return;
      }
      if (fromBalance == null) {
        differ(
            affiliateId,
            BALANCE_MISSING,
            fromJournal.entries(),
            0,
            "the journal has entries but ledger.balances has no balance for this affiliate");
      } else if (fromJournal.entries() != fromBalance.entries()) {
        differ(
            affiliateId,
            ENTRY_COUNT,
            fromJournal.entries(),
            fromBalance.entries(),
            "the balance counts a different number of journal entries (if this goes away on the"
                + " next call, the read side was between the two topics)");
      } else {
        compare(
            affiliateId, "pendingCents", fromJournal.pendingCents(), fromBalance.pendingCents());
        compare(
            affiliateId,
            "awaitingRefreshCents",
            fromJournal.awaitingRefreshCents(),
            fromBalance.awaitingRefreshCents());
        compare(
            affiliateId, "balanceCents", fromJournal.balanceCents(), fromBalance.balanceCents());
        compare(
            affiliateId,
            "withdrawnCents",
            fromJournal.withdrawnCents(),
            fromBalance.withdrawnCents());
        compare(affiliateId, "feesCents", fromJournal.feesCents(), fromBalance.feesCents());
      }
      if (fromJournal.withdrawnCents() != own.outCents()) {
        differ(
            affiliateId,
            WITHDRAWN,
            fromJournal.withdrawnCents(),
            own.outCents(),
            "withdrawn per the journal vs amounts of withdrawals accepted or paid");
      }
      if (fromJournal.feesCents() != own.outFeeCents()) {
        differ(
            affiliateId,
            FEES,
            fromJournal.feesCents(),
            own.outFeeCents(),
            "fees per the journal vs fees of withdrawals accepted or paid");
      }
    }

    private void compare(String affiliateId, String field, long journal, long balance) {
      if (journal != balance) {
        differ(
            affiliateId,
            "BALANCE_" + field,
            journal,
            balance,
            field + " folded from the journal vs ledger.balances");
      }
    }

    private void differ(
        String affiliateId, String check, long expected, long found, String message) {
      differenceCount++;
      if (differences.size() < MAX_DIFFERENCES) {
        differences.add(new Difference(affiliateId, check, expected, found, message));
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
