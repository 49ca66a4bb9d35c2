package com.portals.ledger.app.bench;

import java.util.Locale;

/**
 * The last line of {@code ledger bench} (CONTRACT.md): {@code events_per_s=X raw_events_per_s=Y
 * ratio=Z p50_ms=A p99_ms=B}.
 *
 * <p>Numbers are plain decimals with a dot whatever the locale: the two rates with one decimal
 * (events per second), the ratio with three (it is computed from the unrounded rates, so it may
 * differ in its last digit from the ratio of the printed ones), latencies with one decimal
 * (milliseconds).
 */
public final class BenchLine {

  private BenchLine() {}

  /**
   * The line for these figures.
   *
   * @param eventsPerS the ledger's end-to-end rate, events per second
   * @param rawEventsPerS the raw Kafka produce+consume rate of the same records, events per second
   * @param p50Ms median publish-to-balance latency, milliseconds
   * @param p99Ms 99th percentile of the same, milliseconds
   */
  public static String format(double eventsPerS, double rawEventsPerS, double p50Ms, double p99Ms) {
    double ratio = rawEventsPerS > 0 ? eventsPerS / rawEventsPerS : 0;
    return String.format(
        Locale.ROOT,
        "events_per_s=%.1f raw_events_per_s=%.1f ratio=%.3f p50_ms=%.1f p99_ms=%.1f",
        eventsPerS,
        rawEventsPerS,
        ratio,
        p50Ms,
        p99Ms);
  }
}
