package com.portals.ledger.app.bench;

import java.util.Arrays;
import java.util.Locale;

/**
 * Percentiles of a set of latencies, by the nearest-rank method: the p-th percentile of n sorted
 * samples is the sample of rank ⌈p/100 × n⌉ (from 1), so it is always one of the measured values
 * and p50 of an even count is the lower middle one.
 *
 * <p>In: latencies in nanoseconds. Out: count and percentiles in milliseconds.
 *
 * @param count number of samples
 * @param p50Ms median
 * @param p90Ms 90th percentile
 * @param p99Ms 99th percentile
 * @param p999Ms 99.9th percentile
 * @param maxMs largest sample
 */
public record LatencySummary(
    int count, double p50Ms, double p90Ms, double p99Ms, double p999Ms, double maxMs) {

  private static final double NANOS_PER_MILLI = 1_000_000.0;

  /** The summary of no samples: every figure 0. */
  public static final LatencySummary NONE = new LatencySummary(0, 0, 0, 0, 0, 0);

  /** The summary of {@code nanos}; every figure is 0 when there are no samples. */
  public static LatencySummary of(long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    if (sorted.length == 0) {
      return NONE;
    }
    return new LatencySummary(
        sorted.length,
        percentile(sorted, 50) / NANOS_PER_MILLI,
        percentile(sorted, 90) / NANOS_PER_MILLI,
        percentile(sorted, 99) / NANOS_PER_MILLI,
        percentile(sorted, 99.9) / NANOS_PER_MILLI,
        sorted[sorted.length - 1] / NANOS_PER_MILLI);
  }

  /**
   * The nearest-rank {@code p}-th percentile of {@code sorted} (ascending, not empty).
   *
   * @throws IllegalArgumentException if {@code p} is not in (0, 100] or {@code sorted} is empty
   */
  static long percentile(long[] sorted, double p) {
    if (!(p > 0 && p <= 100)) {
      throw new IllegalArgumentException("a percentile lies in (0, 100], got " + p);
    }
    if (sorted.length == 0) {
      throw new IllegalArgumentException("no samples");
    }
    // Less a hair, so that 99.9% of 1,000 samples is rank 999 whatever the rounding of p × n.
    int rank = (int) Math.ceil(p * sorted.length / 100.0 - 1e-9);
    return sorted[Math.max(rank, 1) - 1];
  }

  /** {@code p50 A ms, p99 B ms, p99.9 C ms, max D ms (N samples)}. */
  String describe() {
    return String.format(
        Locale.ROOT,
        "p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, p99.9 %.1f ms, max %.1f ms (%d samples)",
        p50Ms,
        p90Ms,
        p99Ms,
        p999Ms,
        maxMs,
        count);
  }
}
