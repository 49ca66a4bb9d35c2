package com.portals.ledger.projections.query;

import com.portals.ledger.avro.ledger.WithdrawalStatus;
import com.portals.ledger.projections.query.ReadModel.BalanceView;

/**
 * Totals over affiliates, for finance. Summaries of different instances add up: each instance sums
 * the affiliates it holds and the one that was asked adds them all.
 *
 * @param affiliates affiliates with at least one journal entry
 * @param payoutsDueCents payouts of accepted withdrawals not yet paid or failed
 * @param unattributedOrders orders attributed to no affiliate (traffic that earned nothing)
 */
public record FinanceSummary(
    long affiliates,
    long pendingCents,
    long awaitingRefreshCents,
    long balanceCents,
    long withdrawnCents,
    long feesCents,
    long withdrawalsAccepted,
    long withdrawalsRejected,
    long withdrawalsPaid,
    long withdrawalsFailed,
    long payoutsDueCents,
    long unattributedOrders,
    long unattributedOrderAmountCents) {

  public static final FinanceSummary EMPTY = new Builder().build();

  /** The sum of two summaries (of different instances). */
  public FinanceSummary plus(FinanceSummary o) {
    return new FinanceSummary(
        affiliates + o.affiliates,
        pendingCents + o.pendingCents,
        awaitingRefreshCents + o.awaitingRefreshCents,
        balanceCents + o.balanceCents,
        withdrawnCents + o.withdrawnCents,
        feesCents + o.feesCents,
        withdrawalsAccepted + o.withdrawalsAccepted,
        withdrawalsRejected + o.withdrawalsRejected,
        withdrawalsPaid + o.withdrawalsPaid,
        withdrawalsFailed + o.withdrawalsFailed,
        payoutsDueCents + o.payoutsDueCents,
        unattributedOrders + o.unattributedOrders,
        unattributedOrderAmountCents + o.unattributedOrderAmountCents);
  }

  /** Sums accounts, withdrawals and unattributed orders one at a time. */
  static final class Builder {
    private long affiliates;
    private long pending;
    private long awaiting;
    private long balance;
    private long withdrawn;
    private long fees;
    private long accepted;
    private long rejected;
    private long paid;
    private long failed;
    private long payoutsDue;
    private long unattributed;
    private long unattributedAmount;

    void add(BalanceView account) {
      affiliates++;
      pending += account.pendingCents();
      awaiting += account.awaitingRefreshCents();
      balance += account.balanceCents();
      withdrawn += account.withdrawnCents();
      fees += account.feesCents();
    }

    void addWithdrawal(WithdrawalStatus status, long payoutCents) {
      switch (status) {
        case ACCEPTED -> {
          accepted++;
          payoutsDue += payoutCents;
        }
        case REJECTED -> rejected++;
        case PAID -> paid++;
        case FAILED -> failed++;
      }
    }

    void addUnattributed(long amountCents) {
      unattributed++;
      unattributedAmount += amountCents;
    }

    FinanceSummary build() {
      return new FinanceSummary(
          affiliates,
          pending,
          awaiting,
          balance,
          withdrawn,
          fees,
          accepted,
          rejected,
          paid,
          failed,
          payoutsDue,
          unattributed,
          unattributedAmount);
    }
  }
}
