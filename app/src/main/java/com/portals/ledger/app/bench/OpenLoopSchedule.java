package com.portals.ledger.app.bench;

/**
 * When each event of an open-loop step is due: the step's i-th event (number {@code first + i}) at
 * {@code startNanos + i / perSecond}, whatever the system under test does. The publisher sends an
 * event once it is due, at once if it is late; an event's latency is measured from when it was due,
 * not from when it was sent, so that a publisher held up by a slow system does not hide the wait it
 * suffered (no coordinated omission).
 *
 * <p>All instants are {@link System#nanoTime()} values.
 *
 * @param startNanos when the first event is due
 * @param perSecond the rate events are due at
 * @param first the number of the step's first event
 * @param count how many events the step has
 */
record OpenLoopSchedule(long startNanos, double perSecond, long first, long count) {

  private static final double NANOS_PER_SECOND = 1e9;

  OpenLoopSchedule {
    if (!(perSecond > 0)) {
      throw new IllegalArgumentException("the rate must be positive, got " + perSecond);
    }
    if (count < 0) {
      throw new IllegalArgumentException("the count must not be negative, got " + count);
    }
  }

  /** The number after the step's last event. */
  long end() {
    return first + count;
  }

  boolean contains(long number) {
    return number >= first && number < end();
  }

  /** When event {@code number} is due. */
  long dueAt(long number) {
    return startNanos + (long) Math.floor((number - first) * NANOS_PER_SECOND / perSecond);
  }

  /**
   * The end (exclusive) of the events due at {@code nowNanos}: every event numbered from {@link
   * #first()} up to it is due.
   */
  long dueBy(long nowNanos) {
    long due = (long) Math.floor((nowNanos - startNanos) * perSecond / NANOS_PER_SECOND) + 1;
    due = Math.max(0, Math.min(count, due));
    while (due > 0 && dueAt(first + due - 1) > nowNanos) {
      due--;
    }
    while (due < count && dueAt(first + due) <= nowNanos) {
      due++;
    }
    return first + due;
  }

  /** The latency of event {@code number} whose output was read at {@code readNanos}. */
  long latency(long number, long readNanos) {
    return readNanos - dueAt(number);
  }
}
