package com.portals.ledger.projections.payout;

/**
 * One payout to an affiliate, as the bank is told to make it. The end-to-end id is what the bank
 * echoes back in its status report, so it is how a status finds its payout again: it is kept
 * exactly as given and must fit ISO 20022's 35 characters.
 *
 * <p>The IBAN and the BIC are kept in upper case without spaces; a blank BIC counts as none (the
 * bank then finds the creditor's bank from the IBAN).
 *
 * @param endToEndId 1 to 35 characters, echoed back by the bank
 * @param amountCents the amount in US cents, more than zero
 * @param creditorName the affiliate's name as the bank shows it (cut to 140 characters in the file)
 * @param iban the affiliate's account
 * @param bic the affiliate's bank, or null
 */
public record Payment(
    String endToEndId, long amountCents, String creditorName, String iban, String bic) {

  public Payment {
    XmlText.requireId("endToEndId", endToEndId, Pain001.MAX_ID_LENGTH);
    if (amountCents <= 0) {
      throw new IllegalArgumentException(
          "amountCents must be more than zero, is "
              + amountCents
              + " (payment "
              + endToEndId
              + ")");
    }
    XmlText.requireName("creditorName (payment " + endToEndId + ")", creditorName);
    iban = BankIds.iban("iban (payment " + endToEndId + ")", iban);
    bic = BankIds.bicOrNull("bic (payment " + endToEndId + ")", bic);
  }
}
