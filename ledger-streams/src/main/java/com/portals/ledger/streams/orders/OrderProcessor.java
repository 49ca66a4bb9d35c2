package com.portals.ledger.streams.orders;

import com.portals.ledger.avro.events.CommissionRateSet;
import com.portals.ledger.avro.events.OrderCancelled;
import com.portals.ledger.avro.events.OrderCompleted;
import com.portals.ledger.avro.events.OrderPlaced;
import com.portals.ledger.avro.events.OrderRefunded;
import com.portals.ledger.avro.internal.AttributedOrder;
import com.portals.ledger.avro.internal.HeldEvents;
import com.portals.ledger.avro.internal.StageMessage;
import com.portals.ledger.avro.ledger.OrderState;
import com.portals.ledger.domain.money.Money;
import com.portals.ledger.domain.money.Rate;
import com.portals.ledger.domain.order.CommissionMovement;
import com.portals.ledger.domain.order.Order;
import com.portals.ledger.domain.order.OrderLifecycle;
import com.portals.ledger.domain.order.OrderLifecycle.Outcome;
import com.portals.ledger.domain.order.OrderStatus;
import com.portals.ledger.domain.order.RateBook;
import com.portals.ledger.domain.rules.LedgerRules;
import com.portals.ledger.streams.mapping.Mapping;
import com.portals.ledger.streams.stage.Due;
import com.portals.ledger.streams.stage.Events;
import com.portals.ledger.streams.stage.Keys;
import com.portals.ledger.streams.stage.Rejections;
import com.portals.ledger.streams.stage.ScheduleIndex;
import com.portals.ledger.streams.stage.SeenEvents;
import com.portals.ledger.streams.stage.WatermarkedStage;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The order lifecycle, partitioned by order: places attributed orders (commission per line at the
 * category's rate as of the order's time), applies completions, cancellations and refunds, and
 * releases orders still open 60 days after placement. A lifecycle event that arrives before its
 * order is held and applied when the order arrives; one whose order does not come within {@code
 * ledger.orders.orphan-grace} is rejected ({@code ORDER_NOT_FOUND}). Nothing is dropped.
 *
 * <p>Rates reach every partition and are stored by category and effective time as they arrive;
 * orders wait for the watermark to pass them, so every rate effective before an order is known when
 * it is priced.
 *
 * <p>Input: attributed orders and lifecycle events keyed by orderId, rates. Output: commission
 * {@code Movement}s keyed by affiliateId for the accounts stage, the order's state for {@code
 * ledger.orders}, rejections, watermarks {@code orders-<p>}. Stores: {@code orders-orders}, {@code
 * orders-held}, {@code orders-rates}, {@code orders-release-index} (by release instant), {@code
 * orders-orphan-index}, {@code orders-seen-events}, the buffer and watermarks.
 */
public final class OrderProcessor extends WatermarkedStage {

  public static final String STAGE = "orders";
  public static final String ORDERS_STORE = "orders-orders";
  public static final String HELD_STORE = "orders-held";
  public static final String RATES_STORE = "orders-rates";
  public static final String RELEASE_INDEX = "orders-release-index";
  public static final String ORPHAN_INDEX = "orders-orphan-index";
  public static final String SEEN_STORE = "orders-seen-events";

  private final LedgerRules rules;
  private final OrderLifecycle lifecycle;
  private KeyValueStore<String, OrderState> orders;
  private KeyValueStore<String, HeldEvents> held;
  private KeyValueStore<Bytes, CommissionRateSet> rates;
  private ScheduleIndex releases;
  private ScheduleIndex orphans;
  private SeenEvents seen;

  public OrderProcessor(List<String> sources, LedgerRules rules) {
    super(STAGE, sources, true);
    this.rules = rules;
    this.lifecycle = new OrderLifecycle(rules);
  }

