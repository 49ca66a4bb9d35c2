package com.portals.ledger.streams.task;

import com.portals.ledger.avro.events.CommissionRateSet;
import com.portals.ledger.avro.events.OrderCancelled;
import com.portals.ledger.avro.events.OrderCompleted;
import com.portals.ledger.avro.events.OrderPlaced;
import com.portals.ledger.avro.events.OrderRefunded;
import com.portals.ledger.avro.internal.AttributionReply;
import com.portals.ledger.avro.internal.AttributionRequest;
import com.portals.ledger.avro.internal.Buffered;
import com.portals.ledger.avro.internal.OrderRecord;
import com.portals.ledger.avro.internal.Origin;
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
import com.portals.ledger.streams.stage.Events;
import com.portals.ledger.streams.stage.Rejections;
import com.portals.ledger.streams.state.WriteBackStore;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.utils.Bytes;

/**
 * The order lifecycle, for the orders of one partition: places orders (commission per line at the
 * category's rate as of the order's time, never below 8%) once their attribution is known, applies
 * completions, cancellations and refunds, releases orders still open 60 days after placement. A
 * lifecycle event that comes before its order is held and applied when the order is placed; one
 * whose order does not come within {@code ledger.orders.orphan-grace} is rejected ({@code
 * ORDER_NOT_FOUND}). Every event id applied to or rejected for an order is kept with it, so that a
 * duplicate is recognised whenever it comes.
 *
 * <p>A placed order with a session asks the attribution stage of its session (usually another
 * partition) for its click and waits, in order, for the answer: the drain stops there, and this
 * stage's orders frontier with it, until the answer is in.
 *
 * <p>Out: the order's state on {@code ledger.orders}, commission movements to the accounts stage of
 * the affiliate's partition, rejections. Stores: {@code ledger-orders}, rates in {@code
 * ledger-meta}, inputs in the buffer, releases and expiries in the schedule.
 */
final class Orders extends OrderedStage {

  static final int RELEASE = 0;
  static final int ORPHAN = 1;
  private static final String RATE = "orders/rate/";

  private final int partition;
  private final int partitions;
  private final LedgerRules rules;
  private final OrderLifecycle lifecycle;
  private final WriteBackStore<OrderRecord> orders;
  private final WriteBackStore<byte[]> meta;
  private final Map<String, TreeMap<Long, Integer>> rates = new HashMap<>();
  private final RateBook rateBook;
  private boolean answered;

  Orders(
      int partition,
      int partitions,
      LedgerRules rules,
      WriteBackStore<OrderRecord> orders,
      WriteBackStore<byte[]> meta,
      WriteBackStore<Buffered> buffer,
      Schedule schedule,
      Outbox outbox) {
    super(StoreKeys.ORDERS, buffer, schedule, outbox);
    this.partition = partition;
    this.partitions = partitions;
    this.rules = rules;
    this.lifecycle = new OrderLifecycle(rules);
    this.orders = orders;
    this.meta = meta;
    this.rateBook =
        (category, at) -> {
          TreeMap<Long, Integer> byTime = rates.get(category);
          Map.Entry<Long, Integer> rate =
              byTime == null ? null : byTime.floorEntry(at.toEpochMilli());
          return rate == null ? Optional.empty() : Optional.of(Rate.bps(rate.getValue()));
        };
  }

  /** Loads the rates known so far. */
  void init() {
    resetFloor();
    rates.clear();
    answered = false;
    Bytes prefix = StoreKeys.utf8(RATE);
    meta.scanPrefix(
        prefix,
        (key, value) -> {
          ByteBuffer buffer =
              ByteBuffer.wrap(
                  key.get(), prefix.get().length, key.get().length - prefix.get().length);
          byte[] category = new byte[buffer.getInt()];
          buffer.get(category);
          long from = buffer.getLong() ^ Long.MIN_VALUE;
          rates
              .computeIfAbsent(new String(category, StandardCharsets.UTF_8), c -> new TreeMap<>())
              .put(from, ByteBuffer.wrap(value).getInt());
        });
  }

  /**
   * A rate, kept by category and the instant it applies from: its effective time, or the instant
   * the ledger ordered it at if that is later (a rate that came after orders of its time were
   * priced applies from then on, in a replay too).
   */
  void rate(CommissionRateSet rate, long orderAt) {
    long from = Math.max(rate.getEffectiveFrom().toEpochMilli(), orderAt);
    byte[] category = rate.getCategory().getBytes(StandardCharsets.UTF_8);
    byte[] prefix = RATE.getBytes(StandardCharsets.UTF_8);
    meta.put(
        Bytes.wrap(
            ByteBuffer.allocate(prefix.length + 4 + category.length + 8)
                .put(prefix)
                .putInt(category.length)
                .put(category)
                .putLong(StoreKeys.encodeInstant(from))
                .array()),
        ByteBuffer.allocate(4).putInt(rate.getRateBps()).array());
    rates.computeIfAbsent(rate.getCategory(), c -> new TreeMap<>()).put(from, rate.getRateBps());
  }

