package com.portals.ledger.app.bench;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * A line of progress about every fifth of a run's measured batches, so that a long run shows it
 * lives. Batches are numbered as in the workload: the warm-up is −1 and not shown.
 */
final class Progress {

  private static final int STEPS = 5;

  private final PrintWriter out;
  private final String phase;
  private final BenchWorkload workload;
  private long started;
  private int sentEvents;

  Progress(PrintWriter out, String phase, BenchWorkload workload) {
    this.out = out;
    this.phase = phase;
    this.workload = workload;
  }

  /**
   * Batch {@code batch} was sent; {@code tracker} numbers the batches from the warm-up, which is
   * its batch 0.
   */
  void sent(int batch, BatchTracker tracker) {
    if (batch < 0) {
      return;
    }
    if (batch == 0) {
      started = System.nanoTime();
    }
    int batches = workload.batches().size();
    sentEvents += workload.batches().get(batch).events().size();
    int every = Math.max(1, batches / STEPS);
    if ((batch + 1) % every != 0 && batch + 1 != batches) {
      return;
    }
    out.printf(
        Locale.ROOT,
        "  %-6s %6.1f s  sent %d/%d events (%d/%d batches), %d batch(es) fully read back%n",
        phase,
        (System.nanoTime() - started) / 1e9,
        sentEvents,
        workload.eventCount(),
        batch + 1,
        batches,
        Math.max(0, tracker.completed() - 1));
    out.flush();
  }
}
