package com.portals.ledger.app.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.Map;

/**
 * The traffic {@code ledger bench} publishes: realistic affiliate traffic as JSON lines of
 * docs/contract.md, the same for the same parameters, generated as a stream ({@link #items()}) so
 * that a million events never sit in memory at once: the benchmark runs in the JVM of the ledger
 * under test, whose heap it reports.
 *
 * <p>By count, about 72% clicks, 15% orders placed, 10% completions, 2% cancellations and refunds
 * and 1% withdrawal requests, after a handful of commission rates (one per category, at {@link
 * #start()}, if {@link #rates()}). Clicks come from {@link #affiliates()} affiliates of Zipf
 * popularity ({@link Popularity}). Every order is placed in the session of a click one minute to
 * two hours earlier, so that it is attributed and earns commission; 77% of orders complete 1 to 30
 * days later (8.5% of those are then partly refunded), 8% are cancelled within five days, the
 * others stay open for the ledger's 60-day release. A withdrawal request, once five weeks have
 * passed, comes from the affiliate of the latest order placed before it (so that the ledger knows
 * the affiliate), for its whole balance or for an amount that may be too small or too large: the
 * ledger accepts some and refuses others, and decides each.
 *
 * <p>Event times spread over {@link #span()} from {@link #start()} and strictly increase. With a
 * positive {@link #tickEvery()}, a {@code ClockTick} line comes at every multiple of it after the
 * start (before the first event at or after it), and a last one a millisecond after the last event,
 * which releases everything. Events still scheduled when {@link #events()} are out (completions of
 * the last orders, say) are left out: those orders stay open.
 *
 * <p>Ids are the prefix followed by a letter and a number: events {@code <prefix>e000000042} (their
 * rank in the stream, from 1, zero-padded so that ids sort as numbers), orders {@code <prefix>o42},
 * sessions {@code <prefix>s42}, withdrawals {@code <prefix>w<rank of the request>}. From an
 * output's {@code causingEventId} the benchmark thus knows the event's rank, hence when it was due
 * ({@link OpenLoopSchedule}), without keeping the event.
 *
 * @param idPrefix what every id of this workload starts with
 * @param events how many events (ticks not counted)
 * @param seed seed of the random choices
 * @param affiliates how many affiliates the clicks come from
 * @param start event time of the first event
 * @param span event time the events spread over
 * @param tickEvery event time between ticks; zero for no ticks at all
 * @param rates whether the workload starts with the commission rates
 */
