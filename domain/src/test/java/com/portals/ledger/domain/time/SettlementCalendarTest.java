package com.portals.ledger.domain.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SettlementCalendarTest {

  private final SettlementCalendar calendar = SettlementCalendar.DEFAULT;

  @ParameterizedTest
  @CsvSource({
    "2026-01-20T08:00:00Z, 2026-02-16T00:00:00Z",
    "2026-01-06T00:00:00Z, 2026-02-02T00:00:00Z",
    "2026-03-12T00:00:30Z, 2026-03-30T00:00:00Z",
    // a completion on a cycle boundary belongs to the cycle it starts
    "2026-01-19T00:00:00Z, 2026-02-16T00:00:00Z",
    "2026-01-18T23:59:59.999Z, 2026-02-02T00:00:00Z",
  })
  void shouldPostCommissionAtTheCloseOfTheCycleAfterCompletion(String completed, String posted) {
    assertThat(calendar.postingInstantFor(Instant.parse(completed)))
        .isEqualTo(Instant.parse(posted));
  }

  @Test
  void shouldReachTheBalanceTwoToFourWeeksAfterCompletion() {
    for (long hour = 0; hour < 24 * 60; hour++) {
      Instant completed = Instant.parse("2026-01-01T00:00:00Z").plus(Duration.ofHours(hour));
      Duration wait = Duration.between(completed, calendar.postingInstantFor(completed));

      assertThat(wait).isGreaterThan(Duration.ofDays(14)).isLessThanOrEqualTo(Duration.ofDays(28));
    }
  }

  @Test
  void shouldCountCyclesFromTheEpochInBothDirections() {
    assertThat(calendar.cycleOf(Instant.parse("1970-01-05T00:00:00Z"))).isZero();
    assertThat(calendar.cycleOf(Instant.parse("1970-01-04T23:59:59Z"))).isEqualTo(-1);
    assertThat(calendar.startOf(calendar.cycleOf(Instant.parse("2026-02-20T00:00:00Z"))))
        .isEqualTo(Instant.parse("2026-02-16T00:00:00Z"));
  }

  @Test
  void shouldNameTheNextCloseStrictlyAfterAnInstant() {
    assertThat(calendar.nextCloseAfter(Instant.parse("2026-02-16T00:00:00Z")))
        .isEqualTo(Instant.parse("2026-03-02T00:00:00Z"));
    assertThat(calendar.nextCloseAfter(Instant.parse("2026-02-15T23:00:00Z")))
        .isEqualTo(Instant.parse("2026-02-16T00:00:00Z"));
  }
}
