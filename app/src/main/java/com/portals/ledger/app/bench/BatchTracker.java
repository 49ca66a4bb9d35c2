package com.portals.ledger.app.bench;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * Where a measured run stands: when each batch was sent, how many of the outputs expected of it are
 * still to come, when the last of them came, and the latencies measured. Thread-safe: the
 * publishing thread records sends and waits; the reading thread records what it sees.
 *
 * <p>All instants are {@link System#nanoTime()} values.
 */
final class BatchTracker {

  private static final long CHECK_EVERY_MILLIS = 100;

  private final int firstMeasured;
  private final int[] outstanding;
  private final long[] sentAt;
  private final boolean[] sent;
  private int completed;
  private long lastArrival;
  private long lastProgress;
  private long[] latencies = new long[1024];
  private int latencyCount;

  /**
   * @param expected how many outputs each batch is expected to produce
   * @param firstMeasured the first batch whose outputs count in {@link #lastArrival()} and {@link
   *     #latencies()}: those before it only warm up
   */
  BatchTracker(int[] expected, int firstMeasured) {
    this.firstMeasured = firstMeasured;
    this.outstanding = expected.clone();
    this.sentAt = new long[expected.length];
    this.sent = new boolean[expected.length];
  }

  int batches() {
    return outstanding.length;
  }

  /** Batch {@code batch} starts to be sent at {@code nanos}. */
  synchronized void sent(int batch, long nanos) {
    sent[batch] = true;
    sentAt[batch] = nanos;
    advance();
  }

  /** When batch {@code batch} started to be sent. */
  synchronized long sentAt(int batch) {
    return sentAt[batch];
  }

  /** One of the outputs expected of {@code batch} was read at {@code nanos}. */
  synchronized void arrived(int batch, long nanos) {
    if (outstanding[batch] <= 0) {
      throw new IllegalStateException("more outputs than expected for batch " + batch);
    }
    outstanding[batch]--;
    lastProgress = nanos;
    if (batch >= firstMeasured) {
      lastArrival = Math.max(lastArrival, nanos);
    }
    advance();
  }

  /** A latency sample: something of {@code batch} was read at {@code nanos}. */
  synchronized void sample(int batch, long nanos) {
    if (batch < firstMeasured) {
      return;
    }
    if (latencyCount == latencies.length) {
      latencies = Arrays.copyOf(latencies, latencies.length * 2);
    }
    latencies[latencyCount++] = nanos - sentAt[batch];
  }

  /** The latency samples of the measured batches, in nanoseconds. */
  synchronized long[] latencies() {
    return Arrays.copyOf(latencies, latencyCount);
  }

  /** When the last expected output of a measured batch was read; 0 before any. */
  synchronized long lastArrival() {
    return lastArrival;
  }

  /** Number of batches, from the first, that were sent and produced everything expected of them. */
  synchronized int completed() {
    return completed;
  }

  /** Outputs still expected of the batches sent so far, and of those not sent yet. */
  synchronized int outstanding() {
    return Arrays.stream(outstanding).sum();
  }

  /**
   * Waits until the first {@code count} batches are complete.
   *
   * @param patience how long to wait without any expected output arriving, in nanoseconds
   * @param check run every 100 ms while waiting; throws to stop the wait (the ledger failed, say)
   * @throws IllegalStateException when nothing arrived for {@code patience}, naming what is missing
   */
  synchronized void awaitCompleted(int count, long patience, Runnable check)
      throws InterruptedException {
    long waitingSince = System.nanoTime();
    while (completed < count) {
      long left = Math.max(waitingSince, lastProgress) + patience - System.nanoTime();
      if (left <= 0) {
        throw new IllegalStateException(
            "gave up after "
                + TimeUnit.NANOSECONDS.toSeconds(patience)
                + " s without progress: batch "
                + completed
                + " of "
                + outstanding.length
                + " still misses "
                + outstanding[completed]
                + " expected output(s), "
                + outstanding()
                + " in all");
      }
      wait(Math.max(1, Math.min(CHECK_EVERY_MILLIS, TimeUnit.NANOSECONDS.toMillis(left))));
      check.run();
    }
  }

  /**
   * Sends every batch through {@code sender}, in order, and waits until all are complete. The
   * warm-up batches (before {@code firstMeasured}) go one at a time, each awaited to its end; then
   * a measured batch i is sent only once every batch up to i − {@code inFlight} is complete, so
   * that at most {@code inFlight} measured batches are on their way at any time.
   *
   * @param patience how long to wait without any expected output arriving, in nanoseconds
   * @param check run after each send and every 100 ms of waiting; throws to stop
   */
  void drive(int inFlight, long patience, Runnable check, IntConsumer sender)
      throws InterruptedException {
    for (int i = 0; i < outstanding.length; i++) {
      awaitCompleted(
          i < firstMeasured ? i : Math.max(firstMeasured, i - inFlight + 1), patience, check);
      sent(i, System.nanoTime());
      sender.accept(i);
      check.run();
    }
    awaitCompleted(outstanding.length, patience, check);
  }

  private void advance() {
    int before = completed;
    while (completed < outstanding.length && sent[completed] && outstanding[completed] == 0) {
      completed++;
    }
    if (completed != before) {
      notifyAll();
    }
  }
}
