package com.portals.ledger.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import org.junit.jupiter.api.Test;

class BenchLineTest {

  /** The line of CONTRACT.md, with plain decimals. */
  static final String PATTERN =
      "events_per_s=\\d+\\.\\d raw_events_per_s=\\d+\\.\\d ratio=\\d+\\.\\d{3}"
          + " p50_ms=\\d+\\.\\d p99_ms=\\d+\\.\\d";

  @Test
  void shouldWriteTheContractLine() {
    assertThat(BenchLine.format(1582.84, 33230.91, 1022.94, 2408.96))
        .isEqualTo(
            "events_per_s=1582.8 raw_events_per_s=33230.9 ratio=0.048 p50_ms=1022.9"
                + " p99_ms=2409.0")
        .matches(PATTERN);
  }

  @Test
  void shouldComputeTheRatioFromTheUnroundedRates() {
    assertThat(BenchLine.format(1.04, 2.0, 1, 1)).contains("ratio=0.520");
  }

  @Test
  void shouldWriteADecimalPointWhateverTheLocale() {
    Locale before = Locale.getDefault();
    try {
      Locale.setDefault(Locale.GERMANY);
      assertThat(BenchLine.format(1234.5, 5678.9, 10.25, 20.75)).matches(PATTERN);
    } finally {
      Locale.setDefault(before);
    }
  }

  @Test
  void shouldNotDivideByZero() {
    assertThat(BenchLine.format(1, 0, 1, 1)).contains("ratio=0.000");
  }
}
