package com.portals.ledger.streams.task;

import com.portals.ledger.avro.events.ClickRecorded;
import com.portals.ledger.avro.events.ClockTick;
import com.portals.ledger.avro.events.CommissionRateSet;
import com.portals.ledger.avro.events.OrderEvent;
import com.portals.ledger.avro.events.PayoutBatched;
import com.portals.ledger.avro.events.PayoutCompleted;
import com.portals.ledger.avro.events.PayoutFailed;
import com.portals.ledger.avro.events.WithdrawalEvent;
import com.portals.ledger.avro.events.WithdrawalRequested;
import com.portals.ledger.avro.internal.Buffered;
import com.portals.ledger.avro.internal.Origin;
import com.portals.ledger.avro.internal.Routed;
import com.portals.ledger.domain.money.Rate;
import com.portals.ledger.schemas.serde.AvroSerde;
import com.portals.ledger.schemas.serde.LedgerSerdes;
import com.portals.ledger.schemas.topics.Topic;
import com.portals.ledger.schemas.topics.TopicNamespace;
import com.portals.ledger.schemas.topics.Topics;
import com.portals.ledger.schemas.validation.EventRules;
import com.portals.ledger.schemas.validation.Problem;
import com.portals.ledger.streams.stage.Events;
import com.portals.ledger.streams.stage.Rejections;
import com.portals.ledger.streams.state.WriteBackStore;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.utils.Bytes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Intake of one partition: reads partition p of every input topic and of {@code ledger.clock} as
 * raw bytes, decodes and validates each record (or rejects it, at once: that does not depend on
 * time), and holds every valid event until a tick it comes before is complete.
 *
 * <p>Which side of a tick an event falls on must not depend on how the consumer happened to fetch
 * its partitions, or a replay could place it differently. So a tick names, per input topic, the end
 * offset of partition p when it was sent ({@code positions}); once every record before those
 * positions has been read, the held events below them are released, each with its ordering instant:
 * its own time, or the instant of the previous tick if it is older than that (an event published
 * after a tick that had passed it: late). Then the tick's instant becomes this task's intake
 * frontier. Ticks are released in the order of their instants; a tick not newer than the last one
 * accepted is ignored; a tick without positions (written before ticks had them) releases everything
 * read so far.
 *
 * <p>Held records of the input topics that keep every record (all but the compacted rates) are not
 * state: they are kept in memory, and only the offset from which each topic's records are still
 * held is written, with the offsets read, at each commit. After a restart or a move of the task,
 * and beyond {@code ledger.intake.held-in-memory} records of a topic, they are not kept but read
 * again from the topic when their tick releases them ({@link InputRereader}), together with as many
 * of the records after them as memory takes; their rejections, if any, were written the first time.
 * Held rates are kept in the buffer store.
 *
 * <p>A released event goes to the stage that owns it, on the partition of its session (clicks),
 * order (order events) or affiliate (withdrawals and payouts): the input topics are keyed so, so
 * that is normally this very task, and the event crosses no topic. Rates go to every partition.
 */
final class Intake implements Attribution.ClickLog {

  private static final Logger LOG = LoggerFactory.getLogger(Intake.class);

  /** Input topics by index, as {@link StoreKeys#held} and sequence numbers write them. */
  static final List<Topic<?>> HELD_TOPICS =
      List.of(Topics.CLICKS, Topics.ORDERS, Topics.COMMISSION_RATES, Topics.WITHDRAWALS);

  /** The index of the clicks topic in {@link #HELD_TOPICS}. */
  private static final int CLICKS = 0;

  private static final String LAST_TICK = "intake/last-tick";
  private static final String PENDING = "intake/pending/";
  private static final String NEXT = "intake/next/";
  private static final String HELD_FROM = "intake/held-from/";
  private static final String SEEN_RATE = "intake/seen-rate/";

  /** Where decoding reports a record it rejects. */
  private interface Rejector {
    void reject(Origin origin, String code, String message, String eventId, Instant eventTime);
  }

  /** For records read again: their rejections were written when they were first read. */
  private static final Rejector QUIET = (origin, code, message, eventId, eventTime) -> {};

  /** A held record kept in memory. */
  private record Held(long offset, Origin origin, SpecificRecord event) {}

  private final int partition;
  private final int partitions;
  private final Map<String, Integer> topicIndex = new HashMap<>();
  private final Map<String, AvroSerde<?>> decoders = new HashMap<>();
  private final String[] topicNames;
  private final String clockTopic;
  private final AvroSerde<ClockTick> tickSerde;
  private final Map<TopicPartition, Long> inputEnd;
  private final Frontiers frontiers;
  private final WriteBackStore<byte[]> meta;
  private final WriteBackStore<Buffered> buffer;
  private final Outbox outbox;
  private final Stages stages;

