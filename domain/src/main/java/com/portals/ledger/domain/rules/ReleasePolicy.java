package com.portals.ledger.domain.rules;

import java.util.Locale;

/** What happens to an order neither completed nor cancelled 60 days after it was placed. */
public enum ReleasePolicy {
  /** It completes at placement + 60 days (the buyer's payment is released). */
  AUTO_COMPLETE,
  /** It expires at placement + 60 days and its commission is reversed. */
  EXPIRE;

  /** {@code auto-complete} or {@code expire}. */
  public static ReleasePolicy fromConfig(String value) {
    return switch (value.strip().toLowerCase(Locale.ROOT)) {
      case "auto-complete" -> AUTO_COMPLETE;
      case "expire" -> EXPIRE;
      default ->
          throw new IllegalArgumentException(
              "ledger.release.policy=" + value + ": expected auto-complete or expire");
    };
  }
}