  /** The rate set for {@code category} as of {@code at}, as pricing sees it. */
  Optional<Rate> rateOf(String category, Instant at) {
    return rateBook.rateAt(category, at);
  }

  /** An order event, to apply in order; a placed order with a session asks for its click. */
  void input(Origin origin, SpecificRecord event, long orderAt, byte[] seq) {
    boolean placement = event instanceof OrderPlaced;
    Bytes key =
        StoreKeys.input(StoreKeys.ORDERS, orderAt, placement ? 0 : 1, Events.idOf(event), seq);
    if (event instanceof OrderPlaced placed && placed.getSessionId() != null) {
      enqueue(key, new Buffered(origin, placed, false, null));
      outbox.handover(
          Outbox.partitionOf(placed.getSessionId(), partitions),
          orderAt,
          new AttributionRequest(
              placed.getOrderId(),
              placed.getSessionId(),
              placed.getOccurredAt(),
              partition,
              ByteBuffer.wrap(key.get())));
    } else {
      enqueue(key, new Buffered(origin, event, true, null));
    }
  }

  /** The answer to an attribution request: the waiting order can be placed. */
  void reply(AttributionReply reply) {
    Bytes key = Bytes.wrap(StoreKeys.bytes(reply.getRef()));
    Buffered waiting = buffer.get(key);
    if (waiting == null || waiting.getReady()) {
      return;
    }
    waiting.setClick(reply.getClick());
    waiting.setReady(true);
    buffer.put(key, waiting);
    answered |= key.equals(floor());
  }

  /** Whether the order the last drain stopped at has its answer now. */
  boolean answeredSinceDrain() {
    return answered;
  }

  @Override
  long drain(long limit) {
    answered = false;
    return super.drain(limit);
  }

  @Override
  protected boolean ready(Buffered input) {
    return input.getReady();
  }

  @Override
  protected void apply(Buffered input, long orderAt) {
    if (input.getBody() instanceof OrderPlaced placed) {
      place(input, placed, orderAt);
      return;
    }
    String orderId = Events.orderIdOf(input.getBody());
    String eventId = Events.idOf(input.getBody());
    Bytes key = StoreKeys.utf8(orderId);
    OrderRecord record = orders.get(key);
    if (record != null && knows(record, eventId)) {
      duplicate(input, eventId);
      return;
    }
    if (record == null || record.getState() == null) {
      hold(key, record, orderId, input);
      return;
    }
    applyLifecycle(record, input, orderAt);
    record.getEvents().add(eventId);
    orders.put(key, record);
  }

  private void place(Buffered input, OrderPlaced placed, long orderAt) {
    String orderId = placed.getOrderId();
    Bytes key = StoreKeys.utf8(orderId);
    OrderRecord record = orders.get(key);
    if (record != null && knows(record, placed.getEventId())) {
      duplicate(input, placed.getEventId());
      return;
    }
    if (record != null && record.getState() != null) {
      outbox.reject(
          input.getOrigin(),
          Rejections.ORDER_ALREADY_PLACED,
          "order " + orderId + " was already placed",
          placed.getEventId(),
          placed.getOccurredAt());
      record.getEvents().add(placed.getEventId());
      orders.put(key, record);
      return;
    }
    Outcome outcome =
        lifecycle.place(
            orderId,
            placed.getEventId(),
            placed.getOccurredAt(),
            Mapping.lines(placed),
            input.getClick() == null
                ? null
                : Mapping.click(input.getClick(), placed.getSessionId()),
            rateBook);
    List<String> events = record == null ? new ArrayList<>() : record.getEvents();
    events.add(placed.getEventId());
    List<Buffered> held = record == null ? List.of() : record.getHeld();
    OrderRecord placedRecord =
        new OrderRecord(Mapping.orderState(outcome.order(), placed), events, new ArrayList<>());
    save(placedRecord.getState(), outcome, placed.getOccurredAt(), orderAt);
    schedule.addNew(
        StoreKeys.ORDERS,
        outcome.order().releaseAt().toEpochMilli(),
        RELEASE,
        orderId,
        orderId.getBytes(StandardCharsets.UTF_8));
    for (Buffered early : held) {
      String earlyId = Events.idOf(early.getBody());
      schedule.remove(
          StoreKeys.ORDERS,
          Events.timeOf(early.getBody()).plus(rules.orphanGrace()).toEpochMilli(),
          ORPHAN,
          orphanId(orderId, earlyId));
      applyLifecycle(placedRecord, early, orderAt);
      placedRecord.getEvents().add(earlyId);
    }
    orders.put(key, placedRecord);
  }

