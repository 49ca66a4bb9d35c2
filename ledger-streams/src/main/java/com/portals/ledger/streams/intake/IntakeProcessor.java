package com.portals.ledger.streams.intake;

import com.portals.ledger.avro.events.ClickRecorded;
import com.portals.ledger.avro.events.ClockTick;
import com.portals.ledger.avro.events.CommissionRateSet;
import com.portals.ledger.avro.events.OrderEvent;
import com.portals.ledger.avro.events.OrderPlaced;
import com.portals.ledger.avro.events.PayoutCompleted;
import com.portals.ledger.avro.events.PayoutFailed;
import com.portals.ledger.avro.events.WithdrawalEvent;
import com.portals.ledger.avro.events.WithdrawalRequested;
import com.portals.ledger.avro.internal.AttributedOrder;
import com.portals.ledger.avro.internal.Origin;
import com.portals.ledger.avro.internal.StageMessage;
import com.portals.ledger.avro.internal.Watermark;
import com.portals.ledger.domain.money.Rate;
import com.portals.ledger.schemas.serde.LedgerSerdes;
import com.portals.ledger.schemas.topics.Topic;
import com.portals.ledger.schemas.topics.TopicNamespace;
import com.portals.ledger.schemas.topics.Topics;
import com.portals.ledger.schemas.validation.EventRules;
import com.portals.ledger.schemas.validation.Problem;
import com.portals.ledger.streams.stage.Events;
import com.portals.ledger.streams.stage.Rejections;
import com.portals.ledger.streams.stage.SeenEvents;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The first stage: reads partition {@code p} of every input topic and of {@code ledger.clock} as
 * raw bytes, and turns each record into a {@link StageMessage} for the stage that owns it, or into
 * a {@code Rejection} that says why not (undecodable bytes, unknown schema, empty value, invalid
 * event, duplicate rate). It decides nothing about money.
 *
 * <p>A clock tick becomes this task's watermark ({@code intake-p}), sent to every stage after the
 * records the tick comes after. Which records those are must not depend on how the consumer
 * happened to fetch its partitions, or a replay could place a record on the other side of a tick
 * than the live run did. So a tick names, per input topic, the end offset of its partition when it
 * was sent ({@code positions}), and intake keeps every valid input record ({@code intake-held})
 * until a tick it comes before is complete: once every record before the tick's positions has been
 * read, the held records below them are forwarded, in (topic, offset) order, then the watermark.
 * Ticks are released in the order of their instants; a tick not newer than the last one accepted is
 * ignored. A tick without positions (written before ticks had them) releases everything read so
 * far. Rejections are forwarded as soon as a record is read: they do not depend on time.
 *
 * <p>Stores: {@code intake-clock} (latest tick accepted; next offset read per input topic), {@code
 * intake-barriers} (ticks accepted, not released yet), {@code intake-held} (input records waiting
 * for their tick), {@code intake-seen-rates} (rate event ids, since rates are sent to every
 * partition and cannot be deduplicated downstream).
 */
public final class IntakeProcessor implements Processor<byte[], byte[], String, SpecificRecord> {

  public static final String CLOCK_STORE = "intake-clock";
  public static final String BARRIERS_STORE = "intake-barriers";
  public static final String HELD_STORE = "intake-held";
  public static final String SEEN_RATES_STORE = "intake-seen-rates";
  public static final String WATERMARK_KEY = "watermark";
  private static final String LAST_TICK = "last-tick";
  private static final String NEXT_OFFSET = "next:";

  private final Map<String, Topic<?>> inputs;
  private final String clockTopic;
  private final LedgerSerdes serdes;
  private final Map<TopicPartition, Long> inputEnd;
  private final NavigableMap<Long, ClockTick> pending = new TreeMap<>();
  private ProcessorContext<String, SpecificRecord> context;
  private KeyValueStore<String, Long> clock;
  private KeyValueStore<Long, ClockTick> barriers;
  private KeyValueStore<Bytes, StageMessage> held;
  private SeenEvents seenRates;

  /**
   * @param inputEnd exclusive end offset per input partition beyond which records are ignored (a
   *     replay of the history up to a point); empty for none
   */
  public IntakeProcessor(
      TopicNamespace namespace, LedgerSerdes serdes, Map<TopicPartition, Long> inputEnd) {
    this.inputs =
        Topics.inputs().stream().collect(Collectors.toMap(namespace::name, topic -> topic));
    this.clockTopic = namespace.name(Topics.CLOCK);
    this.serdes = serdes;
    this.inputEnd = inputEnd;
  }

