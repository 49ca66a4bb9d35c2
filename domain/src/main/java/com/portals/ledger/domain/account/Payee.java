package com.portals.ledger.domain.account;

/**
 * Where an accepted withdrawal is paid to: what a bank transfer needs, as the request gave it, the
 * IBAN and SWIFT/BIC without spaces and in capitals. Only finance's payout files show it; the
 * affiliate's own views show the {@link BankAccounts#mask masked} IBAN.
 */
public record Payee(String iban, String swift, String holder) {}
