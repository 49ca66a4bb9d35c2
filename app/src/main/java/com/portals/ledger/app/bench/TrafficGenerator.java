package com.portals.ledger.app.bench;

import com.portals.ledger.app.bench.Workload.Item;
import com.portals.ledger.app.bench.Workload.Kind;
import com.portals.ledger.app.bench.Workload.Tick;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * One pass over a {@link Workload}: visits (a click, sometimes an order in its session, now and
 * then a withdrawal request) spread evenly over the span, each scheduling its consequences
 * (completion, cancellation, refund) days ahead; the scheduled events handed out in event-time
 * order, ticks in between. Only the events scheduled and not yet handed out are kept, as a few
 * numbers each.
 *
 * <p>Every random choice is made when a visit is scheduled, in a fixed order, from one {@link
 * Random} seeded with the workload's seed: the same workload gives the same lines.
 */
final class TrafficGenerator implements Iterator<Item> {

  /** Share of clicks among the events: visits are spaced so that the events fill the span. */
  static final double CLICK_SHARE = 0.72;

  /** Orders per click: 15% of the events are orders placed. */
  static final double ORDER_PER_CLICK = 0.15 / CLICK_SHARE;

  /**
   * Fates of an order: completed, cancelled, else left open. About 13% of the completions fall
   * after the last event and are left out, so that completions make about 10% of the events.
   */
  static final double COMPLETED = 0.77;

  static final double CANCELLED = 0.08;

  /** Completed orders later partly refunded. */
  static final double REFUNDED = 0.085;

  /** Withdrawal requests per click, from {@link #WITHDRAWALS_FROM} on: about 1% of the events. */
  static final double WITHDRAWAL_PER_CLICK = 0.0196;

  /** No withdrawals before this much event time has passed: balances need their first posting. */
  static final Duration WITHDRAWALS_FROM = Duration.ofDays(35);

  private static final long MINUTE = Duration.ofMinutes(1).toMillis();
  private static final long HOUR = Duration.ofHours(1).toMillis();
  private static final long DAY = Duration.ofDays(1).toMillis();

  private record Pending(
      long at,
      long sequence,
      Kind kind,
      int affiliate,
      long order,
      long session,
      long amount,
      long detail) {}

  private final Workload workload;
  private final Random random;
  private final Popularity popularity;
  private final PriorityQueue<Pending> future =
      new PriorityQueue<>(
          Comparator.comparingLong(Pending::at).thenComparingLong(Pending::sequence));
  private final long start;
  private final double visitGap;
  private final long tickEvery;
  private long nextVisitAt;
  private long visits;
  private long sequence;
  private long sessions;
  private long orders;
  private int lastPlacedAffiliate = -1;
  private long emitted;
  private long previous = Long.MIN_VALUE / 2;
  private long nextTick;
  private Pending held;
  private long heldAt;
  private boolean lastTickDone;
  private Item upcoming;

  TrafficGenerator(Workload workload) {
    this.workload = workload;
    this.random = new Random(workload.seed());
    this.popularity = new Popularity(workload.affiliates(), Popularity.EXPONENT);
    this.start = workload.start().toEpochMilli();
    this.visitGap = workload.span().toMillis() / (workload.events() * CLICK_SHARE);
    this.tickEvery = workload.tickEvery().toMillis();
    this.nextTick = start + tickEvery;
    if (workload.rates()) {
      for (int category = 0; category < BenchEvent.CATEGORIES.length; category++) {
        schedule(start, Kind.RATE_SET, -1, -1, -1, category, 0);
      }
    }
    // The first visit comes after the rates, so that every order finds its category's rate.
    this.nextVisitAt =
        start + BenchEvent.CATEGORIES.length + (long) (random.nextDouble() * visitGap);
  }

  @Override
  public boolean hasNext() {
    if (upcoming == null) {
      upcoming = produce();
    }
    return upcoming != null;
  }

