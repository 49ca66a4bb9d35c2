package com.portals.ledger.domain.money;

/** A commission rate in basis points: 800 is 8%, 10000 is 100%. */
public record Rate(int basisPoints) implements Comparable<Rate> {

  /** The programme's floor: "minimum 8% commission". */
  public static final Rate MINIMUM = new Rate(800);

  private static final int FULL = 10_000;

  public Rate {
    if (basisPoints < 0 || basisPoints > FULL) {
      throw new IllegalArgumentException(
          "a rate is between 0 and " + FULL + " basis points, got " + basisPoints);
    }
  }

  public static Rate bps(int basisPoints) {
    return new Rate(basisPoints);
  }

  /** This rate, or {@code floor} if this one is lower. */
  public Rate atLeast(Rate floor) {
    return basisPoints >= floor.basisPoints ? this : floor;
  }

  public boolean isBelow(Rate other) {
    return basisPoints < other.basisPoints;
  }

  /** Commission on {@code amount}: {@code amount x bps / 10000}, rounded half-even. */
  public Money of(Money amount) {
    return Money.cents(Rounding.mulDivHalfEven(amount.cents(), basisPoints, FULL));
  }

  @Override
  public int compareTo(Rate other) {
    return Integer.compare(basisPoints, other.basisPoints);
  }

  @Override
  public String toString() {
    return basisPoints + "bps";
  }
}
