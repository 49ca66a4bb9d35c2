package com.portals.ledger.app.bench;

import com.portals.ledger.schemas.publish.EventPublisher;
import com.portals.ledger.schemas.publish.EventPublisher.Report;
import com.portals.ledger.schemas.serde.LedgerSerdes;
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Phase (b) of {@code ledger bench}, capacity: the whole history is published first, through the
 * publisher of {@code ledger publish} ({@link #publish}); then the ledger starts and catches up
 * with it ({@link #catchUp}), and the rate it does so at is its capacity: how many events a second
 * it applies when it never waits for input. No ticker runs: the ticks are in the history.
 *
 * <p>The catch-up is timed from the instant Kafka Streams runs (joined its group, stores ready) to
 * the instant the last output the history owes is read back {@code read_committed} ({@link
 * OutputWatcher}): committed, and readable by anyone. The time from the start call and the time
 * from the first output read are reported next to it.
 */
final class CapacityPhase {

  private static final int MISSING_SHOWN = 5;

  /**
   * The publishing of the history.
   *
   * @param events events published (ticks not counted)
   * @param ticks ticks published, each to every partition
   * @param nanos how long it took, to the acknowledgement of the last record
   */
  record Published(long events, long ticks, long nanos) {
    double eventsPerSecond() {
      return nanos > 0 ? events * 1e9 / nanos : 0;
    }

    String describe() {
      return String.format(
          Locale.ROOT,
          "%d events and %d ticks published by ledger publish's publisher in %.2f s = %.1f events/s",
          events,
          ticks,
          nanos / 1e9,
          eventsPerSecond());
    }
  }

  /**
   * What the catch-up measured; all durations from the instant {@code startLedger} returned.
   *
   * @param events events of the history
   * @param expected outputs the history owes
   * @param accounted of those, read (or known never to come)
   * @param toRunning until Kafka Streams ran
   * @param toFirst until the first output was read
   * @param toLast until the last output was read
   * @param complete whether every output owed was read
   * @param missing some of the events whose output never came
   * @param states the states Kafka Streams went through, and when
   */
  record Result(
      long events,
      long expected,
      long accounted,
      Duration toRunning,
      Duration toFirst,
      Duration toLast,
      boolean complete,
      List<String> missing,
      List<String> states) {

    /** From running to the last output: the time the catch-up took. */
    Duration catchUp() {
      return toLast.minus(toRunning);
    }

    /** Events ÷ catch-up time: the ledger's capacity. */
    double eventsPerSecond() {
      long nanos = catchUp().toNanos();
      return nanos > 0 ? events * 1e9 / nanos : 0;
    }

    List<String> describe() {
      return List.of(
          String.format(
              Locale.ROOT,
              "%d events caught up with in %.2f s = %.1f events/s (from running to the last of %d"
                  + " outputs read)",
              events,
              catchUp().toNanos() / 1e9,
              eventsPerSecond(),
              expected),
          String.format(
              Locale.ROOT,
              "from the start call: running after %.2f s, first output read after %.2f s, last"
                  + " after %.2f s (%.1f events/s); first to last output %.2f s (%.1f events/s)",
              seconds(toRunning),
              seconds(toFirst),
              seconds(toLast),
              rate(toLast),
              seconds(toLast.minus(toFirst)),
              rate(toLast.minus(toFirst))),
          "Kafka Streams states: " + String.join(", ", states));
    }

    private double rate(Duration duration) {
      return duration.toNanos() > 0 ? events * 1e9 / duration.toNanos() : 0;
    }
  }

  private CapacityPhase() {}

  /**
   * Prints what an event of the history cost the catch-up: CPU (this JVM, which runs the ledger and
   * the output reader, and the broker's), and the records the ledger wrote to the broker, by topic
   * (changelogs, hand-over, outputs), from the start of the ledger to its last output.
   */
  static void printCost(
      long events,
      long jvmCpuNanos,
      OptionalLong brokerCpuNanos,
      Map<String, Long> written,
      PrintWriter out) {
    out.printf(
        Locale.ROOT,
        "  capacity: CPU per event %.1f us in the ledger's JVM, %s in the broker%n",
        jvmCpuNanos / 1e3 / events,
        brokerCpuNanos.isPresent()
            ? String.format(Locale.ROOT, "%.1f us", brokerCpuNanos.getAsLong() / 1e3 / events)
            : "unknown");
    long total = written.values().stream().mapToLong(Long::longValue).sum();
    out.printf(
        Locale.ROOT,
        "  capacity: %.2f records written per event (transaction markers included):%n",
        (double) total / events);
    written.forEach(
        (topic, records) ->
            out.printf(Locale.ROOT, "    %-48s %.3f%n", topic, (double) records / events));
    out.flush();
  }

  /** Publishes the whole history through the publisher of {@code ledger publish}. */
  static Published publish(
      String bootstrapServers,
      Workload workload,
      Workload.Summary summary,
      LedgerSerdes serdes,
      PrintWriter out) {
    out.printf(
        Locale.ROOT,
        "  publish: %d events and %d ticks through ledger publish's publisher%n",
        summary.events(),
        summary.ticks());
    out.flush();
    try (EventPublisher publisher = EventPublisher.connect(bootstrapServers, serdes)) {
      long started = System.nanoTime();
      Report report =
          publisher.publish(
              new BufferedReader(new LineReader(counted(workload.lines(), summary, out))));
      long nanos = System.nanoTime() - started;
      if (!report.allAccepted()) {
        throw new IllegalStateException(
            "the publisher refused "
                + report.rejected().size()
                + " benchmark line(s), such as line "
                + report.rejected().get(0).line()
                + ": "
                + report.rejected().get(0).reason());
      }
      return new Published(summary.events(), summary.ticks(), nanos);
    }
  }

  /**
   * Waits until the ledger, just started, has produced every output the history owes, or nothing
   * new came for {@code patience}: no output, and no record read from its inputs or its own
   * hand-over topics (a backlog may keep the ledger busy for a while before the first output).
   *
   * @param inputRecords records of the history on the input topics, a tick being one a partition
   */
  static Result catchUp(
      LedgerUnderTest ledger,
      Workload.Summary history,
      long inputRecords,
      Duration patience,
      PrintWriter out)
      throws InterruptedException {
    Expectations expected = history.expectations();
    long startedNanos = ledger.startedNanos();
    long running = ledger.awaitRunning(patience);
    out.printf(
        Locale.ROOT,
        "  capacity: the ledger runs after %.2f s; catching up with %d events (%d outputs owed)%n",
        (running - startedNanos) / 1e9,
        history.events(),
        expected.expected());
    out.flush();
    boolean complete =
        Waiter.await(
            () -> expected.outstanding() == 0,
            () -> Math.max(expected.lastArrival(), ledger.readsChangedAt()),
            patience,
            () -> {
              ledger.check();
              ledger.reads();
            },
            () -> {
              LedgerUnderTest.Reads reads = ledger.reads();
              out.printf(
                  Locale.ROOT,
                  "  capacity: %.1f s, %d/%d input records and %d hand-over records read, %d/%d"
                      + " outputs read%n",
                  (System.nanoTime() - running) / 1e9,
                  reads.inputs(),
                  inputRecords,
                  reads.handOvers(),
                  expected.accounted(),
                  expected.expected());
              out.flush();
            });
    long first = expected.firstArrival();
    long last = expected.lastArrival();
    return new Result(
        history.events(),
        expected.expected(),
        expected.accounted(),
        Duration.ofNanos(running - startedNanos),
        Duration.ofNanos(first == 0 ? 0 : first - startedNanos),
        Duration.ofNanos(last == 0 ? 0 : last - startedNanos),
        complete,
        complete ? List.of() : expected.someAwaited(MISSING_SHOWN),
        ledger.states());
  }

  /** {@code lines}, with a line of progress now and then as the publisher reads them. */
  private static Iterator<String> counted(
      Iterator<String> lines, Workload.Summary summary, PrintWriter out) {
    long total = summary.events() + summary.ticks();
    Progress progress = new Progress();
    return new Iterator<>() {
      private long read;

      @Override
      public boolean hasNext() {
        return lines.hasNext();
      }

      @Override
      public String next() {
        if (progress.due()) {
          out.printf(Locale.ROOT, "  publish: %d/%d lines sent%n", read, total);
          out.flush();
        }
        read++;
        return lines.next();
      }
    };
  }

  static double seconds(Duration duration) {
    return duration.toNanos() / 1e9;
  }
}