  @Override
  protected void initStage() {
    orders = context.getStateStore(ORDERS_STORE);
    held = context.getStateStore(HELD_STORE);
    rates = context.getStateStore(RATES_STORE);
    releases = new ScheduleIndex(context.getStateStore(RELEASE_INDEX));
    orphans = new ScheduleIndex(context.getStateStore(ORPHAN_INDEX));
    seen = new SeenEvents(context.getStateStore(SEEN_STORE));
  }

  @Override
  protected boolean applyOnArrival(StageMessage message, Instant orderAt) {
    Object body = message.getBody();
    if (body instanceof CommissionRateSet rate) {
      // A rate that arrives after orders of its effective time were priced applies from orderAt.
      Instant from = rate.getEffectiveFrom().isBefore(orderAt) ? orderAt : rate.getEffectiveFrom();
      rates.put(rateKey(rate.getCategory(), from), rate);
      return true;
    }
    return rejectIfDuplicate(seen, message);
  }

  @Override
  protected Instant timeOf(SpecificRecord body) {
    return Events.timeOf(body);
  }

  /** Placement before any other event of the same instant. */
  @Override
  protected int priorityOf(SpecificRecord body) {
    return body instanceof AttributedOrder ? 0 : 1;
  }

  @Override
  protected String idOf(SpecificRecord body) {
    return Events.idOf(body);
  }

  @Override
  protected void apply(StageMessage message, Instant orderAt) {
    if (message.getBody() instanceof AttributedOrder attributed) {
      place(message, attributed);
      return;
    }
    String orderId = Events.orderIdOf(message.getBody());
    OrderState state = orders.get(orderId);
    if (state == null) {
      hold(orderId, message);
    } else {
      applyLifecycle(state, message);
    }
  }

  private void place(StageMessage message, AttributedOrder attributed) {
    OrderPlaced placed = attributed.getPlaced();
    if (orders.get(placed.getOrderId()) != null) {
      reject(
          message,
          Rejections.ORDER_ALREADY_PLACED,
          "order " + placed.getOrderId() + " was already placed");
      return;
    }
    Outcome outcome =
        lifecycle.place(
            placed.getOrderId(),
            placed.getEventId(),
            placed.getOccurredAt(),
            Mapping.lines(placed),
            attributed.getClick() == null
                ? null
                : Mapping.click(attributed.getClick(), placed.getSessionId()),
            rateBook());
    OrderState state = Mapping.orderState(outcome.order(), placed);
    save(state, message, outcome, placed.getOccurredAt());
    releases.add(
        outcome.order().releaseAt(),
        placed.getOrderId(),
        placed.getOrderId().getBytes(StandardCharsets.UTF_8));
    HeldEvents waiting = held.get(placed.getOrderId());
    if (waiting != null) {
      held.delete(placed.getOrderId());
      for (StageMessage early : waiting.getEvents()) {
        orphans.remove(
            Events.timeOf(early.getBody()).plus(rules.orphanGrace()),
            orphanId(placed.getOrderId(), Events.idOf(early.getBody())));
        applyLifecycle(orders.get(placed.getOrderId()), early);
      }
    }
  }

  private void applyLifecycle(OrderState state, StageMessage message) {
    Order order = Mapping.order(state);
    Object body = message.getBody();
    Instant at = Events.timeOf(body);
    Outcome outcome;
    if (body instanceof OrderCompleted e) {
      outcome = lifecycle.complete(order, e.getEventId(), at);
    } else if (body instanceof OrderCancelled e) {
      outcome = lifecycle.cancel(order, e.getEventId(), at);
    } else {
      OrderRefunded e = (OrderRefunded) body;
      outcome = lifecycle.refund(order, e.getEventId(), Money.cents(e.getRefundCents()), at);
    }
    if (outcome.isRejected()) {
      reject(message, outcome.rejected().code(), outcome.rejected().message());
    }
    if (!outcome.order().equals(order)) {
      OrderState next =
          Mapping.orderState(
              outcome.order(), state.getPlacedEventId(), state.getSessionId(), state.getBuyerId());
      save(next, message, outcome, at);
      if (order.status() == OrderStatus.PENDING
          && outcome.order().status() != OrderStatus.PENDING) {
        releases.remove(order.releaseAt(), order.orderId());
      }
    }
  }

