package com.portals.ledger.domain.journal;

/** What a journal entry records; the legs of each kind are listed in docs/event-catalogue.md. */
public enum EntryKind {
  /** Commission expense to the affiliate's pending commission (order placed and attributed). */
  COMMISSION_ACCRUED,
  /** Pending to awaiting refresh (order completed, or released by the 60-day rule). */
  COMMISSION_COMPLETED,
  /** Pending back to commission expense (order cancelled, or expired by the 60-day rule). */
  COMMISSION_CANCELLED,
  /** Part of the commission back to expense, from pending, awaiting refresh or the balance. */
  COMMISSION_REFUNDED,
  /** Awaiting refresh to the balance, at the close of the cycle after completion. */
  BALANCE_POSTED,
  /** Balance to payouts payable: the amount the bank transfer carries. */
  WITHDRAWAL_ACCEPTED,
  /** Balance to fee revenue: the withdrawal fee, journalled on its own. */
  WITHDRAWAL_FEE,
  /** Payouts payable to the bank: the transfer went through. */
  PAYOUT_COMPLETED,
  /** Payouts payable back to the balance: the transfer failed. */
  PAYOUT_FAILED,
  /** Fee revenue back to the balance: the fee of a failed transfer is returned. */
  WITHDRAWAL_FEE_RETURNED
}
