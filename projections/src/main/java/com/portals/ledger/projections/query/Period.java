package com.portals.ledger.projections.query;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * A {@code from}/{@code to} range of a query, both optional: {@code from} inclusive, {@code to}
 * exclusive. A date stands for its start (UTC) in {@code from}, and for its whole day in {@code to}
 * ({@code to=2026-01-31} includes the 31st).
 *
 * <p>An instant a query names must lie between {@link #EARLIEST} and {@link #LATEST}: ISO-8601
 * parses years up to ±999,999,999, far beyond what epoch milliseconds (the stores' keys) can hold,
 * and the ledger has nothing before 1970.
 */
public record Period(Instant from, Instant to) {

  public static final Period ALL = new Period(null, null);

  /** The earliest instant a query may name. */
  public static final Instant EARLIEST = Instant.EPOCH;

  /** The latest instant a query may name (the last millisecond of year 9999). */
  public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");

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

  /**
   * The instant query parameter {@code name} gives as {@code text} (ISO-8601 with an offset), which
   * must lie between {@link #EARLIEST} and {@link #LATEST}.
   */
  public static Instant instant(String name, String text) {
    Instant instant;
    try {
      instant = OffsetDateTime.parse(text.strip()).toInstant();
    } catch (DateTimeParseException e) {
      throw new BadRequestException(
          "'" + name + "'='" + text + "' is not an instant (e.g. 2026-02-16T00:00:00Z)");
    }
    return inRange(name, text, instant);
  }

  private static Instant inRange(String name, String text, Instant instant) {
    if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
      throw new BadRequestException(
          "'"
              + name
              + "'='"
              + text
              + "' is out of range: instants go from 1970-01-01T00:00:00Z to 9999-12-31T23:59:59Z");
    }
    return instant;
  }

  private static Instant instant(String name, String text, boolean endOfDay) {
    try {
      return inRange(name, text, OffsetDateTime.parse(text.strip()).toInstant());
    } catch (DateTimeParseException notInstant) {
      try {
        LocalDate date = LocalDate.parse(text.strip());
        Instant start = inRange(name, text, date.atStartOfDay(ZoneOffset.UTC).toInstant());
        return endOfDay ? start.plus(Duration.ofDays(1)) : start;
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
