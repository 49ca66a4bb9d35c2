package com.portals.ledger.projections.payout;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * IBANs and BICs as ISO 20022 wants them: people type them in groups and in lower case, the schema
 * accepts upper case without spaces only, so both are normalised before they are checked.
 */
final class BankIds {

  /** ISO 20022's IBAN2007Identifier. */
  private static final Pattern IBAN = Pattern.compile("[A-Z]{2}[0-9]{2}[a-zA-Z0-9]{1,30}");

  /** ISO 20022's BICFIDec2014Identifier. */
  private static final Pattern BIC =
      Pattern.compile("[A-Z0-9]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?");

  private BankIds() {}

  /** The IBAN in upper case without spaces; refused if it is blank or not shaped like an IBAN. */
  static String iban(String field, String iban) {
    if (iban == null || iban.isBlank()) {
      throw new IllegalArgumentException(field + " must not be blank");
    }
    String normalised = normalise(iban);
    if (!IBAN.matcher(normalised).matches()) {
      throw new IllegalArgumentException(
          field
              + " '"
              + XmlText.clean(iban, 70)
              + "' is not an IBAN: expected a country code, two check digits and 1 to 30 letters"
              + " or digits");
    }
    return normalised;
  }

  /** The BIC in upper case without spaces, or null when there is none (null or blank). */
  static String bicOrNull(String field, String bic) {
    if (bic == null || bic.isBlank()) {
      return null;
    }
    String normalised = normalise(bic);
    if (!BIC.matcher(normalised).matches()) {
      throw new IllegalArgumentException(
          field
              + " '"
              + XmlText.clean(bic, 70)
              + "' is not a BIC: expected 8 or 11 letters or digits (bank, country, location,"
              + " branch)");
    }
    return normalised;
  }

  private static String normalise(String id) {
    return id.replaceAll("\\s", "").toUpperCase(Locale.ROOT);
  }
}