  @Override
  public void init(ProcessorContext<String, SpecificRecord> context) {
    this.context = context;
    this.clock = context.getStateStore(CLOCK_STORE);
    this.barriers = context.getStateStore(BARRIERS_STORE);
    this.held = context.getStateStore(HELD_STORE);
    this.seenRates = new SeenEvents(context.getStateStore(SEEN_RATES_STORE));
    pending.clear();
    try (KeyValueIterator<Long, ClockTick> it = barriers.all()) {
      it.forEachRemaining(entry -> pending.put(entry.key, entry.value));
    }
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    RecordMetadata meta = context.recordMetadata().orElseThrow();
    Long end = inputEnd.get(new TopicPartition(meta.topic(), meta.partition()));
    if (end != null && meta.offset() >= end) {
      return;
    }
    Origin origin =
        Rejections.origin(
            meta.topic(), meta.partition(), meta.offset(), record.key(), record.value());
    if (!meta.topic().equals(clockTopic)) {
      clock.put(NEXT_OFFSET + meta.topic(), meta.offset() + 1);
    }
    SpecificRecord value = decode(origin, record.timestamp());
    if (value instanceof ClockTick tick) {
      accept(tick);
    } else if (value != null) {
      // Kept decoded, with its origin: released as it is, without reading it again.
      held.put(heldKey(meta.topic(), meta.offset()), message(origin, value));
    }
    releaseCompleteTicks();
  }

  /**
   * The record's value, decoded and valid (unwrapped from its envelope), or null after forwarding
   * the rejection that says why not.
   */
  private SpecificRecord decode(Origin origin, long timestamp) {
    String topicName = origin.getTopic();
    if (origin.getValue() == null) {
      reject(
          origin,
          Rejections.EMPTY_VALUE,
          "a record without a value on " + topicName,
          null,
          null,
          timestamp);
      return null;
    }
    SpecificRecord value;
    try {
      value =
          inputs
              .get(topicName)
              .valueSerde(serdes)
              .deserializer()
              .deserialize(topicName, bytes(origin.getValue()));
    } catch (SerializationException e) {
      String code =
          e.getMessage() != null && e.getMessage().startsWith("unknown writer schema")
              ? Rejections.UNKNOWN_SCHEMA
              : Rejections.UNDECODABLE;
      reject(origin, code, e.getMessage(), null, null, timestamp);
      return null;
    }
    if (value instanceof ClockTick) {
      return value;
    }
    List<Problem> problems = EventRules.problems(value);
    SpecificRecord event = unwrap(value);
    if (!problems.isEmpty()) {
      reject(
          origin,
          Rejections.INVALID_EVENT,
          problems.stream().map(Problem::message).collect(Collectors.joining("; ")),
          Events.idOf(event),
          Events.timeOf(event),
          timestamp);
      return null;
    }
    return event;
  }

  private void accept(ClockTick tick) {
    long at = tick.getAt().toEpochMilli();
    Long last = clock.get(LAST_TICK);
    if (last != null && at <= last) {
      return;
    }
    clock.put(LAST_TICK, at);
    pending.put(at, tick);
    barriers.put(at, tick);
  }

  /** Releases accepted ticks, oldest first, while every record before them has been read. */
  private void releaseCompleteTicks() {
    while (!pending.isEmpty()) {
      Map.Entry<Long, ClockTick> first = pending.firstEntry();
      ClockTick tick = first.getValue();
      if (!complete(tick)) {
        return;
      }
      pending.remove(first.getKey());
      barriers.delete(first.getKey());
      for (StageMessage input : takeHeldBefore(tick)) {
        route(input.getOrigin(), (SpecificRecord) input.getBody());
      }
      Watermark mark =
          Watermark.newBuilder()
              .setSource("intake-" + context.taskId().partition())
              .setAt(tick.getAt())
              .build();
      forward(WATERMARK_KEY, StageMessage.newBuilder().setBody(mark).build(), tick.getAt());
    }
  }

  /** Whether every record of this partition before the tick's positions has been read. */
  private boolean complete(ClockTick tick) {
    if (tick.getPositions() == null) {
      return true;
    }
    for (Map.Entry<String, Long> position : tick.getPositions().entrySet()) {
      if (!isHeldTopic(position.getKey())) {
        continue;
      }
      Long next = clock.get(NEXT_OFFSET + position.getKey());
      if ((next == null ? 0L : next) < position.getValue()) {
        return false;
      }
    }
    return true;
  }

