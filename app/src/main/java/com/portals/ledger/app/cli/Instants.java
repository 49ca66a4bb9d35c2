package com.portals.ledger.app.cli;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads instants: ISO-8601 UTC ({@code 2026-03-13T00:00:00Z}), with an offset ({@code
 * 2026-03-13T01:00:00+01:00}), or a date meaning its start in UTC ({@code 2026-03-13}).
 */
public final class Instants implements ITypeConverter<Instant> {

  @Override
  public Instant convert(String value) {
    return parse(value);
  }

  public static Instant parse(String value) {
    String text = value.strip();
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException notDateTime) {
      try {
        return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
      } catch (DateTimeParseException e) {
        throw new TypeConversionException(
            "'" + value + "' is not an instant (e.g. 2026-03-13T00:00:00Z or 2026-03-13)");
      }
    }
  }
}
