package com.portals.ledger.app.runtime;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A task run at a fixed rate on a daemon thread of its own, until closed. A run that throws is the
 * task's to report; the schedule goes on.
 */
public final class PeriodicTask implements AutoCloseable {

  private final ScheduledExecutorService scheduler;

  private PeriodicTask(ScheduledExecutorService scheduler) {
    this.scheduler = scheduler;
  }

  /** Runs {@code task} after {@code initialDelay}, then every {@code period}. */
  public static PeriodicTask start(
      String threadName, Duration initialDelay, Duration period, Runnable task) {
    if (period.isNegative() || period.isZero()) {
      throw new IllegalArgumentException(
          threadName + ": the period must be positive, got " + period);
    }
    ScheduledExecutorService scheduler =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, threadName);
              thread.setDaemon(true);
              return thread;
            });
    scheduler.scheduleAtFixedRate(
        task, initialDelay.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    return new PeriodicTask(scheduler);
  }

  /** Stops the schedule and waits (up to 10 s) for a run in progress. */
  @Override
  public void close() {
    scheduler.shutdownNow();
    try {
      scheduler.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