  private void hold(String orderId, StageMessage message) {
    HeldEvents waiting = held.get(orderId);
    List<StageMessage> events =
        waiting == null ? new ArrayList<>() : new ArrayList<>(waiting.getEvents());
    events.add(message);
    held.put(orderId, HeldEvents.newBuilder().setEvents(events).build());
    Object body = message.getBody();
    orphans.add(
        Events.timeOf(body).plus(rules.orphanGrace()),
        orphanId(orderId, Events.idOf(body)),
        orderId.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  protected void beginDrain() {
    releases.resetCursor();
    orphans.resetCursor();
  }

  @Override
  protected Due nextDue(Instant limit) {
    ScheduleIndex.Entry dueRelease = releases.firstDue(limit);
    ScheduleIndex.Entry dueOrphan = orphans.firstDue(limit);
    if (dueRelease != null && (dueOrphan == null || !dueRelease.at().isAfter(dueOrphan.at()))) {
      return new Due(dueRelease.at(), () -> release(dueRelease));
    }
    if (dueOrphan != null) {
      return new Due(dueOrphan.at(), () -> expireOrphan(dueOrphan));
    }
    return null;
  }

  private void release(ScheduleIndex.Entry due) {
    releases.take(due);
    OrderState state = orders.get(due.id());
    if (state == null) {
      return;
    }
    Outcome outcome = lifecycle.release(Mapping.order(state));
    if (!outcome.order().equals(Mapping.order(state))) {
      save(
          Mapping.orderState(
              outcome.order(), state.getPlacedEventId(), state.getSessionId(), state.getBuyerId()),
          null,
          outcome,
          due.at());
    }
  }

  private void expireOrphan(ScheduleIndex.Entry due) {
    orphans.take(due);
    String orderId = new String(due.payload(), StandardCharsets.UTF_8);
    String eventId = due.id().substring(orderId.length() + 1);
    HeldEvents waiting = held.get(orderId);
    if (waiting == null) {
      return;
    }
    List<StageMessage> remaining = new ArrayList<>();
    for (StageMessage event : waiting.getEvents()) {
      if (Events.idOf(event.getBody()).equals(eventId)) {
        reject(
            event,
            Rejections.ORDER_NOT_FOUND,
            "order "
                + orderId
                + " was not placed within "
                + rules.orphanGrace()
                + " of this event");
      } else {
        remaining.add(event);
      }
    }
    if (remaining.isEmpty()) {
      held.delete(orderId);
    } else {
      held.put(orderId, HeldEvents.newBuilder().setEvents(remaining).build());
    }
  }

  private void save(OrderState state, StageMessage cause, Outcome outcome, Instant at) {
    orders.put(state.getOrderId(), state);
    emit(state.getOrderId(), state, at);
    for (CommissionMovement movement : outcome.movements()) {
      emit(
          movement.affiliateId(),
          StageMessage.newBuilder()
              .setOrigin(cause == null ? null : cause.getOrigin())
              .setBody(Mapping.movement(movement))
              .build(),
          movement.effectiveAt());
    }
  }

  /** Rates as set for a category, read from the store as of an instant. */
  private RateBook rateBook() {
    return (category, at) -> {
      Bytes from = Keys.builder().string(category).build();
      Bytes to = rateKey(category, at);
      try (KeyValueIterator<Bytes, CommissionRateSet> it = rates.reverseRange(from, to)) {
        return it.hasNext()
            ? Optional.of(Rate.bps(it.next().value.getRateBps()))
            : Optional.empty();
      }
    };
  }

  private static Bytes rateKey(String category, Instant effectiveFrom) {
    return Keys.builder().string(category).instant(effectiveFrom).build();
  }

  private static String orphanId(String orderId, String eventId) {
    return orderId + "\u0000" + eventId;
  }
}
