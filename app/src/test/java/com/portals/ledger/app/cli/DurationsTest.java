package com.portals.ledger.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

  @Test
  void shouldFormatDurationsInTheLargestUnitThatDividesThem() {
    assertThat(Durations.format(Duration.ofMillis(100))).isEqualTo("100ms");
    assertThat(Durations.format(Duration.ofMillis(1_500))).isEqualTo("1500ms");
    assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("90s");
    assertThat(Durations.format(Duration.ofMinutes(10))).isEqualTo("10m");
    assertThat(Durations.format(Duration.ofHours(24))).isEqualTo("1d");
  }

  @Test
  void shouldReadBackWhatItFormats() {
    for (Duration duration :
        new Duration[] {Duration.ofMillis(250), Duration.ofMinutes(90), Duration.ofDays(14)}) {
      assertThat(Durations.parse(Durations.format(duration))).isEqualTo(duration);
    }
  }

  @Test
  void shouldFallBackToIsoForWhatTheShortFormsCannotSay() {
    assertThat(Durations.format(Duration.ZERO)).isEqualTo("PT0S");
    assertThat(Durations.format(Duration.ofNanos(1_500))).isEqualTo("PT0.0000015S");
  }
}
