package com.portals.ledger.domain.money;

import java.math.BigInteger;

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
    // remainder against the rest of the denominator: twice the remainder could overflow
    long rest = denominator - remainder;
    if (remainder > rest || (remainder == rest && (quotient & 1) == 1)) {
      return quotient + 1;
    }
    return quotient;
  }

  /**
   * {@code value * multiplier / divisor}, exact until the single half-even rounding, whatever the
   * size of the product (a refund's share of a large order's commission is such a product); only a
   * result beyond a long throws {@link ArithmeticException}.
   */
  public static long mulDivHalfEven(long value, long multiplier, long divisor) {
    long high = Math.multiplyHigh(value, multiplier);
    long low = value * multiplier;
    if ((high == 0 && low >= 0) || (high == -1 && low < 0)) {
      return halfEven(low, divisor);
    }
    if (divisor <= 0) {
      throw new IllegalArgumentException("denominator must be positive, got " + divisor);
    }
    BigInteger[] qr =
        BigInteger.valueOf(value)
            .multiply(BigInteger.valueOf(multiplier))
            .divideAndRemainder(BigInteger.valueOf(divisor));
    BigInteger quotient = qr[0];
    BigInteger remainder = qr[1];
    if (remainder.signum() < 0) {
      quotient = quotient.subtract(BigInteger.ONE);
      remainder = remainder.add(BigInteger.valueOf(divisor));
    }
    int half = remainder.shiftLeft(1).compareTo(BigInteger.valueOf(divisor));
    if (half > 0 || (half == 0 && quotient.testBit(0))) {
      quotient = quotient.add(BigInteger.ONE);
    }
    return quotient.longValueExact();
  }
}
