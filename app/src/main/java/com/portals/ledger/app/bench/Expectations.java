package com.portals.ledger.app.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * The outputs the ledger owes for the events of one {@link Workload}, kept compactly (a bit per
 * event, three ints per order) so that a million events cost a few megabytes: a journal entry
 * caused by each order event, a decision on each withdrawal request. Filled by {@link
 * Workload#summarise()}; then told, by the reader of the ledger's outputs, what came.
 *
 * <p>An event is accounted for by its first output. An order the ledger applied without commission
 * (no click found) will never see its events journaled: they are accounted for, as wrong, when its
 * state shows without commission, and so are events the ledger rejected, so that a wrong ledger is
 * reported rather than waited for.
 *
 * <p>Thread-safe: the reader's thread accounts, others read.
 */
final class Expectations {

  private final String idPrefix;
  private final String eventPrefix;
  private final String orderPrefix;
  private final BitSet owed = new BitSet();
  private final BitSet awaited = new BitSet();
  private final BitSet ofOrders = new BitSet();

  /** Per order: the numbers of its placement and of up to two later events; 0 where none. */
  private int[] orderEvents = new int[3 * 1024];

  private long expected;
  private long accounted;
  private long withoutCommission;
  private long unattributedOrders;
  private long rejected;
  private long firstArrival;
  private long lastArrival;

  Expectations(String idPrefix) {
    this.idPrefix = idPrefix;
    this.eventPrefix = idPrefix + "e";
    this.orderPrefix = idPrefix + "o";
  }

  /** Notes what the ledger owes for {@code event}. */
  synchronized void expect(BenchEvent event) {
    if (!event.kind().needsOutput()) {
      return;
    }
    int number = Math.toIntExact(event.number());
    owed.set(number);
    awaited.set(number);
    expected++;
    if (event.kind().ofOrder()) {
      ofOrders.set(number);
      int order = Math.toIntExact(event.order());
      if (3 * order + 3 > orderEvents.length) {
        orderEvents = Arrays.copyOf(orderEvents, Math.max(2 * orderEvents.length, 3 * order + 3));
      }
      int slot = 3 * order;
      while (orderEvents[slot] != 0) {
        slot++;
      }
      orderEvents[slot] = number;
    }
  }

  /**
   * The number of the event of this workload named {@code eventId}, or −1 if it is not one of them.
   */
  long numberOf(String eventId) {
    return parseAfter(eventPrefix, eventId);
  }

  /**
   * An output caused by {@code eventId} was read at {@code nanos} ({@link System#nanoTime()}).
   *
   * @return the event's number if this is the first output of an event still awaited, else −1
   */
  synchronized long accountFor(String eventId, long nanos) {
    long number = numberOf(eventId);
    if (number < 0 || !awaited.get((int) number)) {
      return -1;
    }
    settle((int) number, nanos);
    return number;
  }

  /**
   * The ledger's state of order {@code orderId} shows no commission: its events will never be
   * journaled.
   */
  synchronized void withoutCommission(String orderId, long nanos) {
    long order = parseAfter(orderPrefix, orderId);
    if (order < 0 || 3 * order + 2 >= orderEvents.length || orderEvents[3 * (int) order] == 0) {
      return;
    }
    boolean first = true;
    for (int slot = 3 * (int) order; slot < 3 * order + 3; slot++) {
      int number = orderEvents[slot];
      if (number != 0 && awaited.get(number)) {
        settle(number, nanos);
        withoutCommission++;
        if (first) {
          unattributedOrders++;
          first = false;
        }
      }
    }
  }

  /** The ledger rejected {@code eventId}: no output will come for it. */
  synchronized void rejected(String eventId, long nanos) {
    long number = numberOf(eventId);
    if (number >= 0 && awaited.get((int) number)) {
      settle((int) number, nanos);
      rejected++;
    }
  }

  private void settle(int number, long nanos) {
    awaited.clear(number);
    accounted++;
    if (firstArrival == 0) {
      firstArrival = nanos;
    }
    lastArrival = Math.max(lastArrival, nanos);
  }

  /** Outputs owed in all. */
  synchronized long expected() {
    return expected;
  }

  /** Of those, how many came (or are known never to come). */
  synchronized long accounted() {
    return accounted;
  }

  /** Events still awaited. */
  synchronized long outstanding() {
    return expected - accounted;
  }

  /** Whether any event numbered from {@code from} (inclusive) to {@code to} is still awaited. */
  synchronized boolean anyAwaited(long from, long to) {
    int next = awaited.nextSetBit((int) from);
    return next >= 0 && next < to;
  }

  /** How many events numbered from {@code from} (inclusive) to {@code to} are owed an output. */
  synchronized long owedBetween(long from, long to) {
    return owed.get((int) from, (int) to).cardinality();
  }

  /** How many of those are still awaited. */
  synchronized long awaitedBetween(long from, long to) {
    return awaited.get((int) from, (int) to).cardinality();
  }

  /** Order events accounted for by their order's state without commission. */
  synchronized long withoutCommission() {
    return withoutCommission;
  }

  /** Orders applied without commission. */
  synchronized long unattributedOrders() {
    return unattributedOrders;
  }

  /** Events the ledger rejected. */
  synchronized long rejected() {
    return rejected;
  }

  /** When the first output was read ({@link System#nanoTime()}), 0 before any. */
  synchronized long firstArrival() {
    return firstArrival;
  }

  /** When the last output was read, 0 before any. */
  synchronized long lastArrival() {
    return lastArrival;
  }

  /** The ids of up to {@code limit} events still awaited, lowest first, for an error message. */
  synchronized List<String> someAwaited(int limit) {
    List<String> ids = new ArrayList<>();
    for (int number = awaited.nextSetBit(0);
        number >= 0 && ids.size() < limit;
        number = awaited.nextSetBit(number + 1)) {
      ids.add(BenchEvent.eventId(idPrefix, number) + (ofOrders.get(number) ? "" : " (withdrawal)"));
    }
    return ids;
  }

  /** The number after {@code prefix} in {@code id}, or −1 if {@code id} is not of that form. */
  static long parseAfter(String prefix, String id) {
    if (id == null || !id.startsWith(prefix) || id.length() == prefix.length()) {
      return -1;
    }
    try {
      return Long.parseLong(id, prefix.length(), id.length(), 10);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
