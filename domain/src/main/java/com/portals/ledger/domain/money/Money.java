package com.portals.ledger.domain.money;

import java.math.BigDecimal;

/**
 * An amount of US dollars in integer cents. Never a floating-point number: every sum and difference
 * is exact and overflow is an error, not a wrap-around.
 */
public record Money(long cents) implements Comparable<Money> {

  public static final Money ZERO = new Money(0);

  public static Money cents(long cents) {
    return new Money(cents);
  }

  public Money plus(Money other) {
    return new Money(Math.addExact(cents, other.cents));
  }

  public Money minus(Money other) {
    return new Money(Math.subtractExact(cents, other.cents));
  }

  public Money negate() {
    return new Money(Math.negateExact(cents));
  }

  public boolean isPositive() {
    return cents > 0;
  }

  public boolean isNegative() {
    return cents < 0;
  }

  public boolean isZero() {
    return cents == 0;
  }

  public boolean isGreaterThan(Money other) {
    return cents > other.cents;
  }

  public static Money min(Money a, Money b) {
    return a.cents <= b.cents ? a : b;
  }

  public static Money max(Money a, Money b) {
    return a.cents >= b.cents ? a : b;
  }

  /** Dollars with two decimals, e.g. {@code 12.34} or {@code -0.05}, as the CSV reports show. */
  public String toDollars() {
    return BigDecimal.valueOf(cents, 2).toPlainString();
  }

  @Override
  public int compareTo(Money other) {
    return Long.compare(cents, other.cents);
  }

  @Override
  public String toString() {
    return cents + "c";
  }
}
