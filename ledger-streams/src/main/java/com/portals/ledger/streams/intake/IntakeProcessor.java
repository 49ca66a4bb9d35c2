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
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The first stage: reads partition {@code p} of every input topic and of {@code ledger.clock} as
 * raw bytes, and turns each record into a {@link StageMessage} for the stage that owns it, or into
 * a {@code Rejection} that says why not (undecodable bytes, unknown schema, empty value, invalid
 * event, duplicate rate). It decides nothing about money.
 *
 * <p>A clock tick becomes this task's watermark ({@code intake-p}), sent to every stage: intake
 * forwards records in the order it reads them, so everything it read before the tick has been
 * forwarded before the watermark.
 *
 * <p>Stores: {@code intake-clock} (latest tick of this partition), {@code intake-seen-rates} (rate
 * event ids, since rates are sent to every partition and cannot be deduplicated downstream).
 */
public final class IntakeProcessor implements Processor<byte[], byte[], String, SpecificRecord> {

  public static final String CLOCK_STORE = "intake-clock";
  public static final String SEEN_RATES_STORE = "intake-seen-rates";
  public static final String WATERMARK_KEY = "watermark";
  private static final String LAST_TICK = "last-tick";

  private final Map<String, Topic<?>> inputs;
  private final LedgerSerdes serdes;
  private ProcessorContext<String, SpecificRecord> context;
  private KeyValueStore<String, Long> clock;
  private SeenEvents seenRates;

  public IntakeProcessor(TopicNamespace namespace, LedgerSerdes serdes) {
    this.inputs =
        Topics.inputs().stream().collect(Collectors.toMap(namespace::name, topic -> topic));
    this.serdes = serdes;
  }

  @Override
  public void init(ProcessorContext<String, SpecificRecord> context) {
    this.context = context;
    this.clock = context.getStateStore(CLOCK_STORE);
    this.seenRates = new SeenEvents(context.getStateStore(SEEN_RATES_STORE));
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    RecordMetadata meta = context.recordMetadata().orElseThrow();
    Origin origin =
        Rejections.origin(
            meta.topic(), meta.partition(), meta.offset(), record.key(), record.value());
    Topic<?> topic = inputs.get(meta.topic());
    if (record.value() == null) {
      reject(
          origin,
          Rejections.EMPTY_VALUE,
          "a record without a value on " + meta.topic(),
          null,
          null,
          record.timestamp());
      return;
    }
    SpecificRecord value;
    try {
      value = topic.valueSerde(serdes).deserializer().deserialize(meta.topic(), record.value());
    } catch (SerializationException e) {
      String code =
          e.getMessage() != null && e.getMessage().startsWith("unknown writer schema")
              ? Rejections.UNKNOWN_SCHEMA
              : Rejections.UNDECODABLE;
      reject(origin, code, e.getMessage(), null, null, record.timestamp());
      return;
    }
    if (value instanceof ClockTick tick) {
      onTick(tick);
      return;
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
          record.timestamp());
      return;
    }
    route(origin, event);
  }

  private void onTick(ClockTick tick) {
    Instant at = tick.getAt();
    Long last = clock.get(LAST_TICK);
    if (last != null && at.toEpochMilli() <= last) {
      return;
    }
    clock.put(LAST_TICK, at.toEpochMilli());
    Watermark mark =
        Watermark.newBuilder()
            .setSource("intake-" + context.taskId().partition())
            .setAt(at)
            .build();
    forward(WATERMARK_KEY, StageMessage.newBuilder().setBody(mark).build(), at);
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

  private static StageMessage message(Origin origin, SpecificRecord body) {
    return StageMessage.newBuilder().setOrigin(origin).setBody(body).build();
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
