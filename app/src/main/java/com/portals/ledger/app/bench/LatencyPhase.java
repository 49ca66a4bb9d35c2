package com.portals.ledger.app.bench;

import com.portals.ledger.schemas.publish.EventPublisher;
import com.portals.ledger.schemas.publish.EventPublisher.Report;
import com.portals.ledger.schemas.serde.LedgerSerdes;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;

/**
 * Phase (c) of {@code ledger bench}, latency: on the ledger that has caught up, new events are
 * published live, open loop, at a fixed share of its capacity, while the production ticker
 * publishes ticks; the latency of an event is the time from when it was due to when its output
 * (journal entry or withdrawal decision) is read back {@code read_committed}.
 *
 * <p>Each step runs one load: rate R = load × capacity for the step's duration, event i due at t0 +
 * i/R ({@link OpenLoopSchedule}). The publisher sends every event due, in one batch through the
 * publisher of {@code ledger publish} (each batch waits for its acknowledgement; an order whose
 * click is in the same batch waits for the next one, as it would in life), stamped with the time it
 * is sent; an event sent late because the publisher was busy is still measured from when it was
 * due. A step ends when every output it owes is read, so the next one starts on a quiet ledger. If
 * the publisher cannot send at the rate asked, the step says so: its latencies then include the
 * publisher's own delay.
 *
 * <p>The events are a {@link Workload#live live workload}: the history's traffic, with ids and
 * sessions of its own, published on the benchmark's clock ({@code clock}): the wall clock, shifted
 * so that live time goes on from the end of the history.
 */
final class LatencyPhase {

  /** Events due are sent in batches of at most this many. */
  private static final int MAX_BATCH = 5_000;

  /** The first event of a step is due this long after the step is set up. */
  private static final long LEAD_NANOS = Duration.ofMillis(20).toNanos();

  /** Below this share of the rate asked, the publisher did not keep up. */
  static final double KEEPING_UP = 0.95;

  /**
   * One step.
   *
   * @param load the share of the capacity asked
   * @param askedPerSecond the rate events were due at
   * @param events events published
   * @param sentPerSecond the rate they were sent at: events ÷ (last acknowledgement − first due)
   * @param sendLag from when each event was due to its acknowledgement
   * @param owed outputs the step's events owe
   * @param read of those, read back
   * @param latency from when each event was due to when its output was read
   * @param complete whether every output owed was read
   */
  record Step(
      double load,
      double askedPerSecond,
      long events,
      double sentPerSecond,
      LatencySummary sendLag,
      long owed,
      long read,
      LatencySummary latency,
      boolean complete) {

    boolean keptUp() {
      return sentPerSecond >= KEEPING_UP * askedPerSecond;
    }

    List<String> describe() {
      List<String> lines = new ArrayList<>();
      lines.add(
          String.format(
              Locale.ROOT,
              "load %.2f: %d events due at %.1f events/s, sent at %.1f events/s; due-to-acknowledged"
                  + " %s",
              load,
              events,
              askedPerSecond,
              sentPerSecond,
              sendLag.describe()));
      lines.add(
          String.format(
              Locale.ROOT,
              "  publish-to-balance latency of %d/%d outputs: %s",
              read,
              owed,
              latency.describe()));
      if (!keptUp()) {
        lines.add(
            String.format(
                Locale.ROOT,
                "  WARNING: THE PUBLISHER DID NOT KEEP UP: it sent %.1f events/s of the %.1f asked"
                    + " (%.0f%%); the latencies include its own delay",
                sentPerSecond,
                askedPerSecond,
                100 * sentPerSecond / askedPerSecond));
      }
      if (!complete) {
        lines.add(String.format(Locale.ROOT, "  INCOMPLETE: %d output(s) never came", owed - read));
      }
      return lines;
    }
  }

  /** The latencies of each step, by event number; told by the output reader. */
  private static final class Recorder implements OutputWatcher.Latencies {
    private record Track(OpenLoopSchedule schedule, LongSamples latencies) {}

    private final List<Track> tracks = new CopyOnWriteArrayList<>();

    Track add(OpenLoopSchedule schedule) {
      Track track = new Track(schedule, new LongSamples());
      tracks.add(track);
      return track;
    }

    @Override
    public void read(long number, long readNanos) {
      for (Track track : tracks) {
        if (track.schedule().contains(number)) {
          track.latencies().add(track.schedule().latency(number, readNanos));
          return;
        }
      }
    }
  }

  private LatencyPhase() {}

  /** How many events a step at {@code perSecond} for {@code duration} publishes: at least one. */
  static long eventsOf(double perSecond, Duration duration) {
    return Math.max(1, Math.round(perSecond * duration.toNanos() / 1e9));
  }

