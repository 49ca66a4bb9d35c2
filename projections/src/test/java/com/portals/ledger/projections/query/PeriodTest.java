package com.portals.ledger.projections.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class PeriodTest {

  @Test
  void shouldReadDatesAsWholeDaysAndInstantsAsThey() {
    Period days = Period.parse("2026-01-10", "2026-01-11");
    assertThat(days.from()).isEqualTo(Instant.parse("2026-01-10T00:00:00Z"));
    assertThat(days.to()).isEqualTo(Instant.parse("2026-01-12T00:00:00Z"));

    Period instants = Period.parse("2026-01-10T10:00:00Z", "2026-01-10T12:00:00+01:00");
    assertThat(instants.from()).isEqualTo(Instant.parse("2026-01-10T10:00:00Z"));
    assertThat(instants.to()).isEqualTo(Instant.parse("2026-01-10T11:00:00Z"));
  }

  @Test
  void shouldIncludeFromAndExcludeTo() {
    Period period = Period.parse("2026-01-10T00:00:00Z", "2026-01-11T00:00:00Z");

    assertThat(period.contains(Instant.parse("2026-01-10T00:00:00Z"))).isTrue();
    assertThat(period.contains(Instant.parse("2026-01-10T23:59:59.999Z"))).isTrue();
    assertThat(period.contains(Instant.parse("2026-01-11T00:00:00Z"))).isFalse();
    assertThat(period.contains(null)).isFalse();
    assertThat(Period.ALL.contains(null)).isTrue();
  }

  @Test
  void shouldRefuseWhatIsNotADateOrABackwardsRange() {
    assertThatThrownBy(() -> Period.parse("yesterday", null))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("'from'='yesterday' is not a date");
    assertThatThrownBy(() -> Period.parse("2026-02-01", "2026-01-01"))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("must be after");
  }
}
