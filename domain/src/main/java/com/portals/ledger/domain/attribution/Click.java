package com.portals.ledger.domain.attribution;

import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;

/**
 * A click on an affiliate link, as far as attribution cares: who, which session, when, and the
 * tracking strings that follow the order into every report.
 */
public record Click(
    String clickId, String affiliateId, String sessionId, Instant occurredAt, Tracking tracking) {

  /**
   * Later clicks sort last; clicks of the same instant by click id in code point order (the order
   * of their UTF-8 bytes), so the order is total and the same in a byte-ordered store.
   */
  public static final Comparator<Click> CHRONOLOGICAL =
      Comparator.comparing(Click::occurredAt)
          .thenComparing(Click::clickId, Click::compareCodePoints);

  /** Compares strings by code point, which is the order of their UTF-8 encodings. */
  public static int compareCodePoints(String a, String b) {
    return java.util.Arrays.compare(a.codePoints().toArray(), b.codePoints().toArray());
  }

  public Click {
    Objects.requireNonNull(clickId, "clickId");
    Objects.requireNonNull(affiliateId, "affiliateId");
    Objects.requireNonNull(sessionId, "sessionId");
    Objects.requireNonNull(occurredAt, "occurredAt");
    Objects.requireNonNull(tracking, "tracking");
  }
}
