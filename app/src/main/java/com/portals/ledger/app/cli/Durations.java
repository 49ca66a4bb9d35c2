package com.portals.ledger.app.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads durations as people write them: {@code 500ms}, {@code 1s}, {@code 24h}, {@code 14d}, or
 * ISO-8601 {@code PT1S}.
 */
public final class Durations implements ITypeConverter<Duration> {

  private static final Pattern SIMPLE = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

  @Override
  public Duration convert(String value) {
    return parse(value);
  }

  /** {@code duration} as {@link #parse} reads it, in the largest unit that divides it. */
  public static String format(Duration duration) {
    long millis = duration.toMillis();
    if (millis <= 0 || !duration.equals(Duration.ofMillis(millis))) {
      return duration.toString();
    }
    long[] sizes = {86_400_000L, 3_600_000L, 60_000L, 1_000L};
    String[] units = {"d", "h", "m", "s"};
    for (int i = 0; i < sizes.length; i++) {
      if (millis % sizes[i] == 0) {
        return millis / sizes[i] + units[i];
      }
    }
    return millis + "ms";
  }

  public static Duration parse(String value) {
    String text = value.strip().toLowerCase(Locale.ROOT);
    Matcher matcher = SIMPLE.matcher(text);
    if (matcher.matches()) {
      long amount = Long.parseLong(matcher.group(1));
      return switch (matcher.group(2)) {
        case "ms" -> Duration.ofMillis(amount);
        case "s" -> Duration.ofSeconds(amount);
        case "m" -> Duration.ofMinutes(amount);
        case "h" -> Duration.ofHours(amount);
        default -> Duration.ofDays(amount);
      };
    }
    try {
      return Duration.parse(value.strip());
    } catch (DateTimeParseException e) {
      throw new TypeConversionException(
          "'" + value + "' is not a duration (e.g. 500ms, 1s, 24h, 14d or PT1S)");
    }
  }
}
