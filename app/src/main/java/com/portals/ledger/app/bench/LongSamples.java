package com.portals.ledger.app.bench;

import java.util.Arrays;

/** A growing list of longs (latencies in nanoseconds), thread-safe. */
final class LongSamples {

  private long[] values = new long[1024];
  private int count;

  synchronized void add(long value) {
    if (count == values.length) {
      values = Arrays.copyOf(values, 2 * values.length);
    }
    values[count++] = value;
  }

  synchronized int count() {
    return count;
  }

  synchronized long[] toArray() {
    return Arrays.copyOf(values, count);
  }

  LatencySummary summary() {
    return LatencySummary.of(toArray());
  }
}
