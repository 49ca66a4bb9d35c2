package com.portals.ledger.streams.attribution;

import com.portals.ledger.avro.events.ClickRecorded;
import com.portals.ledger.avro.events.OrderPlaced;
import com.portals.ledger.avro.internal.AttributedOrder;
import com.portals.ledger.avro.internal.StageMessage;
import com.portals.ledger.avro.ledger.TrackedClick;
import com.portals.ledger.domain.attribution.Attribution;
import com.portals.ledger.domain.attribution.Click;
import com.portals.ledger.streams.mapping.Mapping;
import com.portals.ledger.streams.stage.Due;
import com.portals.ledger.streams.stage.Events;
import com.portals.ledger.streams.stage.Keys;
import com.portals.ledger.streams.stage.ScheduleIndex;
import com.portals.ledger.streams.stage.SeenEvents;
import com.portals.ledger.streams.stage.WatermarkedStage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Attribution, partitioned by session: an order goes to the last click of its session at or before
 * the order's time, if the session was still alive then ({@code ledger.session.ttl} after its last
 * click). Clicks are stored as they arrive, by session and time; an order waits until the watermark
 * passes its time, so that every click before it has arrived whatever partition it came through,
 * and is then attributed as of its own time. Unattributed orders go on too: they earn nothing but
 * show in traffic reports.
 *
 * <p>Input: clicks and placed orders keyed by sessionId. Output: {@link AttributedOrder}s keyed by
 * orderId, and watermarks {@code attribution-<p>}. Stores: {@code attribution-clicks} (session,
 * time, click id), {@code attribution-click-expiry} (clicks by time, to forget those no order can
 * reach any more), {@code attribution-seen-events}, the buffer and watermarks.
 */
public final class AttributionProcessor extends WatermarkedStage {

  public static final String STAGE = "attribution";
  public static final String CLICKS_STORE = "attribution-clicks";
  public static final String EXPIRY_STORE = "attribution-click-expiry";
  public static final String SEEN_STORE = "attribution-seen-events";

  private final Duration ttl;
  private KeyValueStore<Bytes, ClickRecorded> clicks;
  private ScheduleIndex expiry;
  private SeenEvents seen;

  public AttributionProcessor(List<String> sources, Duration ttl) {
    super(STAGE, sources, true);
    this.ttl = ttl;
  }

  @Override
  protected void initStage() {
    clicks = context.getStateStore(CLICKS_STORE);
    expiry = new ScheduleIndex(context.getStateStore(EXPIRY_STORE));
    seen = new SeenEvents(context.getStateStore(SEEN_STORE));
  }

  @Override
  protected boolean applyOnArrival(StageMessage message, Instant orderAt) {
    Object body = message.getBody();
    if (rejectIfDuplicate(seen, message)) {
      return true;
    }
    if (body instanceof ClickRecorded click) {
      // A late click counts from when the ledger could order it (orderAt), live and in a replay.
      clicks.put(clickKey(click.getSessionId(), orderAt, click.getClickId()), click);
      expiry.add(
          orderAt,
          click.getSessionId() + "\u0000" + click.getClickId(),
          click.getSessionId().getBytes(StandardCharsets.UTF_8));
      return true;
    }
    return false;
  }

  @Override
  protected Instant timeOf(SpecificRecord body) {
    return Events.timeOf(body);
  }

  @Override
  protected int priorityOf(SpecificRecord body) {
    return 0;
  }

  @Override
  protected String idOf(SpecificRecord body) {
    return Events.idOf(body);
  }

  @Override
  protected void apply(StageMessage message, Instant orderAt) {
    OrderPlaced placed = (OrderPlaced) message.getBody();
    TrackedClick click =
        lastClick(placed.getSessionId(), placed.getOccurredAt(), orderAt)
            .map(Mapping::tracked)
            .orElse(null);
    AttributedOrder attributed =
        AttributedOrder.newBuilder().setPlaced(placed).setClick(click).build();
    emit(
        placed.getOrderId(),
        StageMessage.newBuilder().setOrigin(message.getOrigin()).setBody(attributed).build(),
        placed.getOccurredAt());
  }

  /**
   * The click the domain attributes an order at {@code at} to, reading only the session's clicks
   * alive then that the ledger knew of by {@code orderAt} (clicks are stored under the instant they
   * were ordered at, which is later than their own time only for clicks that came late).
   */
  private Optional<Click> lastClick(String sessionId, Instant at, Instant orderAt) {
    Bytes from = clickKey(sessionId, at.minus(ttl), "");
    Bytes to = Keys.afterPrefix(Keys.builder().string(sessionId).instant(orderAt).build());
    List<Click> candidates = new ArrayList<>();
    try (KeyValueIterator<Bytes, ClickRecorded> it = clicks.range(from, to)) {
      while (it.hasNext()) {
        var entry = it.next();
        if (entry.key.compareTo(to) < 0) {
          candidates.add(Mapping.click(entry.value));
        }
      }
    }
    return Attribution.attribute(candidates, at, ttl);
  }

  @Override
  protected void beginDrain() {
    expiry.resetCursor();
  }

  @Override
  protected Due nextDue(Instant limit) {
    return null;
  }

  /**
   * Forgets clicks no order can be attributed to any more: older than the session TTL before the
   * watermark (with one more TTL of slack for orders that arrive late).
   */
  @Override
  protected void afterAdvance(Instant watermark) {
    Instant horizon = watermark.minus(ttl).minus(ttl);
    for (ScheduleIndex.Entry due = expiry.firstDue(horizon);
        due != null;
        due = expiry.firstDue(horizon)) {
      String sessionId = new String(due.payload(), StandardCharsets.UTF_8);
      String clickId = due.id().substring(sessionId.length() + 1);
      clicks.delete(clickKey(sessionId, due.at(), clickId));
      expiry.take(due);
    }
  }

  private static Bytes clickKey(String sessionId, Instant at, String clickId) {
    return Keys.builder().string(sessionId).instant(at).tail(clickId).build();
  }
}
