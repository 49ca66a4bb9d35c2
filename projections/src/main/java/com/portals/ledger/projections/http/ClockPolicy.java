package com.portals.ledger.projections.http;

import com.portals.ledger.avro.events.ClockTick;
import com.portals.ledger.projections.http.ApiTokens.Grant;
import com.portals.ledger.projections.http.ApiTokens.Role;
import com.portals.ledger.schemas.json.EventJson.Parsed;
import com.portals.ledger.schemas.publish.EventPublisher.Admission;
import com.portals.ledger.schemas.publish.EventPublisher.RejectedLine;
import com.portals.ledger.schemas.publish.EventPublisher.Report;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * Who may move the ledger's time through {@code POST /events}, and how far. A {@code ClockTick}
 * line is accepted from a {@code finance} token only ({@link #TICK_REQUIRES_FINANCE}); with the
 * system clock, a tick more than {@code maxAhead} ahead of this machine's clock is refused ({@link
 * #TICK_AHEAD_OF_CLOCK}). With the manual clock (historical data) and the simulator's own clock
 * there is no such bound.
 *
 * <p>These checks run here, at the entry point, and nowhere else: the ledger's processors never
 * read the wall clock, so that a replay gives the same journal. The policy also remembers the last
 * tick this instance let through, for {@code GET /finance/clock}.
 */
public final class ClockPolicy {

  /** Reason code: a tick posted with a token other than finance. */
  public static final String TICK_REQUIRES_FINANCE = "TICK_REQUIRES_FINANCE";

  /** Reason code: with the system clock, a tick too far ahead of this machine's clock. */
  public static final String TICK_AHEAD_OF_CLOCK = "TICK_AHEAD_OF_CLOCK";

  /** Where the ledger's time comes from. */
  public enum Mode {
    SYSTEM,
    MANUAL,
    SIMULATED;

    /** The name the API shows. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** A tick this instance published: the time it names and when it was posted. */
  public record AcceptedTick(Instant at, Instant postedAt) {}

  private final Mode mode;
  private final Clock machine;
  private final Duration maxAhead;
  private final AtomicReference<AcceptedTick> last = new AtomicReference<>();

  private ClockPolicy(Mode mode, Clock machine, Duration maxAhead) {
    this.mode = Objects.requireNonNull(mode, "mode");
    this.machine = Objects.requireNonNull(machine, "machine");
    this.maxAhead = maxAhead;
  }

  /** The system clock: ticks at most {@code maxAhead} ahead of {@code machine}. */
  public static ClockPolicy system(Clock machine, Duration maxAhead) {
    if (maxAhead.isNegative()) {
      throw new IllegalArgumentException("maxAhead must not be negative, got " + maxAhead);
    }
    return new ClockPolicy(Mode.SYSTEM, machine, maxAhead);
  }

  /** A clock moved by hand or by the simulator: any tick from finance is accepted. */
  public static ClockPolicy unbounded(Mode mode) {
    if (mode == Mode.SYSTEM) {
      throw new IllegalArgumentException("the system clock bounds ticks: use system(...)");
    }
    return new ClockPolicy(mode, Clock.systemUTC(), null);
  }

  public Mode mode() {
    return mode;
  }

  /** How far ahead of this machine's clock a tick may be; empty when unbounded. */
  public Optional<Duration> maxAhead() {
    return Optional.ofNullable(maxAhead);
  }

  /** The machine's time now. */
  public Instant machineTime() {
    return machine.instant();
  }

  /** The last tick this instance published, if any since it started. */
  public Optional<AcceptedTick> lastTick() {
    return Optional.ofNullable(last.get());
  }

  /** One {@code POST /events}: what it may publish, and the ticks it let through. */
  final class Posting implements Admission {
    private final Grant grant;
    private final Map<Long, Instant> ticks = new ConcurrentHashMap<>();

    private Posting(Grant grant) {
      this.grant = grant;
    }

    @Override
    public Optional<String> refusal(long line, Parsed event) {
      if (!(event.value() instanceof ClockTick tick)) {
        return Optional.empty();
      }
      if (grant.role() != Role.FINANCE) {
        return Optional.of(
            TICK_REQUIRES_FINANCE
                + ": a ClockTick line is accepted from a finance token only, not from "
                + grant.role().name().toLowerCase(Locale.ROOT));
      }
      Instant at = tick.getAt();
      if (maxAhead != null) {
        Instant now = machine.instant();
        if (at.isAfter(now.plus(maxAhead))) {
          return Optional.of(
              TICK_AHEAD_OF_CLOCK
                  + ": the tick at "
                  + at
                  + " is more than "
                  + maxAhead
                  + " ahead of this machine's clock ("
                  + now
                  + "); the system clock moves the ledger's time itself");
        }
      }
      ticks.put(line, at);
      return Optional.empty();
    }

    /** Remembers the last tick line that {@code report} says was published. */
    void published(Report report) {
      Set<Long> rejected =
          report.rejected().stream().map(RejectedLine::line).collect(Collectors.toSet());
      ticks.keySet().stream()
          .filter(line -> !rejected.contains(line))
          .max(Long::compare)
          .ifPresent(line -> last.set(new AcceptedTick(ticks.get(line), machine.instant())));
    }
  }

  /** A posting by {@code grant}. */
  Posting posting(Grant grant) {
    return new Posting(grant);
  }
}
