package com.portals.ledger.domain.money;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.RoundingMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RoundingTest {

  @ParameterizedTest
  @CsvSource({
    "9, 2, 4", // 4.5 -> 4 (even)
    "27, 2, 14", // 13.5 -> 14 (even)
    "459, 2, 230", // 229.5 -> 230
    "11, 2, 6", // 5.5 -> 6
    "7, 2, 4", // 3.5 -> 4
    "10, 3, 3", // 3.33 -> 3
    "20, 3, 7", // 6.67 -> 7
    "-9, 2, -4", // -4.5 -> -4
    "-11, 2, -6", // -5.5 -> -6
    "-7, 3, -2", // -2.33 -> -2
    "0, 5, 0",
  })
  void shouldRoundHalfToEven(long numerator, long denominator, long expected) {
    assertThat(Rounding.halfEven(numerator, denominator)).isEqualTo(expected);
  }

  @Property
  void shouldAgreeWithBigDecimalHalfEven(
      @ForAll @LongRange(min = -1_000_000_000_000L, max = 1_000_000_000_000L) long numerator,
      @ForAll @LongRange(min = 1, max = 1_000_000) long denominator) {
    long expected =
        BigDecimal.valueOf(numerator)
            .divide(BigDecimal.valueOf(denominator), 0, RoundingMode.HALF_EVEN)
            .longValueExact();

    assertThat(Rounding.halfEven(numerator, denominator)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"1, 0", "1, -3"})
  void shouldRefuseANonPositiveDenominator(long numerator, long denominator) {
    assertThatThrownBy(() -> Rounding.halfEven(numerator, denominator))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Property
  void shouldComputeAProductBeyondALongExactly(
      @ForAll @LongRange(min = 0, max = 1_000_000_000_000L) long commission,
      @ForAll @LongRange(min = 1, max = 1_000_000_000_000L) long refund,
      @ForAll @LongRange(min = 1, max = 1_000_000_000_000L) long amount) {
    long expected =
        BigDecimal.valueOf(commission)
            .multiply(BigDecimal.valueOf(refund))
            .divide(BigDecimal.valueOf(amount), 0, RoundingMode.HALF_EVEN)
            .min(BigDecimal.valueOf(Long.MAX_VALUE))
            .longValueExact();
    if (expected == Long.MAX_VALUE) {
      assertThatThrownBy(() -> Rounding.mulDivHalfEven(commission, refund, amount))
          .isInstanceOf(ArithmeticException.class);
    } else {
      assertThat(Rounding.mulDivHalfEven(commission, refund, amount)).isEqualTo(expected);
    }
  }

  @ParameterizedTest
  @CsvSource({
    // a refund of $900M on a $1B order with 100% commission: the product is beyond a long
    "100000000000, 90000000000, 100000000000, 90000000000",
    "-100000000000, 90000000001, 200000000000, -45000000000", // -45,000,000,000.5 -> even
    "3, 5, 2, 8", // 7.5 -> 8, small products keep the fast path
  })
  void shouldRoundALargeProductHalfToEven(
      long value, long multiplier, long divisor, long expected) {
    assertThat(Rounding.mulDivHalfEven(value, multiplier, divisor)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"9223372036854775807, 2, 1"})
  void shouldFailRatherThanOverflow(long value, long multiplier, long divisor) {
    assertThatThrownBy(() -> Rounding.mulDivHalfEven(value, multiplier, divisor))
        .isInstanceOf(ArithmeticException.class);
  }
}
