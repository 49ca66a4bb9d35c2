package com.portals.ledger.app.bench;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Waits for something to be done, giving up once nothing new has come for a while: the benchmark's
 * {@code --timeout}. A slow run waits as long as it makes progress.
 */
final class Waiter {

  private static final long POLL_MILLIS = 20;

  private Waiter() {}

  /**
   * Waits until {@code done}.
   *
   * @param lastProgress when something new last came ({@link System#nanoTime()}), 0 if nothing did:
   *     the patience runs from the later of that and the start of the wait
   * @param patience how long to wait without anything new
   * @param check run on every poll; throws to stop (the ledger failed, say)
   * @param report run now and then while waiting ({@link Progress}), to show progress
   * @return true when done, false when it gave up
   */
  static boolean await(
      BooleanSupplier done,
      LongSupplier lastProgress,
      Duration patience,
      Runnable check,
      Runnable report)
      throws InterruptedException {
    long started = System.nanoTime();
    Progress progress = new Progress();
    while (!done.getAsBoolean()) {
      check.run();
      long now = System.nanoTime();
      if (now - Math.max(started, lastProgress.getAsLong()) > patience.toNanos()) {
        return false;
      }
      if (progress.due()) {
        report.run();
      }
      Thread.sleep(POLL_MILLIS);
    }
    return true;
  }

  /**
   * Waits until every output owed by the events numbered from {@code from} (inclusive) to {@code
   * to} is accounted for; progress is any output of {@code expected} read.
   */
  static boolean awaitOutputs(
      Expectations expected, long from, long to, Duration patience, Runnable check, Runnable report)
      throws InterruptedException {
    return await(
        () -> !expected.anyAwaited(from, to), expected::lastArrival, patience, check, report);
  }
}