  /**
   * Runs one step per load, in order.
   *
   * @param capacity the ledger's capacity, events per second
   * @param live the workload whose events are published, enough for every step
   * @param expected the outputs its events owe
   */
  static List<Step> run(
      LedgerUnderTest ledger,
      OutputWatcher watcher,
      String bootstrapServers,
      LedgerSerdes serdes,
      Clock clock,
      double capacity,
      List<Double> loads,
      Duration duration,
      Workload live,
      Expectations expected,
      Duration patience,
      PrintWriter out)
      throws InterruptedException {
    Recorder recorder = new Recorder();
    watcher.goLive(expected, recorder);
    List<Step> steps = new ArrayList<>();
    Iterator<Workload.Item> items = live.items();
    long number = 1;
    try (EventPublisher publisher = EventPublisher.connect(bootstrapServers, serdes)) {
      for (double load : loads) {
        double rate = load * capacity;
        long count = eventsOf(rate, duration);
        out.printf(
            Locale.ROOT, "  latency: load %.2f, %d events at %.1f events/s%n", load, count, rate);
        out.flush();
        OpenLoopSchedule schedule =
            new OpenLoopSchedule(System.nanoTime() + LEAD_NANOS, rate, number, count);
        Recorder.Track track = recorder.add(schedule);
        LongSamples lags = new LongSamples();
        long lastAck = send(ledger, publisher, clock, schedule, items, lags, out);
        long first = schedule.first();
        long end = schedule.end();
        boolean complete =
            Waiter.awaitOutputs(
                expected,
                first,
                end,
                patience,
                ledger::check,
                () -> {
                  out.printf(
                      Locale.ROOT,
                      "  latency: load %.2f, waiting for %d output(s)%n",
                      load,
                      expected.awaitedBetween(first, end));
                  out.flush();
                });
        long owed = expected.owedBetween(first, end);
        steps.add(
            new Step(
                load,
                rate,
                count,
                count * 1e9 / Math.max(1, lastAck - schedule.startNanos()),
                lags.summary(),
                owed,
                owed - expected.awaitedBetween(first, end),
                track.latencies().summary(),
                complete));
        steps.get(steps.size() - 1).describe().forEach(line -> out.println("  " + line));
        out.flush();
        number = end;
      }
    }
    return steps;
  }

  /**
   * Sends the events of {@code schedule} as they fall due; returns when the last acknowledgement
   * came ({@link System#nanoTime()}).
   */
  private static long send(
      LedgerUnderTest ledger,
      EventPublisher publisher,
      Clock clock,
      OpenLoopSchedule schedule,
      Iterator<Workload.Item> items,
      LongSamples lags,
      PrintWriter out) {
    List<String> batch = new ArrayList<>();
    Set<Long> clicked = new HashSet<>();
    BenchEvent held = null;
    long next = schedule.first();
    long acknowledged = schedule.startNanos();
    Progress progress = new Progress();
    while (next < schedule.end()) {
      long now = System.nanoTime();
      long due = Math.min(schedule.dueBy(now), next + MAX_BATCH);
      if (due <= next) {
        LockSupport.parkNanos(schedule.dueAt(next) - now);
        continue;
      }
      Instant at = clock.instant().truncatedTo(ChronoUnit.MILLIS);
      clicked.clear();
      for (long number = next; number < due; number++) {
        BenchEvent event = held != null ? held : (BenchEvent) items.next();
        held = null;
        if (event.kind() == Workload.Kind.ORDER_PLACED && clicked.contains(event.session())) {
          // Its click is in this batch, with the same time: the two go to different partitions,
          // and a tick that reads the end offsets between their acknowledgements would order the
          // click (late, at the tick) after the order. It goes in the next batch, sent once the
          // click is acknowledged, as an order follows its click in life.
          held = event;
          due = number;
          break;
        }
        if (event.kind() == Workload.Kind.CLICK) {
          clicked.add(event.session());
        }
        batch.add(event.json(at));
      }
      Report report = publisher.publish(batch);
      if (!report.allAccepted()) {
        throw new IllegalStateException(
            "the publisher refused a live benchmark event: " + report.rejected().get(0).reason());
      }
      acknowledged = System.nanoTime();
      for (long number = next; number < due; number++) {
        lags.add(acknowledged - schedule.dueAt(number));
      }
      batch.clear();
      next = due;
      ledger.check();
      if (progress.due()) {
        out.printf(
            Locale.ROOT,
            "  latency: %d/%d events sent%n",
            next - schedule.first(),
            schedule.count());
        out.flush();
      }
    }
    return acknowledged;
  }
}
