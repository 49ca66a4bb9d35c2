package com.portals.ledger.app.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The last line of {@code ledger bench}: the five figures of docs/contract.md first, {@code
 * events_per_s=X raw_events_per_s=Y ratio=Z p50_ms=A p99_ms=B}, then more {@code key=value} pairs
 * on the same line.
 *
 * <p>Numbers are plain decimals with a dot whatever the locale: rates and sizes with one decimal,
 * the ratio with three (computed from the unrounded rates, so it may differ in its last digit from
 * the ratio of the printed ones), the load with two.
 *
 * @param eventsPerS the ledger's capacity: events per second while catching up with a backlog
 * @param rawEventsPerS the raw Kafka produce+consume rate of the same records
 * @param ratio eventsPerS ÷ rawEventsPerS
 * @param p50Ms median publish-to-balance latency at {@code load} × capacity, milliseconds
 * @param p99Ms 99th percentile of the same
 * @param p999Ms 99.9th percentile of the same
 * @param maxMs largest of the same
 * @param load the share of the capacity the latency was measured at
 * @param publishEventsPerS how fast {@code ledger publish}'s publisher put the backlog on the
 *     broker
 * @param replayEventsPerS how fast {@code ledger replay} rebuilt the ledger from its inputs
 * @param idleCpuPct CPU of the ledger's JVM and the broker while no event comes, percent of a core
 * @param idleRecordsPerS records written to all topics, meanwhile
 * @param heapMb the most heap in use after a garbage collection while catching up, MiB
 * @param rssMb the peak resident memory of the benchmark's JVM (the ledger's), MiB
 * @param brokerRssMb the peak resident memory of the broker's process, MiB
 */
public record BenchLine(
    double eventsPerS,
    double rawEventsPerS,
    double ratio,
    double p50Ms,
    double p99Ms,
    double p999Ms,
    double maxMs,
    double load,
    double publishEventsPerS,
    double replayEventsPerS,
    double idleCpuPct,
    double idleRecordsPerS,
    double heapMb,
    double rssMb,
    double brokerRssMb) {

  private record Key(String name, int decimals, ToDoubleFunction<BenchLine> value) {}

  /** Every key, in the order of the line; the first five are the contract's. */
  private static final List<Key> KEYS =
      List.of(
          new Key("events_per_s", 1, BenchLine::eventsPerS),
          new Key("raw_events_per_s", 1, BenchLine::rawEventsPerS),
          new Key("ratio", 3, BenchLine::ratio),
          new Key("p50_ms", 1, BenchLine::p50Ms),
          new Key("p99_ms", 1, BenchLine::p99Ms),
          new Key("p999_ms", 1, BenchLine::p999Ms),
          new Key("max_ms", 1, BenchLine::maxMs),
          new Key("load", 2, BenchLine::load),
          new Key("publish_events_per_s", 1, BenchLine::publishEventsPerS),
          new Key("replay_events_per_s", 1, BenchLine::replayEventsPerS),
          new Key("idle_cpu_pct", 1, BenchLine::idleCpuPct),
          new Key("idle_records_per_s", 1, BenchLine::idleRecordsPerS),
          new Key("heap_mb", 1, BenchLine::heapMb),
          new Key("rss_mb", 1, BenchLine::rssMb),
          new Key("broker_rss_mb", 1, BenchLine::brokerRssMb));

  private static final int CONTRACT_KEYS = 5;

  /** eventsPerS ÷ rawEventsPerS, 0 if the raw rate is. */
  static double ratio(double eventsPerS, double rawEventsPerS) {
    return rawEventsPerS > 0 ? eventsPerS / rawEventsPerS : 0;
  }

  /** The line: every key, in order, separated by single spaces. */
  public String format() {
    StringBuilder line = new StringBuilder();
    for (Key key : KEYS) {
      if (!line.isEmpty()) {
        line.append(' ');
      }
      line.append(key.name())
          .append('=')
          .append(
              String.format(
                  Locale.ROOT, "%." + key.decimals() + "f", key.value().applyAsDouble(this)));
    }
    return line.toString();
  }

  @Override
  public String toString() {
    return format();
  }

  /**
   * Reads a line written by {@link #format()}. Keys it does not know are ignored, so that a line
   * with more pairs than this version writes is still read.
   *
   * @throws IllegalArgumentException if the contract's five keys do not open the line in their
   *     order, a key of this version is missing or repeated, or a value is not a number
   */
  public static BenchLine parse(String line) {
    Map<String, Double> values = new LinkedHashMap<>();
    String[] pairs = line.strip().split(" +");
    for (int i = 0; i < pairs.length; i++) {
      int equals = pairs[i].indexOf('=');
      if (equals <= 0) {
        throw new IllegalArgumentException("not a key=value pair: '" + pairs[i] + "'");
      }
      String key = pairs[i].substring(0, equals);
      if (i < CONTRACT_KEYS && !key.equals(KEYS.get(i).name())) {
        throw new IllegalArgumentException(
            "the line must open with "
                + KEYS.subList(0, CONTRACT_KEYS).stream().map(Key::name).toList()
                + ", in that order; found "
                + key
                + " at place "
                + (i + 1));
      }
      double value;
      try {
        value = Double.parseDouble(pairs[i].substring(equals + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("not a number: '" + pairs[i] + "'", e);
      }
      if (values.put(key, value) != null) {
        throw new IllegalArgumentException("key " + key + " given twice");
      }
    }
    double[] figures = new double[KEYS.size()];
    for (int i = 0; i < KEYS.size(); i++) {
      Double value = values.get(KEYS.get(i).name());
      if (value == null) {
        throw new IllegalArgumentException("key " + KEYS.get(i).name() + " missing");
      }
      figures[i] = value;
    }
    return new BenchLine(
        figures[0],
        figures[1],
        figures[2],
        figures[3],
        figures[4],
        figures[5],
        figures[6],
        figures[7],
        figures[8],
        figures[9],
        figures[10],
        figures[11],
        figures[12],
        figures[13],
        figures[14]);
  }
}
