package com.portals.ledger.domain.money;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RateTest {

  @ParameterizedTest
  @CsvSource({"50, 4", "150, 14", "10000, 900", "10200, 918", "1, 0", "6, 1"})
  void shouldEarnNineHundredBasisPointsRoundedHalfEvenPerLine(long amount, long commission) {
    assertThat(Rate.bps(900).of(Money.cents(amount))).isEqualTo(Money.cents(commission));
  }

  @Test
  void shouldNeverGoBelowTheMinimum() {
    assertThat(Rate.bps(500).atLeast(Rate.MINIMUM)).isEqualTo(Rate.bps(800));
    assertThat(Rate.bps(1200).atLeast(Rate.MINIMUM)).isEqualTo(Rate.bps(1200));
  }

  @Test
  void shouldRefuseRatesOutsideZeroToOneHundredPercent() {
    assertThatThrownBy(() -> Rate.bps(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Rate.bps(10_001)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shouldShowDollarsWithTwoDecimals() {
    assertThat(Money.cents(1234).toDollars()).isEqualTo("12.34");
    assertThat(Money.cents(5).toDollars()).isEqualTo("0.05");
    assertThat(Money.cents(-250).toDollars()).isEqualTo("-2.50");
    assertThat(Money.cents(0).toDollars()).isEqualTo("0.00");
  }
}
