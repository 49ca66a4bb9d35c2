package com.portals.ledger.app.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class LatencySummaryTest {

  private static final long MS = 1_000_000;

  @Test
  void shouldTakeTheNearestRank() {
    long[] sorted = LongStream.rangeClosed(1, 100).toArray();

    assertThat(LatencySummary.percentile(sorted, 50)).isEqualTo(50);
    assertThat(LatencySummary.percentile(sorted, 90)).isEqualTo(90);
    assertThat(LatencySummary.percentile(sorted, 99)).isEqualTo(99);
    assertThat(LatencySummary.percentile(sorted, 99.9)).isEqualTo(100);
    assertThat(LatencySummary.percentile(sorted, 100)).isEqualTo(100);
    assertThat(LatencySummary.percentile(sorted, 0.5)).isEqualTo(1);
  }

  @Test
  void shouldTakeThe999thOfAThousandSamplesForP999() {
    long[] sorted = LongStream.rangeClosed(1, 1000).toArray();

    assertThat(LatencySummary.percentile(sorted, 99.9)).isEqualTo(999);
    assertThat(LatencySummary.percentile(LongStream.rangeClosed(1, 10_000).toArray(), 99.9))
        .isEqualTo(9990);
  }

  @Test
  void shouldRoundTheRankUpSoThatThePercentileIsAMeasuredValue() {
    long[] sorted = {10, 20, 30, 40};

    assertThat(LatencySummary.percentile(sorted, 50)).isEqualTo(20);
    assertThat(LatencySummary.percentile(sorted, 51)).isEqualTo(30);
    assertThat(LatencySummary.percentile(sorted, 99)).isEqualTo(40);
    assertThat(LatencySummary.percentile(new long[] {7}, 50)).isEqualTo(7);
  }

  @Test
  void shouldSummariseUnsortedNanosInMilliseconds() {
    long[] nanos = new long[2000];
    for (int i = 0; i < nanos.length; i++) {
      nanos[i] = (2000 - i) * MS;
    }

    LatencySummary summary = LatencySummary.of(nanos);

    assertThat(summary).isEqualTo(new LatencySummary(2000, 1000.0, 1800.0, 1980.0, 1998.0, 2000.0));
    assertThat(nanos[0]).as("the input is left as it was").isEqualTo(2000 * MS);
  }

  @Test
  void shouldGiveZerosForNoSamples() {
    assertThat(LatencySummary.of(new long[0])).isEqualTo(LatencySummary.NONE);
    assertThat(LatencySummary.NONE.count()).isZero();
  }

  @Test
  void shouldRefuseAPercentileOutsideItsRange() {
    assertThatThrownBy(() -> LatencySummary.percentile(new long[] {1}, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LatencySummary.percentile(new long[] {1}, 100.1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LatencySummary.percentile(new long[0], 50))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
