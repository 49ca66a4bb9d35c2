package com.portals.ledger.streams.task;

import com.portals.ledger.avro.events.ClickRecorded;
import com.portals.ledger.avro.internal.AttributionReply;
import com.portals.ledger.avro.internal.AttributionRequest;
import com.portals.ledger.avro.internal.Buffered;
import com.portals.ledger.avro.internal.Origin;
import com.portals.ledger.avro.internal.SessionClick;
import com.portals.ledger.avro.internal.SessionClicks;
import com.portals.ledger.avro.ledger.TrackedClick;
import com.portals.ledger.domain.attribution.Attribution.Candidate;
import com.portals.ledger.streams.mapping.Mapping;
import com.portals.ledger.streams.stage.Rejections;
import com.portals.ledger.streams.state.WriteBackStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;

/**
 * Attribution, for the sessions of one partition: stores clicks as they arrive (a session's clicks
 * are all on its partition of {@code portals.clicks}), and answers the orders stages' requests for
 * the click an order is attributed to, once the lowest intake frontier has passed the order's
 * ordering instant: by then every click the ledger orders before it has arrived, whichever
 * partition it came through, so the answer does not depend on timing.
 *
 * <p>A click counts for an order if the ledger ordered it at or before the order and at most twice
 * the session TTL before it (the domain then takes the last click of the session within the TTL of
 * the order's own time). A click is a duplicate if the session holds a click with the same event id
 * ordered within twice the TTL before it. Clicks ordered more than twice the TTL before the lowest
 * frontier any request or click can still come with are forgotten: no answer and no duplicate check
 * can look at them any more, so when that happens does not change any outcome.
 *
 * <p>Store: {@code ledger-sessions} (session id → its clicks); requests wait in the buffer.
 */
final class Attribution {

  private static final int SWEEP_MIN = 64;
  private static final int SWEEP_MAX = 4096;

  private final Duration ttl;
  private final long window;
  private final WriteBackStore<SessionClicks> sessions;
  private final WriteBackStore<Buffered> buffer;
  private final Outbox outbox;
  private Bytes floor = StoreKeys.stage(StoreKeys.ATTRIBUTION);
  private Bytes sweepCursor;
  private long clicksSinceSweep;
  private long duplicates;

  Attribution(
      Duration ttl,
      WriteBackStore<SessionClicks> sessions,
      WriteBackStore<Buffered> buffer,
      Outbox outbox) {
    this.ttl = ttl;
    this.window = 2 * ttl.toMillis();
    this.sessions = sessions;
    this.buffer = buffer;
    this.outbox = outbox;
  }

  void init() {
    floor = StoreKeys.stage(StoreKeys.ATTRIBUTION);
    sweepCursor = null;
    clicksSinceSweep = 0;
  }

  /**
   * A click, ordered at {@code orderAt}; {@code horizon}: clicks ordered before it may be
   * forgotten.
   */
  void click(Origin origin, ClickRecorded click, long orderAt, long horizon) {
    Bytes key = StoreKeys.utf8(click.getSessionId());
    SessionClicks session = sessions.get(key);
    List<SessionClick> clicks =
        session == null ? new ArrayList<>(2) : new ArrayList<>(session.getClicks());
    for (SessionClick known : clicks) {
      if (known.getOrderAt() >= orderAt - window
          && known.getClick().getEventId().equals(click.getEventId())) {
        duplicates++;
        outbox.reject(
            origin,
            Rejections.DUPLICATE_EVENT,
            "click event " + click.getEventId() + " was already applied",
            click.getEventId(),
            click.getOccurredAt());
        return;
      }
    }
    clicks.removeIf(known -> known.getOrderAt() < horizon);
    clicks.add(new SessionClick(click, orderAt));
    sessions.put(key, new SessionClicks(clicks));
    clicksSinceSweep++;
  }

  /** A request: answered at once if the frontier has passed it, else kept until it has. */
  void request(AttributionRequest request, long orderAt, long frontier) {
    if (orderAt < frontier) {
      answer(request, orderAt);
      return;
    }
    Bytes key = StoreKeys.attribution(orderAt, StoreKeys.bytes(request.getRef()));
    if (key.compareTo(floor) < 0) {
      floor = key;
    }
    buffer.putNew(key, new Buffered(null, request, true, null));
  }

  /** Answers every waiting request ordered before {@code frontier}. */
  void drain(long frontier) {
    Bytes to = StoreKeys.stageAt(StoreKeys.ATTRIBUTION, frontier);
    while (true) {
      List<WriteBackStore<Buffered>.Entry> due = buffer.list(floor, to, 1024);
      for (WriteBackStore<Buffered>.Entry entry : due) {
        buffer.delete(entry.key());
        answer((AttributionRequest) entry.value().getBody(), StoreKeys.orderAtOf(entry.key()));
      }
      if (due.size() < 1024) {
        floor = to;
        return;
      }
      floor = StoreKeys.successor(due.get(due.size() - 1).key());
    }
  }

  private void answer(AttributionRequest request, long orderAt) {
    SessionClicks session = sessions.get(StoreKeys.utf8(request.getSessionId()));
    List<Candidate> candidates = new ArrayList<>();
    if (session != null) {
      for (SessionClick known : session.getClicks()) {
        candidates.add(
            new Candidate(
                Mapping.click(known.getClick()),
                java.time.Instant.ofEpochMilli(known.getOrderAt())));
      }
    }
    TrackedClick click =
        com.portals.ledger.domain.attribution.Attribution.attribute(
                candidates, request.getPlacedAt(), java.time.Instant.ofEpochMilli(orderAt), ttl)
            .map(Mapping::tracked)
            .orElse(null);
    outbox.handover(request.getReplyTo(), orderAt, new AttributionReply(request.getRef(), click));
  }

  /**
   * Forgets, a few sessions at a time (about two per click stored since the last sweep; once per
   * commit), sessions whose every click was ordered before {@code horizon}.
   */
  void sweep(long horizon) {
    if (horizon == Frontiers.NONE || clicksSinceSweep == 0) {
      return;
    }
    int budget = (int) Math.max(SWEEP_MIN, Math.min(SWEEP_MAX, 2 * clicksSinceSweep));
    clicksSinceSweep = 0;
    Bytes from = sweepCursor == null ? Bytes.wrap(new byte[0]) : sweepCursor;
    List<WriteBackStore<SessionClicks>.Entry> seen =
        sessions.list(from, Bytes.wrap(new byte[] {(byte) 0xFF}), budget);
    for (WriteBackStore<SessionClicks>.Entry session : seen) {
      byte[] stored = session.stored();
      long last =
          stored != null ? SessionCodec.lastOrderedAt(stored) : lastOrderedAt(session.value());
      if (last < horizon) {
        sessions.delete(session.key());
      }
    }
    sweepCursor =
        seen.size() < budget ? null : StoreKeys.successor(seen.get(seen.size() - 1).key());
  }

  static long lastOrderedAt(SessionClicks session) {
    long last = Long.MIN_VALUE;
    for (SessionClick known : session.getClicks()) {
      last = Math.max(last, known.getOrderAt());
    }
    return last;
  }

  long duplicates() {
    return duplicates;
  }
}
