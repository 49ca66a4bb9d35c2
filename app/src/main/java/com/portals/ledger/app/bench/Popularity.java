package com.portals.ledger.app.bench;

import java.util.Arrays;
import java.util.Random;

/**
 * Zipf popularity over {@code n} affiliates: the affiliate of rank r (from 1) is drawn with a
 * weight of 1/r^s. With s = 1 and 6,000 affiliates the first gets about 11% of the traffic, the
 * first hundred about half, and most of the others a little each, as in an affiliate programme
 * where a few large publishers bring most visitors.
 */
final class Popularity {

  /** The exponent s of the benchmark's traffic. */
  static final double EXPONENT = 1.0;

  private final double[] cumulative;

  Popularity(int n, double exponent) {
    if (n < 1) {
      throw new IllegalArgumentException("at least one affiliate, got " + n);
    }
    cumulative = new double[n];
    double sum = 0;
    for (int rank = 1; rank <= n; rank++) {
      sum += 1 / Math.pow(rank, exponent);
      cumulative[rank - 1] = sum;
    }
  }

  /** An affiliate, from 0 (the most popular) to n − 1. */
  int draw(Random random) {
    double target = random.nextDouble() * cumulative[cumulative.length - 1];
    int index = Arrays.binarySearch(cumulative, target);
    return Math.min(index < 0 ? -index - 1 : index, cumulative.length - 1);
  }

  /** The share of the traffic the first {@code top} affiliates get. */
  double share(int top) {
    return cumulative[Math.min(top, cumulative.length) - 1] / cumulative[cumulative.length - 1];
  }
}