  /** Removes and returns the held records the tick comes after, in (topic, offset) order. */
  private List<StageMessage> takeHeldBefore(ClockTick tick) {
    List<KeyValue<Bytes, StageMessage>> taken = new ArrayList<>();
    if (tick.getPositions() == null) {
      try (KeyValueIterator<Bytes, StageMessage> it = held.all()) {
        it.forEachRemaining(taken::add);
      }
    } else {
      for (Map.Entry<String, Long> position : new TreeMap<>(tick.getPositions()).entrySet()) {
        if (!isHeldTopic(position.getKey()) || position.getValue() <= 0) {
          continue;
        }
        try (KeyValueIterator<Bytes, StageMessage> it =
            held.range(
                heldKey(position.getKey(), 0),
                heldKey(position.getKey(), position.getValue() - 1))) {
          it.forEachRemaining(taken::add);
        }
      }
    }
    List<StageMessage> inputs = new ArrayList<>(taken.size());
    for (KeyValue<Bytes, StageMessage> entry : taken) {
      held.delete(entry.key);
      inputs.add(entry.value);
    }
    return inputs;
  }

  private boolean isHeldTopic(String topicName) {
    return inputs.containsKey(topicName) && !topicName.equals(clockTopic);
  }

  /** Topic name, a zero byte, the offset big-endian: held records sort by topic, then offset. */
  private static Bytes heldKey(String topicName, long offset) {
    byte[] name = topicName.getBytes(StandardCharsets.UTF_8);
    return Bytes.wrap(
        ByteBuffer.allocate(name.length + 1 + Long.BYTES)
            .put(name)
            .put((byte) 0)
            .putLong(offset)
            .array());
  }

  private static byte[] bytes(ByteBuffer buffer) {
    ByteBuffer copy = buffer.duplicate();
    byte[] bytes = new byte[copy.remaining()];
    copy.get(bytes);
    return bytes;
  }

  private void route(Origin origin, SpecificRecord event) {
    Instant time = Events.timeOf(event);
    if (event instanceof ClickRecorded click) {
      forward(click.getSessionId(), message(origin, click), time);
    } else if (event instanceof OrderPlaced placed) {
      if (placed.getSessionId() == null) {
        // No session, no click to look for: straight to the orders stage, unattributed.
        forward(
            placed.getOrderId(),
            message(origin, AttributedOrder.newBuilder().setPlaced(placed).setClick(null).build()),
            time);
      } else {
        forward(placed.getSessionId(), message(origin, placed), time);
      }
    } else if (event instanceof CommissionRateSet rate) {
      String first = seenRates.firstSeen(rate.getEventId(), origin);
      if (first != null) {
        reject(
            origin,
            Rejections.DUPLICATE_EVENT,
            "rate event " + rate.getEventId() + " was already applied (" + first + ")",
            rate.getEventId(),
            time,
            time.toEpochMilli());
        return;
      }
      if (rate.getRateBps() < Rate.MINIMUM.basisPoints()) {
        reject(
            origin,
            Rejections.RATE_BELOW_MINIMUM,
            "rate of "
                + rate.getRateBps()
                + " bps for category "
                + rate.getCategory()
                + " is below the programme's minimum: "
                + Rate.MINIMUM.basisPoints()
                + " bps applies",
            rate.getEventId(),
            time,
            time.toEpochMilli());
      }
      forward(rate.getCategory(), message(origin, rate), time);
    } else if (event instanceof WithdrawalRequested e) {
      forward(e.getAffiliateId(), message(origin, e), time);
    } else if (event instanceof PayoutCompleted e) {
      forward(e.getAffiliateId(), message(origin, e), time);
    } else if (event instanceof PayoutFailed e) {
      forward(e.getAffiliateId(), message(origin, e), time);
    } else {
      forward(Events.orderIdOf(event), message(origin, event), time);
    }
  }

  private static SpecificRecord unwrap(SpecificRecord value) {
    if (value instanceof OrderEvent envelope) {
      return (SpecificRecord) envelope.getEvent();
    }
    if (value instanceof WithdrawalEvent envelope) {
      return (SpecificRecord) envelope.getEvent();
    }
    return value;
  }

  private StageMessage message(Origin origin, SpecificRecord body) {
    return StageMessage.newBuilder()
        .setOrigin(origin)
        .setSource("intake-" + context.taskId().partition())
        .setBody(body)
        .build();
  }

  private void forward(String key, SpecificRecord value, Instant timestamp) {
    context.forward(new Record<>(key, value, timestamp.toEpochMilli()));
  }

  private void reject(
      Origin origin,
      String code,
      String message,
      String eventId,
      Instant eventTime,
      long timestamp) {
    context.forward(
        new Record<>(
            Rejections.keyOf(origin),
            (SpecificRecord) Rejections.of(origin, code, message, eventId, eventTime),
            timestamp));
  }
}
