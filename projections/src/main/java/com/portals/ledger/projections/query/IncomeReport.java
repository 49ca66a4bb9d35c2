package com.portals.ledger.projections.query;

import com.portals.ledger.avro.ledger.JournalEntry;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Commission by period (day or month, UTC) and state, from the journal: what was earned (accrued),
 * completed, posted to the balance and reversed (cancellations, expiries, refunds) in each period.
 */
public final class IncomeReport {

  /** How long a period is. */
  public enum Granularity {
    DAY(DateTimeFormatter.ofPattern("uuuu-MM-dd", Locale.ROOT)),
    MONTH(DateTimeFormatter.ofPattern("uuuu-MM", Locale.ROOT));

    private final DateTimeFormatter format;

    Granularity(DateTimeFormatter format) {
      this.format = format.withZone(ZoneOffset.UTC);
    }

    String periodOf(Instant instant) {
      return format.format(instant);
    }

    public static Granularity parse(String value) {
      return switch (value == null || value.isBlank()
          ? "day"
          : value.strip().toLowerCase(Locale.ROOT)) {
        case "day" -> DAY;
        case "month" -> MONTH;
        default ->
            throw new BadRequestException("'granularity'='" + value + "' must be day or month");
      };
    }
  }

  /** One period's commission by state, in cents. */
  public record Row(
      String period, long accruedCents, long completedCents, long postedCents, long reversedCents) {
    Row plus(Row o) {
      return new Row(
          period,
          accruedCents + o.accruedCents,
          completedCents + o.completedCents,
          postedCents + o.postedCents,
          reversedCents + o.reversedCents);
    }
  }

  private final Granularity granularity;
  private final Map<String, Row> rows = new TreeMap<>();

  public IncomeReport(Granularity granularity) {
    this.granularity = granularity;
  }

  /** Counts one journal entry in its period. */
  public void add(JournalEntry entry) {
    long amount = entry.getLegs().get(0).getAmountCents();
    String period = granularity.periodOf(entry.getEffectiveAt());
    Row row =
        switch (entry.getKind()) {
          case COMMISSION_ACCRUED -> new Row(period, amount, 0, 0, 0);
          case COMMISSION_COMPLETED -> new Row(period, 0, amount, 0, 0);
          case BALANCE_POSTED -> new Row(period, 0, 0, amount, 0);
          case COMMISSION_CANCELLED, COMMISSION_REFUNDED -> new Row(period, 0, 0, 0, amount);
          default -> null;
        };
    if (row != null) {
      rows.merge(period, row, Row::plus);
    }
  }

  /** The periods with any commission, in order. */
  public List<Row> rows() {
    return new ArrayList<>(rows.values());
  }
}