  private final NavigableMap<Long, ClockTick> pending = new TreeMap<>();
  private final long[] nextOffset = new long[HELD_TOPICS.size()];

  /** Per topic read again: the lowest offset whose record may still be held. */
  private final long[] heldFrom = new long[HELD_TOPICS.size()];

  /**
   * Per topic read again: the valid records of offsets [{@link #heldFrom}, memoryEnd) are in {@link
   * #memory}; those from memoryEnd to the next offset to read are read again when released.
   */
  private final long[] memoryEnd = new long[HELD_TOPICS.size()];

  private final List<ArrayDeque<Held>> memory = new ArrayList<>();

  private final boolean[] reread = new boolean[HELD_TOPICS.size()];
  private final InputRereader rereader;
  private final int memoryLimit;
  private long lastTick = Frontiers.NONE;
  private boolean offsetsChanged;

  /** The instant of the tick being released, or {@link Frontiers#NONE} outside a release. */
  private long releasing = Frontiers.NONE;

  /** Where released events go when they stay in this task. */
  interface Stages {
    /**
     * A click of this task's sessions, ordered at {@code orderAt}; {@code tickAt}: the instant of
     * the tick that released it.
     */
    void click(Origin origin, ClickRecorded click, long orderAt, long tickAt);

    /**
     * A tick at {@code tickAt} was released; every record of this partition of the clicks topic
     * before {@code clicksReleasedTo} has been released.
     */
    void released(long tickAt, long clicksReleasedTo);

    void orderEvent(Origin origin, SpecificRecord event, long orderAt);

    void rate(CommissionRateSet rate, long orderAt);

    void accountEvent(Origin origin, SpecificRecord event, long orderAt);
  }

  Intake(
      int partition,
      int partitions,
      TopicNamespace inputs,
      LedgerSerdes serdes,
      Map<TopicPartition, Long> inputEnd,
      Frontiers frontiers,
      WriteBackStore<byte[]> meta,
      WriteBackStore<Buffered> buffer,
      Outbox outbox,
      Stages stages,
      InputRereader rereader,
      int memoryLimit) {
    this.partition = partition;
    this.partitions = partitions;
    this.topicNames = new String[HELD_TOPICS.size()];
    for (int i = 0; i < HELD_TOPICS.size(); i++) {
      Topic<?> topic = HELD_TOPICS.get(i);
      String name = inputs.name(topic);
      topicNames[i] = name;
      topicIndex.put(name, i);
      decoders.put(name, serdes.serde(topic.valueType()));
      reread[i] = topic.cleanup() == Topic.Cleanup.RETAIN_ALL;
      memory.add(new ArrayDeque<>());
    }
    this.rereader = rereader;
    this.memoryLimit = memoryLimit;
    this.clockTopic = inputs.name(Topics.CLOCK);
    this.tickSerde = serdes.serde(ClockTick.class);
    this.inputEnd = inputEnd;
    this.frontiers = frontiers;
    this.meta = meta;
    this.buffer = buffer;
    this.outbox = outbox;
    this.stages = stages;
  }

  /** Loads the intake's state: the latest tick, ticks not released yet, offsets read. */
  void init() {
    pending.clear();
    byte[] last = meta.get(key(LAST_TICK));
    lastTick = last == null ? Frontiers.NONE : ByteBuffer.wrap(last).getLong();
    meta.scanPrefix(
        key(PENDING),
        (k, v) -> {
          ClockTick tick = tickSerde.deserialize(clockTopic, v);
          pending.put(tick.getAt().toEpochMilli(), tick);
        });
    for (int i = 0; i < topicNames.length; i++) {
      byte[] next = meta.get(key(NEXT + topicNames[i]));
      nextOffset[i] = next == null ? 0L : ByteBuffer.wrap(next).getLong();
      byte[] from = meta.get(key(HELD_FROM + topicNames[i]));
      heldFrom[i] = from == null ? nextOffset[i] : ByteBuffer.wrap(from).getLong();
      memory.get(i).clear();
      // What was held before the restart is read again when a tick releases it.
      memoryEnd[i] = heldFrom[i];
    }
    offsetsChanged = false;
  }

