package com.portals.ledger.app.bench;

import java.time.Duration;

/**
 * When the next line of progress is due, so that a long phase shows it lives without flooding the
 * output: about every {@link #EVERY}.
 */
final class Progress {

  static final Duration EVERY = Duration.ofSeconds(5);

  private long next = System.nanoTime() + EVERY.toNanos();

  /** Whether a line is due now; if so, the next one is due {@link #EVERY} later. */
  boolean due() {
    long now = System.nanoTime();
    if (now < next) {
      return false;
    }
    next = now + EVERY.toNanos();
    return true;
  }
}
