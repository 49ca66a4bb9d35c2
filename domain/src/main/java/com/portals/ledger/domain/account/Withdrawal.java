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
    Instant decidedAt) {

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
}
