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

  /** Later clicks sort last; clicks at the same instant by click id, so the order is total. */
  public static final Comparator<Click> CHRONOLOGICAL =
      Comparator.comparing(Click::occurredAt).thenComparing(Click::clickId);

  public Click {
    Objects.requireNonNull(clickId, "clickId");
    Objects.requireNonNull(affiliateId, "affiliateId");
    Objects.requireNonNull(sessionId, "sessionId");
    Objects.requireNonNull(occurredAt, "occurredAt");
    Objects.requireNonNull(tracking, "tracking");
  }
}
