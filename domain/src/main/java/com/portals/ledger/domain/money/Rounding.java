package com.portals.ledger.domain.money;

/**
 * The ledger's one rounding rule: round half to even ("banker's rounding") of an exact quotient of
 * integers. 4.5 rounds to 4, 13.5 to 14, 229.5 to 230, -2.5 to -2.
 */
public final class Rounding {

  private Rounding() {}

  /** {@code numerator / denominator} rounded half-even; {@code denominator} must be positive. */
  public static long halfEven(long numerator, long denominator) {
    if (denominator <= 0) {
      throw new IllegalArgumentException("denominator must be positive, got " + denominator);
    }
    long quotient = Math.floorDiv(numerator, denominator);
    long remainder = Math.floorMod(numerator, denominator);
    long twice = Math.multiplyExact(remainder, 2);
    if (twice > denominator || (twice == denominator && (quotient & 1) == 1)) {
      return quotient + 1;
    }
    return quotient;
  }

  /** {@code value * multiplier / divisor}, exact until the single half-even rounding. */
  public static long mulDivHalfEven(long value, long multiplier, long divisor) {
    return halfEven(Math.multiplyExact(value, multiplier), divisor);
  }
}