  /** Writes the offsets read so far (once per commit, not per record). */
  void beforeCommit() {
    if (offsetsChanged) {
      for (int i = 0; i < topicNames.length; i++) {
        meta.put(key(NEXT + topicNames[i]), longBytes(nextOffset[i]));
        if (reread[i]) {
          meta.put(key(HELD_FROM + topicNames[i]), longBytes(heldFrom[i]));
        }
      }
      offsetsChanged = false;
    }
  }

  /** One record of partition p of an input topic or the clock; true if a tick was released. */
  boolean onRecord(
      String topic, int recordPartition, long offset, byte[] key, byte[] value, long timestamp) {
    Long end = inputEnd.get(new TopicPartition(topic, recordPartition));
    if (end != null && offset >= end) {
      return false;
    }
    Origin origin = Rejections.origin(topic, recordPartition, offset, key, value);
    if (topic.equals(clockTopic)) {
      ClockTick tick = decodeTick(origin, timestamp);
      if (tick != null) {
        accept(tick);
      }
    } else {
      Integer index = topicIndex.get(topic);
      if (index == null) {
        return false;
      }
      boolean kept = memoryEnd[index] == nextOffset[index];
      nextOffset[index] = offset + 1;
      offsetsChanged = true;
      SpecificRecord event = decode(origin, topic, true);
      if (!reread[index]) {
        if (event != null && (!(event instanceof CommissionRateSet rate) || admit(origin, rate))) {
          buffer.putNew(StoreKeys.held(index, offset), new Buffered(origin, event, true, null));
        }
      } else if (kept && (event == null || memory.get(index).size() < memoryLimit)) {
        if (event != null) {
          memory.get(index).addLast(new Held(offset, origin, event));
        }
        memoryEnd[index] = offset + 1;
      }
    }
    return releaseCompleteTicks();
  }

  private ClockTick decodeTick(Origin origin, long timestamp) {
    if (origin.getValue() == null) {
      outbox.reject(
          origin, Rejections.EMPTY_VALUE, "a record without a value on " + clockTopic, null, null);
      return null;
    }
    ClockTick tick;
    try {
      tick = tickSerde.deserialize(clockTopic, bytes(origin.getValue()));
    } catch (SerializationException e) {
      outbox.reject(origin, codeOf(e), e.getMessage(), null, null);
      return null;
    }
    return valid(origin, tick, tick, outbox::reject) ? tick : null;
  }

  /**
   * The record's value, decoded and valid (unwrapped from its envelope), or null after rejecting it
   * with the reason.
   */
  private SpecificRecord decode(Origin origin, String topic, boolean report) {
    Rejector rejects = report ? outbox::reject : QUIET;
    if (origin.getValue() == null) {
      rejects.reject(
          origin, Rejections.EMPTY_VALUE, "a record without a value on " + topic, null, null);
      return null;
    }
    SpecificRecord value;
    try {
      value = (SpecificRecord) decoders.get(topic).deserialize(topic, bytes(origin.getValue()));
    } catch (SerializationException e) {
      rejects.reject(origin, codeOf(e), e.getMessage(), null, null);
      return null;
    }
    SpecificRecord event = unwrap(value);
    return valid(origin, value, event, rejects) ? event : null;
  }

  /** Whether {@code value} meets {@link EventRules}; if not, rejects it with the problems. */
  private static boolean valid(
      Origin origin, SpecificRecord value, SpecificRecord event, Rejector rejects) {
    List<Problem> problems = EventRules.problems(value);
    if (problems.isEmpty()) {
      return true;
    }
    boolean tick = event instanceof ClockTick;
    Instant time = tick ? null : Events.timeOf(event);
    // An instant out of range would become the rejection's record timestamp: leave it out.
    boolean timeInRange = time != null && EventRules.inRange(time);
    rejects.reject(
        origin,
        Rejections.INVALID_EVENT,
        problems.stream().map(Problem::message).collect(Collectors.joining("; ")),
        tick ? null : Events.idOf(event),
        timeInRange ? time : null);
    return false;
  }

  private static String codeOf(SerializationException e) {
    return e.getMessage() != null && e.getMessage().startsWith("unknown writer schema")
        ? Rejections.UNKNOWN_SCHEMA
        : Rejections.UNDECODABLE;
  }

  private void accept(ClockTick tick) {
    long at = tick.getAt().toEpochMilli();
    if (lastTick != Frontiers.NONE && at <= lastTick) {
      return;
    }
    lastTick = at;
    meta.put(key(LAST_TICK), longBytes(at));
    pending.put(at, tick);
    meta.putNew(pendingKey(at), tickSerde.serialize(clockTopic, tick));
  }

