package com.portals.ledger.domain.account;

import com.portals.ledger.domain.money.Money;
import java.time.Instant;

/**
 * A withdrawal as decided, and later settled.
 *
 * @param requested the amount asked for; null meant the whole balance
 * @param amount what left (or would have left) the balance, fee included
 * @param payout {@code amount - fee}: what the bank transfer carries
 * @param reasonCode why it was rejected or failed (null when accepted or paid)
 * @param bankAccountMasked the IBAN with all but its last four characters hidden
 * @param causingEventId the event that decided this state
 * @param decidedAt when it was decided (the event's time)
 * @param payee where an accepted withdrawal is paid to (null when rejected, and for withdrawals
 *     decided before the ledger kept it)
 * @param batchId the payout batch it is in (null while in none)
 * @param batchedAt when it was put into that batch (the batch's time)
 */
public record Withdrawal(
    String withdrawalId,
    String affiliateId,
    WithdrawalStatus status,
    Money requested,
    Money amount,
    Money fee,
    Money payout,
    String reasonCode,
    String message,
    String bankAccountMasked,
    String causingEventId,
    Instant decidedAt,
    Payee payee,
    String batchId,
    Instant batchedAt) {

  /** Reason codes of rejected withdrawals (docs/contract.md), and the ledger's own additions. */
  public static final String BALANCE_NOT_ABOVE_MINIMUM = "BALANCE_NOT_ABOVE_MINIMUM";

  public static final String AMOUNT_EXCEEDS_BALANCE = "AMOUNT_EXCEEDS_BALANCE";
  public static final String AMOUNT_NOT_ABOVE_FEE = "AMOUNT_NOT_ABOVE_FEE";
  public static final String INVALID_BANK_ACCOUNT = "INVALID_BANK_ACCOUNT";
  public static final String DUPLICATE_WITHDRAWAL = "DUPLICATE_WITHDRAWAL";

  /** The affiliate has no account: it never earned commission. */
  public static final String UNKNOWN_AFFILIATE = "UNKNOWN_AFFILIATE";

  /** A failed bank transfer. */
  public static final String PAYOUT_FAILED = "PAYOUT_FAILED";

  /** This withdrawal, as of {@code eventId} at {@code at}, in payout batch {@code batchId}. */
  public Withdrawal inBatch(String batchId, String eventId, Instant at) {
    return new Withdrawal(
        withdrawalId,
        affiliateId,
        status,
        requested,
        amount,
        fee,
        payout,
        reasonCode,
        message,
        bankAccountMasked,
        eventId,
        decidedAt,
        payee,
        batchId,
        at);
  }

  /** This withdrawal, settled as {@code settled} by {@code eventId} at {@code at}. */
  public Withdrawal settled(
      WithdrawalStatus settled, String reasonCode, String message, String eventId, Instant at) {
    return new Withdrawal(
        withdrawalId,
        affiliateId,
        settled,
        requested,
        amount,
        fee,
        payout,
        reasonCode,
        message,
        bankAccountMasked,
        eventId,
        at,
        payee,
        batchId,
        batchedAt);
  }
}
