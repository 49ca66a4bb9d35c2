package com.portals.ledger.domain.account;

/** What became of a withdrawal. */
public enum WithdrawalStatus {
  /** Accepted: the amount left the balance; the bank transfer is under way. */
  ACCEPTED,
  /** Refused, with a reason code; the balance is untouched. */
  REJECTED,
  /** The bank transfer went through. */
  PAID,
  /** The bank transfer failed; the whole amount (fee included) went back to the balance. */
  FAILED
}