  /** Releases accepted ticks, oldest first, while every record before them has been read. */
  private boolean releaseCompleteTicks() {
    boolean released = false;
    while (!pending.isEmpty()) {
      Map.Entry<Long, ClockTick> first = pending.firstEntry();
      ClockTick tick = first.getValue();
      if (!complete(tick)) {
        break;
      }
      pending.remove(first.getKey());
      meta.delete(pendingKey(first.getKey()));
      long frontier = frontiers.ownIntake();
      releasing = first.getKey();
      for (int i = 0; i < topicNames.length; i++) {
        long upTo = positionOf(tick, i);
        if (upTo > 0) {
          release(i, upTo, frontier);
        }
      }
      releasing = Frontiers.NONE;
      frontiers.setOwnIntake(first.getKey());
      stages.released(first.getKey(), heldFrom[CLICKS]);
      released = true;
    }
    return released;
  }

  /** The position of topic {@code index} a tick comes after: everything read, if it names none. */
  private long positionOf(ClockTick tick, int index) {
    if (tick.getPositions() == null) {
      return Long.MAX_VALUE;
    }
    Long position = tick.getPositions().get(topicNames[index]);
    return position == null ? 0L : position;
  }

  /** Whether every record of this partition before the tick's positions has been read. */
  private boolean complete(ClockTick tick) {
    if (tick.getPositions() == null) {
      return true;
    }
    for (Map.Entry<String, Long> position : tick.getPositions().entrySet()) {
      Integer index = topicIndex.get(position.getKey());
      if (index != null && nextOffset[index] < position.getValue()) {
        return false;
      }
    }
    return true;
  }

  /** Sends on the held records of topic {@code index} below {@code upTo}, in offset order. */
  private void release(int index, long upTo, long frontier) {
    if (reread[index]) {
      long to = Math.min(upTo, nextOffset[index]);
      if (to <= heldFrom[index]) {
        return;
      }
      offsetsChanged = true;
      ArrayDeque<Held> held = memory.get(index);
      while (!held.isEmpty() && held.peekFirst().offset() < to) {
        Held next = held.pollFirst();
        routeHeld(next.origin(), next.event(), frontier);
      }
      if (memoryEnd[index] < to) {
        // Records not kept when read: read them again, and keep those after them while there is
        // room, so that the next releases find them in memory.
        LOG.debug(
            "intake of partition {}: reading {} from offset {} again",
            partition,
            topicNames[index],
            memoryEnd[index]);
        memoryEnd[index] =
            readAgain(
                index,
                memoryEnd[index],
                nextOffset[index],
                (origin, event) -> {
                  if (origin.getOffset() < to) {
                    routeHeld(origin, event, frontier);
                    return true;
                  }
                  if (held.size() < memoryLimit) {
                    held.addLast(new Held(origin.getOffset(), origin, event));
                    return true;
                  }
                  return false;
                });
      }
      heldFrom[index] = to;
      return;
    }
    Bytes from = StoreKeys.heldFrom(index, 0);
    Bytes to =
        upTo == Long.MAX_VALUE ? StoreKeys.heldFrom(index + 1, 0) : StoreKeys.held(index, upTo);
    while (true) {
      List<WriteBackStore<Buffered>.Entry> held = buffer.list(from, to, 1024);
      for (WriteBackStore<Buffered>.Entry entry : held) {
        buffer.delete(entry.key());
        Buffered value = entry.value();
        routeHeld(value.getOrigin(), (SpecificRecord) value.getBody(), frontier);
      }
      if (held.size() < 1024) {
        return;
      }
      from = StoreKeys.successor(held.get(held.size() - 1).key());
    }
  }

  /** What {@link #readAgain} does with a valid event; false to stop before it. */
  private interface Reread {
    boolean take(Origin origin, SpecificRecord event);
  }

  /**
   * Reads offsets {@code [from, to)} of topic {@code index} again, giving the valid events to
   * {@code each} until it declines one; returns the offset of that one, or {@code to}.
   */
  private long readAgain(int index, long from, long to, Reread each) {
    String topic = topicNames[index];
    return rereader.read(
        topic,
        partition,
        from,
        to,
        (offset, key, value) -> {
          Origin origin = Rejections.origin(topic, partition, offset, key, value);
          SpecificRecord event = decode(origin, topic, false);
          return event == null || each.take(origin, event);
        });
  }

  /** The name of the clicks topic this intake reads. */
  String clicksTopic() {
    return topicNames[CLICKS];
  }

  @Override
  public long clicksReleasedTo() {
    return heldFrom[CLICKS];
  }

