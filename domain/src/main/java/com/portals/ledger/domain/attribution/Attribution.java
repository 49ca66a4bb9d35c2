package com.portals.ledger.domain.attribution;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
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

  /** Whether a session whose last click is {@code last} is still alive at {@code at}. */
  public static boolean isAlive(Click last, Instant at, Duration ttl) {
    return Duration.between(last.occurredAt(), at).compareTo(ttl) <= 0;
  }
}
