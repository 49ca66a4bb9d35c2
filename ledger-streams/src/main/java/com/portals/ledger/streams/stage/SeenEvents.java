package com.portals.ledger.streams.stage;

import com.portals.ledger.avro.internal.Origin;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The event ids a stage has taken in, so that an upstream duplicate (the same eventId again) is
 * applied once and reported, not applied twice or dropped silently. Checked when an event arrives,
 * before it is buffered: two copies never meet in the buffer.
 */
public final class SeenEvents {

  private final KeyValueStore<String, String> store;

  public SeenEvents(KeyValueStore<String, String> store) {
    this.store = store;
  }

  /**
   * Records {@code eventId} as seen at {@code origin}; returns where it was first seen if it was
   * already, else null.
   */
  public String firstSeen(String eventId, Origin origin) {
    String first = store.get(eventId);
    if (first != null) {
      return first;
    }
    store.put(
        eventId,
        origin == null
            ? ""
            : origin.getTopic() + "/" + origin.getPartition() + "@" + origin.getOffset());
    return null;
  }
}