  /** Quietly skips what intake rejected when it first read it. */
  @Override
  public void readClicksAgain(long from, long to, BiConsumer<Origin, ClickRecorded> each) {
    readAgain(
        CLICKS,
        from,
        to,
        (origin, event) -> {
          each.accept(origin, (ClickRecorded) event);
          return true;
        });
  }

  /** Sends on a released event, ordered at its own time or the frontier if that is later. */
  private void routeHeld(Origin origin, SpecificRecord event, long frontier) {
    long time = Events.timeOf(event).toEpochMilli();
    route(origin, event, Math.max(time, frontier));
  }

  private void route(Origin origin, SpecificRecord event, long orderAt) {
    if (event instanceof ClickRecorded click) {
      int owner = owner(click.getSessionId());
      if (owner == partition) {
        stages.click(origin, click, orderAt, releasing);
      } else {
        outbox.handover(owner, orderAt, new Routed(origin, click));
      }
    } else if (event instanceof CommissionRateSet rate) {
      routeRate(rate, orderAt);
    } else if (event instanceof WithdrawalRequested
        || event instanceof PayoutCompleted
        || event instanceof PayoutFailed
        || event instanceof PayoutBatched) {
      int owner = owner(Events.affiliateOf(event));
      if (owner == partition) {
        stages.accountEvent(origin, event, orderAt);
      } else {
        outbox.handover(owner, orderAt, new Routed(origin, event));
      }
    } else {
      int owner = owner(Events.orderIdOf(event));
      if (owner == partition) {
        stages.orderEvent(origin, event, orderAt);
      } else {
        outbox.handover(owner, orderAt, new Routed(origin, event));
      }
    }
  }

  /**
   * Checks a rate as it arrives, so that its sender hears at once, not when it takes effect: a rate
   * event applies once (a duplicate is rejected and not held), and one below the minimum is
   * reported (it applies as the minimum). False if it is not to be held.
   */
  private boolean admit(Origin origin, CommissionRateSet rate) {
    Instant time = rate.getEffectiveFrom();
    Bytes seenKey = key(SEEN_RATE + rate.getEventId());
    byte[] first = meta.get(seenKey);
    if (first != null) {
      outbox.reject(
          origin,
          Rejections.DUPLICATE_EVENT,
          "rate event "
              + rate.getEventId()
              + " was already received ("
              + new String(first, StandardCharsets.UTF_8)
              + ")",
          rate.getEventId(),
          time);
      return false;
    }
    meta.put(
        seenKey,
        (origin.getTopic() + "/" + origin.getPartition() + "@" + origin.getOffset())
            .getBytes(StandardCharsets.UTF_8));
    if (rate.getRateBps() < Rate.MINIMUM.basisPoints()) {
      outbox.reject(
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
          time);
    }
    return true;
  }

  /**
   * Rates are read on one partition but every orders task needs them: once released, a rate
   * (checked when it arrived, see {@link #admit}) is sent to every partition.
   */
  private void routeRate(CommissionRateSet rate, long orderAt) {
    for (int target = 0; target < partitions; target++) {
      if (target == partition) {
        stages.rate(rate, orderAt);
      } else {
        outbox.handover(target, orderAt, rate);
      }
    }
  }

  private int owner(String key) {
    return Outbox.partitionOf(key, partitions);
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

  private static byte[] bytes(ByteBuffer buffer) {
    if (buffer.hasArray() && buffer.arrayOffset() == 0 && buffer.position() == 0) {
      byte[] array = buffer.array();
      if (array.length == buffer.remaining()) {
        return array;
      }
    }
    ByteBuffer copy = buffer.duplicate();
    byte[] bytes = new byte[copy.remaining()];
    copy.get(bytes);
    return bytes;
  }

  private static Bytes key(String name) {
    return StoreKeys.utf8(name);
  }

  private static Bytes pendingKey(long at) {
    byte[] prefix = PENDING.getBytes(StandardCharsets.UTF_8);
    return Bytes.wrap(
        ByteBuffer.allocate(prefix.length + 8)
            .put(prefix)
            .putLong(StoreKeys.encodeInstant(at))
            .array());
  }

  static byte[] longBytes(long value) {
    return ByteBuffer.allocate(Long.BYTES).putLong(value).array();
  }

  /** Seq of an upstream record: where it was read. */
  static byte[] seqOf(Origin origin, Map<String, Integer> indexByTopic) {
    Integer index = indexByTopic.get(origin.getTopic());
    return StoreKeys.seq(index == null ? 255 : index, origin.getPartition(), origin.getOffset());
  }

  Map<String, Integer> topicIndex() {
    return topicIndex;
  }
}
