package com.portals.ledger.domain.attribution;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Session-based attribution: an order belongs to the last click of its session at or before the
 * order's time, provided the session was still alive then (it lasts {@code ttl} after its last
 * click). Which product the click promoted does not matter: commission is on the final order.
 */
public final class Attribution {

  private Attribution() {}

  /**
   * The click an order placed at {@code orderTime} in a session with {@code sessionClicks} is
   * attributed to, or empty if the session had no click by then or its last click is older than
   * {@code ttl}.
   */
  public static Optional<Click> attribute(
      Collection<Click> sessionClicks, Instant orderTime, Duration ttl) {
    return sessionClicks.stream()
        .filter(click -> !click.occurredAt().isAfter(orderTime))
        .max(Click.CHRONOLOGICAL)
        .filter(last -> isAlive(last, orderTime, ttl));
  }

  /**
   * A click of a session, with the instant the ledger ordered it at (later than its own if late).
   */
  public record Candidate(Click click, Instant orderedAt) {}

  /**
   * The click of a session an order is attributed to, when the ledger orders the order at {@code
   * orderedAt} (its own time {@code orderTime}, or later if it came late): among the clicks the
   * ledger ordered at or before the order, and not more than twice the TTL before it, the last one
   * at or before the order's own time, if the session was still alive then.
   *
   * <p>The second bound keeps the answer independent of when the ledger forgets old clicks: it
   * forgets a click only once no order it can still receive could count it.
   */
  public static Optional<Click> attribute(
      Collection<Candidate> candidates, Instant orderTime, Instant orderedAt, Duration ttl) {
    Instant earliest = orderedAt.minus(ttl).minus(ttl);
    List<Click> counted = new ArrayList<>(candidates.size());
    for (Candidate candidate : candidates) {
      if (!candidate.orderedAt().isAfter(orderedAt) && !candidate.orderedAt().isBefore(earliest)) {
        counted.add(candidate.click());
      }
    }
    return attribute(counted, orderTime, ttl);
  }

  /** Whether a session whose last click is {@code last} is still alive at {@code at}. */
  public static boolean isAlive(Click last, Instant at, Duration ttl) {
    return Duration.between(last.occurredAt(), at).compareTo(ttl) <= 0;
  }
}
