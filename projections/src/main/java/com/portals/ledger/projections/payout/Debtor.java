package com.portals.ledger.projections.payout;

/**
 * The account the payouts are paid from: the programme's own. Its name is also the initiating party
 * of the file. The IBAN and the BIC are kept in upper case without spaces; a blank BIC counts as
 * none.
 *
 * @param name the account holder's name (cut to 140 characters in the file)
 * @param iban the account paid from
 * @param bic the account's bank, or null
 */
public record Debtor(String name, String iban, String bic) {

  public Debtor {
    XmlText.requireName("debtor name", name);
    iban = BankIds.iban("debtor iban", iban);
    bic = BankIds.bicOrNull("debtor bic", bic);
  }
}
