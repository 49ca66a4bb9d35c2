package com.portals.ledger.app.bench;

import com.portals.ledger.schemas.publish.EventPublisher;
import com.portals.ledger.schemas.publish.EventPublisher.Report;
import com.portals.ledger.schemas.serde.LedgerSerdes;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.LockSupport;

/**
 * Phase (c) of {@code ledger bench}, latency: on the ledger that has caught up, new events are
 * published live, open loop, at a fixed share of its capacity, while the production ticker
 * publishes ticks; the latency of an event is the time from when it was due to when its output
 * (journal entry or withdrawal decision) is read back {@code read_committed}.
 *
 * <p>Each step runs one load: rate R = load × capacity for the step's duration, event i due at t0 +
 * i/R ({@link OpenLoopSchedule}). Every 20 ms the publisher sends the events due, in one batch
 * through the publisher of {@code ledger publish}, without waiting for earlier batches'
 * acknowledgements (an event waits for the acknowledgement of what it follows in life: an order for
 * its click's, the other order and withdrawal events for every batch before them), stamped with the
 * time it is sent; an event sent late because the publisher was busy is still measured from when it
 * was due. A step ends when every output it owes is read, so the next one starts on a quiet ledger.
 * If the publisher cannot send at the rate asked, the step says so: its latencies then include the
 * publisher's own delay.
 *
 * <p>The events are a {@link Workload#live live workload}: the history's traffic, with ids and
 * sessions of its own, published on the benchmark's clock ({@code clock}): the wall clock, shifted
 * so that live time goes on from the end of the history.
 */
final class LatencyPhase {

  /** Events due are sent in batches of at most this many. */
  private static final int MAX_BATCH = 5_000;

  /** At most this many batches wait for their acknowledgements at once. */
  private static final int IN_FLIGHT = 8;

  /**
   * A batch goes out at most this often (a linger): each is flushed to get its acknowledgement, and
   * a batch for every millisecond's few events loaded the broker with small requests.
   */
  private static final long BATCH_INTERVAL_NANOS = Duration.ofMillis(20).toNanos();

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

  /** A batch handed to the publisher: its events' numbers, and when it was acknowledged. */
  private record Batch(long[] numbers, CompletableFuture<Long> acknowledged) {}

  /** An event held until the batches it follows are acknowledged. */
  private record Held(long number, BenchEvent event, List<CompletableFuture<Long>> after) {
    boolean ready() {
      return after.stream().allMatch(CompletableFuture::isDone);
    }
  }

