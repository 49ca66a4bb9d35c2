package com.portals.ledger.projections.payout;

import java.util.List;

/**
 * Amounts in cents written as ISO 20022 decimals ({@code 1234} as {@code 12.34}) with integer
 * arithmetic only: a bank file must carry exactly the amount owed, which a {@code double} cannot
 * promise.
 */
final class Cents {

  /** ISO 20022 amounts and control sums have at most 18 digits: 9999999999999999.99. */
  static final long MAX = 999_999_999_999_999_999L;

  private Cents() {}

  /** {@code cents} as a decimal with two fraction digits; {@code cents} is not negative. */
  static String format(long cents) {
    if (cents < 0) {
      throw new IllegalArgumentException("a negative amount has no place in a bank file: " + cents);
    }
    long fraction = cents % 100;
    return (cents / 100) + (fraction < 10 ? ".0" : ".") + fraction;
  }

  /** The sum of the payments' amounts, refused when it does not fit ISO 20022's 18 digits. */
  static long total(List<Payment> payments) {
    long total = 0;
    for (Payment payment : payments) {
      if (payment.amountCents() > MAX - total) {
        throw new IllegalArgumentException(
            "the payments add up to more than "
                + format(MAX)
                + ", the most an ISO 20022 control sum can hold");
      }
      total += payment.amountCents();
    }
    return total;
  }
}
