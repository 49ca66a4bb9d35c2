package com.portals.ledger.projections.http;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Whether the ledger is ready: it applies events and the API can answer queries.
 *
 * @param up true once every component the ledger needs is running (Kafka Streams clients in state
 *     RUNNING, not rebalancing, not stopped)
 * @param details what each component reported
 * @param notReady when not up, which component is not ready and why, for people
 */
public record Health(boolean up, Map<String, Object> details, List<String> notReady) {

  public Health {
    details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
    notReady = List.copyOf(notReady);
  }

  /** Health with no reason given for being down. */
  public Health(boolean up, Map<String, Object> details) {
    this(up, details, List.of());
  }
}