  @Override
  public Item next() {
    if (!hasNext()) {
      throw new NoSuchElementException("the workload has no more events");
    }
    Item item = upcoming;
    upcoming = null;
    return item;
  }

  private Item produce() {
    if (emitted >= workload.events()) {
      if (workload.ticks() && !lastTickDone) {
        lastTickDone = true;
        return new Tick(Instant.ofEpochMilli(previous + 1));
      }
      return null;
    }
    if (held == null) {
      while (future.isEmpty() || nextVisitAt <= future.peek().at()) {
        visit();
      }
      held = future.poll();
      heldAt = Math.max(held.at(), previous + 1);
    }
    if (workload.ticks() && heldAt >= nextTick) {
      Tick tick = new Tick(Instant.ofEpochMilli(nextTick));
      nextTick += tickEvery;
      return tick;
    }
    Pending event = held;
    held = null;
    previous = heldAt;
    emitted++;
    if (event.kind() == Kind.ORDER_PLACED) {
      lastPlacedAffiliate = event.affiliate();
    }
    return new BenchEvent(
        workload.idPrefix(),
        event.kind(),
        emitted,
        heldAt,
        event.affiliate(),
        event.order(),
        event.session(),
        event.amount(),
        event.detail());
  }

  private void visit() {
    long clickAt = nextVisitAt;
    int affiliate = popularity.draw(random);
    long session = sessions++;
    schedule(clickAt, Kind.CLICK, affiliate, -1, session, 0, random.nextLong());
    if (random.nextDouble() < ORDER_PER_CLICK) {
      order(
          clickAt + MINUTE + (long) (random.nextDouble() * (2 * HOUR - MINUTE)),
          session,
          affiliate);
    }
    // A withdrawal from the affiliate of the latest order placed so far, whose account thus exists
    // (an affiliate the ledger has never credited is refused as unknown, not decided).
    if (random.nextDouble() < WITHDRAWAL_PER_CLICK
        && clickAt >= start + WITHDRAWALS_FROM.toMillis()
        && lastPlacedAffiliate >= 0) {
      long amount = random.nextBoolean() ? 1_000 + random.nextInt(40_000) : -1;
      schedule(
          clickAt + (long) (random.nextDouble() * 6 * HOUR),
          Kind.WITHDRAWAL_REQUESTED,
          lastPlacedAffiliate,
          -1,
          -1,
          amount,
          random.nextLong());
    }
    visits++;
    nextVisitAt =
        start + BenchEvent.CATEGORIES.length + (long) ((visits + random.nextDouble()) * visitGap);
  }

  private void order(long placedAt, long session, int affiliate) {
    long order = orders++;
    long detail = random.nextLong();
    schedule(placedAt, Kind.ORDER_PLACED, affiliate, order, session, 0, detail);
    double fate = random.nextDouble();
    if (fate < COMPLETED) {
      long completedAt = placedAt + DAY + (long) (random.nextDouble() * 29 * DAY);
      schedule(completedAt, Kind.ORDER_COMPLETED, affiliate, order, -1, 0, 0);
      if (random.nextDouble() < REFUNDED) {
        // At least a tenth of the order, so that the commission reversed is at least a cent.
        long total = BenchEvent.orderTotal(detail);
        long refund = total / 10 + (long) (random.nextDouble() * (total - total / 10));
        schedule(
            completedAt + HOUR + (long) (random.nextDouble() * 10 * DAY),
            Kind.ORDER_REFUNDED,
            affiliate,
            order,
            -1,
            refund,
            0);
      }
    } else if (fate < COMPLETED + CANCELLED) {
      schedule(
          placedAt + HOUR + (long) (random.nextDouble() * 5 * DAY),
          Kind.ORDER_CANCELLED,
          affiliate,
          order,
          -1,
          0,
          0);
    }
  }

  private void schedule(
      long at, Kind kind, int affiliate, long order, long session, long amount, long detail) {
    future.add(new Pending(at, sequence++, kind, affiliate, order, session, amount, detail));
  }
}
