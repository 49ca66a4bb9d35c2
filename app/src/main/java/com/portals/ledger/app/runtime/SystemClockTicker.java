package com.portals.ledger.app.runtime;

import com.portals.ledger.schemas.publish.EventPublisher;
import com.portals.ledger.schemas.publish.EventPublisher.Report;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --clock system}: publishes a tick with the current time to every partition of {@code
 * ledger.clock} every interval. It reads the wall clock to say what time it is and decides nothing
 * else; the topologies act on the ticks. Ticks never go backwards, even if the wall clock does.
 */
public final class SystemClockTicker implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SystemClockTicker.class);

  private final EventPublisher publisher;
  private final Clock clock;
  private PeriodicTask task;
  private Instant last = Instant.EPOCH;

  private SystemClockTicker(EventPublisher publisher, Clock clock) {
    this.publisher = publisher;
    this.clock = clock;
  }

  /** Starts ticking every {@code interval}, the first tick at once. */
  public static SystemClockTicker start(EventPublisher publisher, Clock clock, Duration interval) {
    SystemClockTicker ticker = new SystemClockTicker(publisher, clock);
    ticker.task = PeriodicTask.start("ledger-clock-ticker", Duration.ZERO, interval, ticker::tick);
    return ticker;
  }

  private void tick() {
    try {
      Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
      if (now.isAfter(last)) {
        Report report = publisher.tick(now);
        if (report.allAccepted()) {
          last = now;
        } else {
          log.warn("tick at {} not published: {}", now, report.rejected().get(0).reason());
        }
      }
    } catch (RuntimeException e) {
      log.warn("tick not published: {}", e.toString());
    }
  }

  @Override
  public void close() {
    task.close();
  }
}
