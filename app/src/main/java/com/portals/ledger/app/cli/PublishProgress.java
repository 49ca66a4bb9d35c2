package com.portals.ledger.app.cli;

import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How far {@code ledger publish} has got through a file, on standard error: a line every {@link
 * #EVERY_SECONDS} seconds ({@code publishing: 45% of 267.0 MB, 450123 lines, 90012 lines/s}), for
 * files of at least {@link #MIN_BYTES} only, so that a small file prints nothing but its result.
 * Lines count as read by the publisher (which prepares a little ahead of what the broker has
 * acknowledged); the result line after it counts what was acknowledged.
 */
final class PublishProgress implements AutoCloseable {

  /** Files smaller than this show no progress. */
  static final long MIN_BYTES = 16L * 1024 * 1024;

  static final int EVERY_SECONDS = 5;

  private final long size;
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicLong lines = new AtomicLong();
  private final long started = System.nanoTime();
  private final ScheduledExecutorService timer;
  private final PrintWriter err;

  private PublishProgress(long size, PrintWriter err) {
    this.size = size;
    this.err = err;
    this.timer =
        size >= MIN_BYTES
            ? Executors.newSingleThreadScheduledExecutor(
                r -> {
                  Thread thread = new Thread(r, "ledger-publish-progress");
                  thread.setDaemon(true);
                  return thread;
                })
            : null;
    if (timer != null) {
      timer.scheduleAtFixedRate(
          () -> report(System.nanoTime()), EVERY_SECONDS, EVERY_SECONDS, TimeUnit.SECONDS);
    }
  }

  /**
   * The progress of a file of {@code size} bytes (0: unknown, none shown), shown on {@code err}.
   */
  static PublishProgress of(long size, PrintWriter err) {
    return new PublishProgress(size, err);
  }

  /** Lines of {@code in} (UTF-8), counted with their bytes as they are read. */
  BufferedReader reader(InputStream in) {
    InputStream counted =
        new FilterInputStream(in) {
          @Override
          public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
              bytes.incrementAndGet();
            }
            return b;
          }

          @Override
          public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
              bytes.addAndGet(n);
            }
            return n;
          }
        };
    return new BufferedReader(new InputStreamReader(counted, StandardCharsets.UTF_8)) {
      @Override
      public String readLine() throws IOException {
        String line = super.readLine();
        if (line != null) {
          lines.incrementAndGet();
        }
        return line;
      }
    };
  }

  /** Whether progress lines are printed (a file of at least {@link #MIN_BYTES}). */
  boolean shown() {
    return timer != null;
  }

  /** The progress line at {@code now} (nanoseconds). */
  String line(long now) {
    double seconds = Math.max(0.001, (now - started) / 1e9);
    long read = bytes.get();
    return String.format(
        Locale.ROOT,
        "publishing: %d%% of %.1f MB, %d lines, %.0f lines/s",
        size == 0 ? 100 : Math.min(100, read * 100 / size),
        size / 1e6,
        lines.get(),
        lines.get() / seconds);
  }

  private void report(long now) {
    err.println(line(now));
    err.flush();
  }

  @Override
  public void close() {
    if (timer != null) {
      timer.shutdownNow();
    }
  }
}
