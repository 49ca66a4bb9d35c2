package com.portals.ledger.domain.account;

import java.math.BigInteger;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Checks of the bank account a withdrawal is paid to (international bank transfer): the IBAN's ISO
 * 13616 check digits (mod 97) and its length for the country, and the SWIFT/BIC format (ISO 9362:
 * 4-letter bank, 2-letter country, 2-character location, optional 3-character branch).
 */
public final class BankAccounts {

  private static final Pattern IBAN_SHAPE = Pattern.compile("[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}");
  private static final Pattern BIC_SHAPE =
      Pattern.compile("[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?");
  private static final BigInteger NINETY_SEVEN = BigInteger.valueOf(97);

  /** IBAN lengths of the countries of the ISO 13616 registry. */
  private static final Map<String, Integer> IBAN_LENGTHS =
      Map.ofEntries(
          Map.entry("AD", 24),
          Map.entry("AE", 23),
          Map.entry("AL", 28),
          Map.entry("AT", 20),
          Map.entry("AZ", 28),
          Map.entry("BA", 20),
          Map.entry("BE", 16),
          Map.entry("BG", 22),
          Map.entry("BH", 22),
          Map.entry("BR", 29),
          Map.entry("BY", 28),
          Map.entry("CH", 21),
          Map.entry("CR", 22),
          Map.entry("CY", 28),
          Map.entry("CZ", 24),
          Map.entry("DE", 22),
          Map.entry("DK", 18),
          Map.entry("DO", 28),
          Map.entry("EE", 20),
          Map.entry("EG", 29),
          Map.entry("ES", 24),
          Map.entry("FI", 18),
          Map.entry("FO", 18),
          Map.entry("FR", 27),
          Map.entry("GB", 22),
          Map.entry("GE", 22),
          Map.entry("GI", 23),
          Map.entry("GL", 18),
          Map.entry("GR", 27),
          Map.entry("GT", 28),
          Map.entry("HR", 21),
          Map.entry("HU", 28),
          Map.entry("IE", 22),
          Map.entry("IL", 23),
          Map.entry("IQ", 23),
          Map.entry("IS", 26),
          Map.entry("IT", 27),
          Map.entry("JO", 30),
          Map.entry("KW", 30),
          Map.entry("KZ", 20),
          Map.entry("LB", 28),
          Map.entry("LC", 32),
          Map.entry("LI", 21),
          Map.entry("LT", 20),
          Map.entry("LU", 20),
          Map.entry("LV", 21),
          Map.entry("MC", 27),
          Map.entry("MD", 24),
          Map.entry("ME", 22),
          Map.entry("MK", 19),
          Map.entry("MR", 27),
          Map.entry("MT", 31),
          Map.entry("MU", 30),
          Map.entry("NL", 18),
          Map.entry("NO", 15),
          Map.entry("PK", 24),
          Map.entry("PL", 28),
          Map.entry("PS", 29),
          Map.entry("PT", 25),
          Map.entry("QA", 29),
          Map.entry("RO", 24),
          Map.entry("RS", 22),
          Map.entry("SA", 24),
          Map.entry("SC", 31),
          Map.entry("SE", 24),
          Map.entry("SI", 19),
          Map.entry("SK", 24),
          Map.entry("SM", 27),
          Map.entry("TL", 23),
          Map.entry("TN", 24),
          Map.entry("TR", 26),
          Map.entry("UA", 29),
          Map.entry("VA", 22),
          Map.entry("VG", 24),
          Map.entry("XK", 20));

  /** The shortest IBAN whose last four characters {@link #mask} shows. */
  private static final int MASK_SHOWS_LAST_FOUR_FROM = 12;

  private BankAccounts() {}

  /**
   * What is wrong with the IBAN and SWIFT/BIC, or empty if both are valid. The answer never holds
   * the account: it goes into withdrawal decisions, which the API shows, so the IBAN appears only
   * {@link #mask masked} and the SWIFT/BIC not at all.
   */
  public static Optional<String> problem(String iban, String swift) {
    String normalizedIban = normalize(iban);
    if (!IBAN_SHAPE.matcher(normalizedIban).matches()) {
      return Optional.of(
          "IBAN "
              + mask(iban)
              + " is not an IBAN (country, check digits, 11-30 letters or digits)");
    }
    Integer expected = IBAN_LENGTHS.get(normalizedIban.substring(0, 2));
    if (expected != null && expected != normalizedIban.length()) {
      return Optional.of(
          "IBAN of "
              + normalizedIban.substring(0, 2)
              + " has "
              + expected
              + " characters, not "
              + normalizedIban.length());
    }
    if (!hasValidCheckDigits(normalizedIban)) {
      return Optional.of("IBAN check digits are wrong (ISO 13616 mod 97)");
    }
    String normalizedBic = normalize(swift);
    if (!BIC_SHAPE.matcher(normalizedBic).matches()) {
      return Optional.of(
          "SWIFT/BIC of "
              + normalizedBic.length()
              + " characters is not 8 or 11 characters of bank, country, location, branch");
    }
    return Optional.empty();
  }

  /** The payee of a valid bank account: IBAN and SWIFT/BIC without spaces, in capitals. */
  public static Payee payee(String iban, String swift, String holder) {
    return new Payee(normalize(iban), normalize(swift), holder);
  }

  /** ISO 13616: move the first four characters to the end, letters to 10..35, mod 97 is 1. */
  static boolean hasValidCheckDigits(String iban) {
    String rearranged = iban.substring(4) + iban.substring(0, 4);
    StringBuilder digits = new StringBuilder(rearranged.length() * 2);
    for (char c : rearranged.toCharArray()) {
      digits.append(Character.isDigit(c) ? String.valueOf(c) : String.valueOf(c - 'A' + 10));
    }
    return new BigInteger(digits.toString()).mod(NINETY_SEVEN).intValue() == 1;
  }

  /**
   * The IBAN with all but its last four characters hidden, e.g. {@code ****3000}; all of it when it
   * is shorter than any real IBAN (less than 12 characters), where four would say too much.
   */
  public static String mask(String iban) {
    String normalized = normalize(iban);
    if (normalized.length() < MASK_SHOWS_LAST_FOUR_FROM) {
      return "****";
    }
    return "****" + normalized.substring(normalized.length() - 4);
  }

  private static String normalize(String value) {
    return value == null ? "" : value.replace(" ", "").toUpperCase(Locale.ROOT);
  }
}