  /**
   * Sends the events of {@code schedule} as they fall due, open loop: every {@link
   * #BATCH_INTERVAL_NANOS} the events due go out as one batch while earlier ones wait for their
   * acknowledgements (at most {@link #IN_FLIGHT}), so a slow acknowledgement delays its own events,
   * not the ones due after it. Causes still come first, as in life: an order waits until the batch
   * with its session's click is acknowledged, and a completion, cancellation, refund or withdrawal
   * request until every batch before it is (they follow events of their order or affiliate that may
   * be on other partitions, and a tick that read the end offsets between two acknowledgements would
   * order the later event first). Returns when the last acknowledgement came ({@link
   * System#nanoTime()}).
   */
  private static long send(
      LedgerUnderTest ledger,
      EventPublisher publisher,
      Clock clock,
      OpenLoopSchedule schedule,
      Iterator<Workload.Item> items,
      LongSamples lags,
      PrintWriter out) {
    ExecutorService senders =
        Executors.newFixedThreadPool(
            IN_FLIGHT,
            task -> {
              Thread thread = new Thread(task, "ledger-bench-live-publisher");
              thread.setDaemon(true);
              return thread;
            });
    try {
      Deque<Batch> inFlight = new ArrayDeque<>();
      Map<Long, CompletableFuture<Long>> clicks = new HashMap<>();
      List<Held> held = new ArrayList<>();
      long next = schedule.first();
      long acknowledged = schedule.startNanos();
      long lastBatch = Long.MIN_VALUE / 2;
      Progress progress = new Progress();
      while (next < schedule.end() || !held.isEmpty() || !inFlight.isEmpty()) {
        acknowledged = Math.max(acknowledged, reap(inFlight, clicks, schedule, lags));
        long now = System.nanoTime();
        if (now - lastBatch < BATCH_INTERVAL_NANOS) {
          LockSupport.parkNanos(lastBatch + BATCH_INTERVAL_NANOS - now);
          continue;
        }
        long due = Math.min(schedule.dueBy(now), next + MAX_BATCH);
        boolean released = !held.isEmpty() && held.get(0).ready();
        if (due <= next && !released) {
          if (next >= schedule.end() && !inFlight.isEmpty()) {
            inFlight.peekFirst().acknowledged().join();
          } else if (next < schedule.end()) {
            LockSupport.parkNanos(
                Math.min(
                    schedule.dueAt(next) - now, inFlight.isEmpty() ? Long.MAX_VALUE : 1_000_000L));
          } else {
            LockSupport.parkNanos(1_000_000L);
          }
          continue;
        }
        if (inFlight.size() >= IN_FLIGHT) {
          inFlight.peekFirst().acknowledged().join();
          continue;
        }
        Instant at = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        CompletableFuture<Long> acknowledgement = new CompletableFuture<>();
        long[] numbers = new long[(int) (due - next) + held.size()];
        List<String> lines = new ArrayList<>();
        int size = 0;
        while (!held.isEmpty() && held.get(0).ready()) {
          Held event = held.remove(0);
          numbers[size++] = event.number();
          lines.add(event.event().json(at));
        }
        for (long number = next; number < due; number++) {
          BenchEvent event = (BenchEvent) items.next();
          List<CompletableFuture<Long>> after = after(event, acknowledgement, inFlight, clicks);
          if (!after.isEmpty() || (event.kind() != Workload.Kind.CLICK && !held.isEmpty())) {
            held.add(new Held(number, event, after));
            continue;
          }
          if (event.kind() == Workload.Kind.CLICK) {
            clicks.put(event.session(), acknowledgement);
          }
          numbers[size++] = number;
          lines.add(event.json(at));
        }
        next = due;
        lastBatch = now;
        Batch sent = new Batch(Arrays.copyOf(numbers, size), acknowledgement);
        inFlight.add(sent);
        senders.execute(
            () -> {
              try {
                Report report = lines.isEmpty() ? null : publisher.publish(lines);
                if (report != null && !report.allAccepted()) {
                  throw new IllegalStateException(
                      "the publisher refused a live benchmark event: "
                          + report.rejected().get(0).reason());
                }
                sent.acknowledged().complete(System.nanoTime());
              } catch (RuntimeException e) {
                sent.acknowledged().completeExceptionally(e);
              }
            });
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
    } finally {
      senders.shutdownNow();
    }
  }

  /**
   * The acknowledgements {@code event} must wait for: none for a click; for an order, that of the
   * batch with its session's click if it has not come yet; for any other event (a completion, a
   * cancellation, a refund, a withdrawal request: they follow earlier events of their order or
   * affiliate, which may be on other partitions), every one that has not come yet, {@code
   * current}'s included.
   */
  private static List<CompletableFuture<Long>> after(
      BenchEvent event,
      CompletableFuture<Long> current,
      Deque<Batch> inFlight,
      Map<Long, CompletableFuture<Long>> clicks) {
    switch (event.kind()) {
      case CLICK:
        return List.of();
      case ORDER_PLACED:
        CompletableFuture<Long> click = clicks.get(event.session());
        return click == null || click.isDone() ? List.of() : List.of(click);
      default:
        List<CompletableFuture<Long>> all = new ArrayList<>();
        for (Batch batch : inFlight) {
          if (!batch.acknowledged().isDone()) {
            all.add(batch.acknowledged());
          }
        }
        all.add(current);
        return all;
    }
  }

  /**
   * Takes the acknowledged batches out of {@code inFlight}, records their events' delays, forgets
   * their clicks; returns the latest acknowledgement among them (0 if none).
   */
  private static long reap(
      Deque<Batch> inFlight,
      Map<Long, CompletableFuture<Long>> clicks,
      OpenLoopSchedule schedule,
      LongSamples lags) {
    long latest = 0;
    for (Iterator<Batch> it = inFlight.iterator(); it.hasNext(); ) {
      Batch batch = it.next();
      if (!batch.acknowledged().isDone()) {
        continue;
      }
      it.remove();
      long acked = batch.acknowledged().join();
      for (long number : batch.numbers()) {
        lags.add(acked - schedule.dueAt(number));
      }
      latest = Math.max(latest, acked);
    }
    if (latest > 0) {
      clicks.values().removeIf(CompletableFuture::isDone);
    }
    return latest;
  }
}
