package com.portals.ledger.domain.journal;

/**
 * Names of the ledger's accounts, as they appear in journal legs. Affiliate accounts are
 * liabilities of the programme (credit balances); the platform accounts are its expense, revenue,
 * payables and cash.
 */
public final class LedgerAccount {

  public static final String COMMISSION_EXPENSE = "platform:commission-expense";
  public static final String PAYOUTS_PAYABLE = "platform:payouts-payable";
  public static final String FEE_REVENUE = "platform:fee-revenue";
  public static final String BANK = "platform:bank";

  private LedgerAccount() {}

  /** Commission of the affiliate's orders not completed yet. */
  public static String pending(String affiliateId) {
    return "affiliate:" + affiliateId + ":pending";
  }

  /** Commission of completed orders not yet posted to the balance. */
  public static String awaitingRefresh(String affiliateId) {
    return "affiliate:" + affiliateId + ":awaiting-refresh";
  }

  /** The withdrawable balance. */
  public static String balance(String affiliateId) {
    return "affiliate:" + affiliateId + ":balance";
  }
}
