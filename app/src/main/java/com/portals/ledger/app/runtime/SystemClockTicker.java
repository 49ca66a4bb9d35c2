package com.portals.ledger.app.runtime;

import com.portals.ledger.schemas.publish.EventPublisher;
import com.portals.ledger.schemas.publish.EventPublisher.Report;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --clock system}: every interval, reads where the input topics end (read-committed), and
 * publishes a tick with the current time to every partition of {@code ledger.clock}, with those
 * ends as its positions, if something arrived since its last tick (an input partition ends past
 * that tick's position), or as a heartbeat once the idle interval has passed since its last tick,
 * so that scheduled actions (releases, balance postings) still happen in a quiet ledger. The first
 * tick goes out at start. While nothing arrives it looks less and less often, twice as long after
 * each look that found nothing, up to {@link #QUIET_LOOK_MAX}; the first look that finds something
 * goes back to every interval. An idle ledger thus gets one tick per idle interval and one look a
 * second, and an event is ticked past within about one interval while input flows, within a second
 * after a quiet spell.
 *
 * <p>It reads the wall clock to say what time it is; the topologies act on the ticks. Ticks never
 * go backwards, even if the wall clock does. A tick that fails is tried again at the next interval.
 */
public final class SystemClockTicker implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SystemClockTicker.class);

  /** The longest wait between two looks at the input topics while nothing arrives. */
  public static final Duration QUIET_LOOK_MAX = Duration.ofSeconds(1);

  private final EventPublisher publisher;
  private final Clock clock;
  private final Duration idleInterval;
  private final Duration interval;
  private Duration quietWait;
  private Instant nextLook = Instant.EPOCH;
  private PeriodicTask task;
  private Instant last = Instant.EPOCH;
  private Map<TopicPartition, Long> lastPositions = Map.of();
  private boolean failing;

  private SystemClockTicker(
      EventPublisher publisher, Clock clock, Duration interval, Duration idleInterval) {
    this.publisher = publisher;
    this.clock = clock;
    this.interval = interval;
    this.quietWait = interval;
    this.idleInterval = idleInterval;
  }

  /**
   * Starts looking every {@code interval}, the first tick at once; a tick at least every {@code
   * idleInterval}.
   */
  public static SystemClockTicker start(
      EventPublisher publisher, Clock clock, Duration interval, Duration idleInterval) {
    SystemClockTicker ticker = new SystemClockTicker(publisher, clock, interval, idleInterval);
    ticker.task = PeriodicTask.start("ledger-clock-ticker", Duration.ZERO, interval, ticker::tick);
    return ticker;
  }

  private void tick() {
    try {
      Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
      boolean heartbeatDue = !now.isBefore(last.plus(idleInterval));
      if (now.isBefore(nextLook) && !heartbeatDue) {
        return;
      }
      Map<TopicPartition, Long> ends = publisher.inputEnds();
      boolean arrived = arrived(ends);
      quietWait = arrived ? interval : min(quietWait.multipliedBy(2), QUIET_LOOK_MAX);
      nextLook = now.plus(quietWait).minus(interval.dividedBy(2));
      if (now.isAfter(last) && (arrived || heartbeatDue)) {
        Report report = publisher.tick(now, ends);
        if (!report.allAccepted()) {
          failed("tick at " + now + " not published: " + report.rejected().get(0).reason());
          return;
        }
        last = now;
        lastPositions = ends;
      }
      if (failing) {
        failing = false;
        log.info("ticks published again");
      }
    } catch (RuntimeException e) {
      failed("tick not published: " + e);
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /** Whether some input partition ends past the position of the last tick. */
  private boolean arrived(Map<TopicPartition, Long> ends) {
    return ends.entrySet().stream()
        .anyMatch(end -> end.getValue() > lastPositions.getOrDefault(end.getKey(), 0L));
  }

  /** Logs the first failure of a run of them (the ticker tries again every interval). */
  private void failed(String message) {
    if (failing) {
      log.debug("{}", message);
    } else {
      failing = true;
      log.warn("{} (trying again every interval)", message);
    }
  }

  @Override
  public void close() {
    task.close();
  }
}
