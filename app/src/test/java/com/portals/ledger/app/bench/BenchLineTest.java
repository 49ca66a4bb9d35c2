package com.portals.ledger.app.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Locale;
import org.junit.jupiter.api.Test;

class BenchLineTest {

  /**
   * The line: the five figures of docs/contract.md first, plain decimals, more pairs after them.
   */
  static final String PATTERN =
      "events_per_s=\\d+\\.\\d raw_events_per_s=\\d+\\.\\d ratio=\\d+\\.\\d{3}"
          + " p50_ms=\\d+\\.\\d p99_ms=\\d+\\.\\d( [a-z0-9_]+=\\d+\\.\\d+)+";

  private static BenchLine line(double eventsPerS, double rawEventsPerS) {
    return new BenchLine(
        eventsPerS,
        rawEventsPerS,
        BenchLine.ratio(eventsPerS, rawEventsPerS),
        120.44,
        812.96,
        1500.04,
        2100.5,
        0.5,
        6300.2,
        1725.54,
        38.24,
        491.4,
        512.34,
        1480.5,
        880);
  }

  @Test
  void shouldWriteTheContractsFiguresFirstThenTheOthers() {
    assertThat(line(1582.84, 33230.91).format())
        .isEqualTo(
            "events_per_s=1582.8 raw_events_per_s=33230.9 ratio=0.048 p50_ms=120.4 p99_ms=813.0"
                + " p999_ms=1500.0 max_ms=2100.5 load=0.50 publish_events_per_s=6300.2"
                + " replay_events_per_s=1725.5 idle_cpu_pct=38.2 idle_records_per_s=491.4"
                + " heap_mb=512.3 rss_mb=1480.5 broker_rss_mb=880.0")
        .matches(PATTERN);
  }

  @Test
  void shouldReadBackWhatItWrites() {
    BenchLine written = line(1582.8, 33230.9);

    BenchLine read = BenchLine.parse(written.format());

    assertThat(read.eventsPerS()).isEqualTo(1582.8);
    assertThat(read.ratio()).isEqualTo(0.048);
    assertThat(read.p999Ms()).isEqualTo(1500.0);
    assertThat(read.replayEventsPerS()).isEqualTo(1725.5);
    assertThat(read.idleCpuPct()).isEqualTo(38.2);
    assertThat(read.heapMb()).isEqualTo(512.3);
    assertThat(read.brokerRssMb()).isEqualTo(880.0);
    assertThat(read.format()).isEqualTo(written.format());
  }

  @Test
  void shouldIgnorePairsItDoesNotKnow() {
    String line = line(1, 2).format() + " gc_pause_ms=12.5";

    assertThat(BenchLine.parse(line).format()).isEqualTo(line(1, 2).format());
  }

  @Test
  void shouldRefuseALineThatDoesNotOpenWithTheContractsFigures() {
    String swapped =
        line(1, 2)
            .format()
            .replace(
                "events_per_s=1.0 raw_events_per_s=2.0", "raw_events_per_s=2.0 events_per_s=1.0");

    assertThatThrownBy(() -> BenchLine.parse(swapped))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must open with");
    assertThatThrownBy(() -> BenchLine.parse(line(1, 2).format().replace(" heap_mb=512.3", "")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("heap_mb missing");
    assertThatThrownBy(() -> BenchLine.parse(line(1, 2).format().replace("load=0.50", "load=x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a number");
    assertThatThrownBy(() -> BenchLine.parse(line(1, 2).format() + " load=0.5"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("twice");
  }

  @Test
  void shouldComputeTheRatioFromTheUnroundedRates() {
    assertThat(line(1.04, 2.0).format()).contains("ratio=0.520");
  }

  @Test
  void shouldWriteADecimalPointWhateverTheLocale() {
    Locale before = Locale.getDefault();
    try {
      Locale.setDefault(Locale.GERMANY);
      assertThat(line(1234.5, 5678.9).format()).matches(PATTERN);
    } finally {
      Locale.setDefault(before);
    }
  }

  @Test
  void shouldNotDivideByZero() {
    assertThat(line(1, 0).format()).contains("ratio=0.000");
  }
}
