package com.portals.ledger.domain.time;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Settlement cycles of fixed length from a fixed epoch (default: 14 days from Monday 1970-01-05,
 * UTC). Cycle {@code c} is {@code [epoch + c*length, epoch + (c+1)*length)}; an instant on a
 * boundary belongs to the cycle it starts.
 *
 * <p>Commission completed in cycle {@code c} is posted to the balance when cycle {@code c+1}
 * closes, so it reaches the balance between one and two cycles (2–4 weeks) after completion.
 */
public record SettlementCalendar(Instant epoch, Duration cycle) {

  public static final SettlementCalendar DEFAULT =
      new SettlementCalendar(Instant.parse("1970-01-05T00:00:00Z"), Duration.ofDays(14));

  public SettlementCalendar {
    Objects.requireNonNull(epoch, "epoch");
    Objects.requireNonNull(cycle, "cycle");
    if (cycle.toMillis() <= 0) {
      throw new IllegalArgumentException("a settlement cycle must be positive, got " + cycle);
    }
  }

  /** The number of the cycle {@code instant} falls in (negative before the epoch). */
  public long cycleOf(Instant instant) {
    return Math.floorDiv(instant.toEpochMilli() - epoch.toEpochMilli(), cycle.toMillis());
  }

  /** When cycle {@code number} starts. */
  public Instant startOf(long number) {
    return Instant.ofEpochMilli(
        Math.addExact(epoch.toEpochMilli(), Math.multiplyExact(number, cycle.toMillis())));
  }

  /** When cycle {@code number} closes, which is when the next one starts. */
  public Instant closeOf(long number) {
    return startOf(number + 1);
  }

  /** When commission completed at {@code completedAt} is posted: the close of the next cycle. */
  public Instant postingInstantFor(Instant completedAt) {
    return closeOf(cycleOf(completedAt) + 1);
  }

  /** The posting instant of commission completed in cycle {@code number}. */
  public Instant postingInstantOfCycle(long number) {
    return closeOf(number + 1);
  }

  /** The first cycle boundary strictly after {@code instant}. */
  public Instant nextCloseAfter(Instant instant) {
    return closeOf(cycleOf(instant));
  }
}
