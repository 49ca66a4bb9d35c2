package com.portals.ledger.projections.query;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * A {@code from}/{@code to} range of a query, both optional: {@code from} inclusive, {@code to}
 * exclusive. A date stands for its start (UTC) in {@code from}, and for its whole day in {@code to}
 * ({@code to=2026-01-31} includes the 31st).
 */
public record Period(Instant from, Instant to) {

  public static final Period ALL = new Period(null, null);

  public static Period parse(String from, String to) {
    Instant start = from == null || from.isBlank() ? null : instant("from", from, false);
    Instant end = to == null || to.isBlank() ? null : instant("to", to, true);
    if (start != null && end != null && !end.isAfter(start)) {
      throw new BadRequestException("'to' (" + to + ") must be after 'from' (" + from + ")");
    }
    return new Period(start, end);
  }

  /** Whether {@code instant} lies in this period; null never does unless the period is open. */
  public boolean contains(Instant instant) {
    if (instant == null) {
      return from == null && to == null;
    }
    return (from == null || !instant.isBefore(from)) && (to == null || instant.isBefore(to));
  }

  private static Instant instant(String name, String text, boolean endOfDay) {
    try {
      return OffsetDateTime.parse(text.strip()).toInstant();
    } catch (DateTimeParseException notInstant) {
      try {
        LocalDate date = LocalDate.parse(text.strip());
        return (endOfDay ? date.plusDays(1) : date).atStartOfDay(ZoneOffset.UTC).toInstant();
      } catch (DateTimeParseException e) {
        throw new BadRequestException(
            "'"
                + name
                + "'='"
                + text
                + "' is not a date (2026-01-31) or an instant (2026-01-31T10:00:00Z)");
      }
    }
  }
}