public record Workload(
    String idPrefix,
    long events,
    long seed,
    int affiliates,
    Instant start,
    Duration span,
    Duration tickEvery,
    boolean rates) {

  /** Event time of the first event of the pre-published workload. */
  static final Instant START = Instant.parse("2026-01-05T00:00:00Z");

  public Workload {
    if (events < 1) {
      throw new IllegalArgumentException("a workload has at least one event, got " + events);
    }
    if (affiliates < 1) {
      throw new IllegalArgumentException("a workload has at least one affiliate");
    }
    if (span.isNegative() || span.isZero()) {
      throw new IllegalArgumentException("the span must be positive, got " + span);
    }
    if (tickEvery.isNegative()) {
      throw new IllegalArgumentException("the tick interval must not be negative");
    }
  }

  /**
   * The workload published before the ledger starts: ids {@code bench-<seed>-...}, rates first,
   * ticks every {@code tickEvery} from {@link #START}.
   */
  public static Workload history(
      long events, long seed, int affiliates, Duration span, Duration tickEvery) {
    return new Workload(
        "bench-" + seed + "-", events, seed, affiliates, START, span, tickEvery, true);
  }

  /**
   * The workload published live, at a given rate: the same traffic (the rates already set, the same
   * affiliates) with ids and sessions of its own and no ticks, since a ticker publishes them. Only
   * the order of its events matters: each is sent with the time it is sent at.
   */
  static Workload live(long events, long seed, int affiliates, Duration span) {
    return new Workload(
        "bench-" + seed + "-live-",
        events,
        seed ^ 0x5DEECE66DL,
        affiliates,
        START,
        span,
        Duration.ZERO,
        false);
  }

  public boolean ticks() {
    return !tickEvery.isZero();
  }

  /** A new pass over the events and ticks, in event-time order. */
  public Iterator<Item> items() {
    return new TrafficGenerator(this);
  }

  /** The JSON lines of a new pass, ticks included. */
  public Iterator<String> lines() {
    Iterator<Item> items = items();
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return items.hasNext();
      }

      @Override
      public String next() {
        return items.next().json();
      }
    };
  }

  /** Writes every line of a pass to {@code file}, for {@code ledger publish}; returns the count. */
  long write(Path file) {
    long count = 0;
    try (BufferedWriter writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (Iterator<String> lines = lines(); lines.hasNext(); count++) {
        writer.write(lines.next());
        writer.newLine();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the events to " + file + ": " + e, e);
    }
    return count;
  }

  /**
   * A pass without JSON: counts, first and last instants, and the outputs the ledger owes for the
   * events ({@link Expectations}).
   */
  Summary summarise() {
    Map<Kind, Long> counts = new EnumMap<>(Kind.class);
    for (Kind kind : Kind.values()) {
      counts.put(kind, 0L);
    }
    Expectations expectations = new Expectations(idPrefix);
    long ticks = 0;
    Instant first = null;
    Instant last = null;
    Instant lastTick = null;
    for (Iterator<Item> items = items(); items.hasNext(); ) {
      Item item = items.next();
      if (item instanceof BenchEvent event) {
        counts.merge(event.kind(), 1L, Long::sum);
        expectations.expect(event);
        last = event.at();
        first = first == null ? last : first;
      } else {
        ticks++;
        lastTick = ((Tick) item).at();
      }
    }
    return new Summary(
        Collections.unmodifiableMap(counts), ticks, first, last, lastTick, expectations);
  }

  /**
   * What a pass holds.
   *
   * @param counts events by kind
   * @param ticks tick lines (each goes to every partition of the clock)
   * @param firstEvent event time of the first event
   * @param lastEvent event time of the last event
   * @param lastTick the last tick, or null without ticks
   * @param expectations the outputs the ledger owes
   */
  record Summary(
      Map<Kind, Long> counts,
      long ticks,
      Instant firstEvent,
      Instant lastEvent,
      Instant lastTick,
      Expectations expectations) {

    long events() {
      return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    long count(Kind kind) {
      return counts.get(kind);
    }

    /** Orders placed and neither completed nor cancelled: the 60-day release's. */
    long openOrders() {
      return count(Kind.ORDER_PLACED) - count(Kind.ORDER_COMPLETED) - count(Kind.ORDER_CANCELLED);
    }
  }

  /** What an event is, and so what the ledger owes for it. */
  public enum Kind {
    RATE_SET("commission rates"),
    CLICK("clicks"),
    ORDER_PLACED("orders placed"),
    ORDER_COMPLETED("completions"),
    ORDER_CANCELLED("cancellations"),
    ORDER_REFUNDED("refunds"),
    WITHDRAWAL_REQUESTED("withdrawal requests");

    private final String plural;

    Kind(String plural) {
      this.plural = plural;
    }

    String plural() {
      return plural;
    }

    /** Events of an order: each belongs to the order whose id it names. */
    boolean ofOrder() {
      return this == ORDER_PLACED
          || this == ORDER_COMPLETED
          || this == ORDER_CANCELLED
          || this == ORDER_REFUNDED;
    }

    /**
     * Whether the ledger owes an output for each event of this kind: a journal entry caused by it
     * (every order earns commission, so each of its events moves money), or a decision on it.
     */
    boolean needsOutput() {
      return ofOrder() || this == WITHDRAWAL_REQUESTED;
    }
  }

  /** An event or a tick of a pass. */
  public sealed interface Item permits BenchEvent, Tick {
    /** Its JSON line. */
    String json();
  }

  /** A clock tick at {@code at}. */
  public record Tick(Instant at) implements Item {
    @Override
    public String json() {
      return "{\"type\":\"ClockTick\",\"at\":\"" + at + "\"}";
    }
  }
}
