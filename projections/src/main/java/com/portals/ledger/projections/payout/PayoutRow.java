package com.portals.ledger.projections.payout;

import com.portals.ledger.avro.ledger.WithdrawalDecision;

/**
 * A withdrawal as payouts see it: what a batch pays, where to, and what became of it. Passed
 * between instances as JSON, so its instants are epoch milliseconds.
 *
 * @param batchId the batch it is in, or null while in none
 * @param decidedAtMillis when its latest status was decided (accepted, paid or failed)
 * @param batchedAtMillis when it was put into its batch, or null
 */
public record PayoutRow(
    String withdrawalId,
    String affiliateId,
    String status,
    long amountCents,
    long feeCents,
    long payoutCents,
    String holder,
    String iban,
    String swift,
    String batchId,
    long decidedAtMillis,
    Long batchedAtMillis,
    String reason,
    String message) {

  /** The row of a decision that carries a payee (see {@code ProjectionStores.PAYOUTS}). */
  public static PayoutRow of(WithdrawalDecision d) {
    return new PayoutRow(
        d.getWithdrawalId(),
        d.getAffiliateId(),
        d.getStatus().name(),
        d.getAmountCents(),
        d.getFeeCents(),
        d.getPayoutCents(),
        d.getPayee() == null ? null : d.getPayee().getHolder(),
        d.getPayee() == null ? null : d.getPayee().getIban(),
        d.getPayee() == null ? null : d.getPayee().getSwift(),
        d.getBatchId(),
        d.getDecidedAt().toEpochMilli(),
        d.getBatchedAt() == null ? null : d.getBatchedAt().toEpochMilli(),
        d.getReason(),
        d.getMessage());
  }

  /** Whether the bank transfer is still open (neither paid nor failed). */
  public boolean open() {
    return "ACCEPTED".equals(status);
  }
}