  /** Applies a lifecycle event to a placed order (in {@code record}, which it updates). */
  private void applyLifecycle(OrderRecord record, Buffered input, long orderAt) {
    OrderState state = record.getState();
    Order order = Mapping.order(state);
    Object body = input.getBody();
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
      outbox.reject(
          input.getOrigin(),
          outcome.rejected().code(),
          outcome.rejected().message(),
          Events.idOf(body),
          at);
    }
    if (!outcome.order().equals(order)) {
      OrderState next =
          Mapping.orderState(
              outcome.order(), state.getPlacedEventId(), state.getSessionId(), state.getBuyerId());
      record.setState(next);
      save(next, outcome, at, orderAt);
      if (order.status() == OrderStatus.PENDING
          && outcome.order().status() != OrderStatus.PENDING) {
        schedule.remove(
            StoreKeys.ORDERS, order.releaseAt().toEpochMilli(), RELEASE, order.orderId());
      }
    }
  }

  private void hold(Bytes key, OrderRecord record, String orderId, Buffered input) {
    OrderRecord waiting =
        record != null ? record : new OrderRecord(null, new ArrayList<>(), new ArrayList<>());
    waiting.getHeld().add(input);
    orders.put(key, waiting);
    Object body = input.getBody();
    schedule.addNew(
        StoreKeys.ORDERS,
        Events.timeOf(body).plus(rules.orphanGrace()).toEpochMilli(),
        ORPHAN,
        orphanId(orderId, Events.idOf(body)),
        orderId.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  protected void act(Bytes key, byte[] payload, long at, int kind) {
    String orderId = new String(payload, StandardCharsets.UTF_8);
    Bytes orderKey = StoreKeys.utf8(orderId);
    OrderRecord record = orders.get(orderKey);
    if (record == null) {
      return;
    }
    if (kind == RELEASE) {
      release(orderKey, record, at);
    } else {
      String id = new String(key.get(), 10, key.get().length - 10, StandardCharsets.UTF_8);
      expireOrphan(orderKey, record, orderId, id.substring(orderId.length() + 1));
    }
  }

  private void release(Bytes key, OrderRecord record, long at) {
    OrderState state = record.getState();
    if (state == null) {
      return;
    }
    Order order = Mapping.order(state);
    Outcome outcome = lifecycle.release(order);
    if (!outcome.order().equals(order)) {
      OrderState next =
          Mapping.orderState(
              outcome.order(), state.getPlacedEventId(), state.getSessionId(), state.getBuyerId());
      record.setState(next);
      save(next, outcome, Instant.ofEpochMilli(at), at);
      orders.put(key, record);
    }
  }

  private void expireOrphan(Bytes key, OrderRecord record, String orderId, String eventId) {
    List<Buffered> remaining = new ArrayList<>();
    for (Buffered event : record.getHeld()) {
      if (Events.idOf(event.getBody()).equals(eventId)) {
        outbox.reject(
            event.getOrigin(),
            Rejections.ORDER_NOT_FOUND,
            "order " + orderId + " was not placed within " + rules.orphanGrace() + " of this event",
            eventId,
            Events.timeOf(event.getBody()));
        record.getEvents().add(eventId);
      } else {
        remaining.add(event);
      }
    }
    record.setHeld(remaining);
    orders.put(key, record);
  }

  /**
   * Publishes the order's state and sends its movements to the accounts of their affiliates, each
   * ordered at its effective time, or at the instant of its cause if that is later.
   */
  private void save(OrderState state, Outcome outcome, Instant at, long causeOrderAt) {
    outbox.output(Outbox.Output.ORDER_STATES, state.getOrderId(), state, at.toEpochMilli());
    for (CommissionMovement movement : outcome.movements()) {
      outbox.handover(
          Outbox.partitionOf(movement.affiliateId(), partitions),
          Math.max(movement.effectiveAt().toEpochMilli(), causeOrderAt),
          Mapping.movement(movement));
    }
  }

  private static boolean knows(OrderRecord record, String eventId) {
    if (record.getEvents().contains(eventId)) {
      return true;
    }
    for (Buffered held : record.getHeld()) {
      if (Events.idOf(held.getBody()).equals(eventId)) {
        return true;
      }
    }
    return false;
  }

  private void duplicate(Buffered input, String eventId) {
    outbox.reject(
        input.getOrigin(),
        Rejections.DUPLICATE_EVENT,
        "event " + eventId + " was already applied to its order",
        eventId,
        Events.timeOf(input.getBody()));
  }

  private static String orphanId(String orderId, String eventId) {
    return orderId + "\u0000" + eventId;
  }
}
