package com.portals.ledger.streams.stage;

import com.portals.ledger.avro.internal.StageMessage;
import com.portals.ledger.avro.internal.Watermark;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stage of the write side that applies its inputs in event-time order, driven by watermarks, so
 * that what it decides does not depend on how Kafka happened to interleave its input partitions
 * (DESIGN.md principle 3).
 *
 * <p>Every upstream task sends a {@link Watermark} to every partition of this stage once it has
 * forwarded everything that happened before the watermark's instant. This stage's watermark is the
 * lowest of its expected sources'. Inputs wait in a buffer store keyed by (time, priority, id) and
 * are applied, together with the stage's scheduled actions ({@link #nextDue}), in that order as the
 * watermark passes them: an input at {@code t} once the watermark is past {@code t}, an action at
 * {@code t} once the watermark reaches {@code t} (so an action runs before the inputs of its own
 * instant). Whether the watermark advances in small steps (live) or in one leap (a replay), the
 * same inputs are applied in the same order.
 *
 * <p>An input older than the latest watermark of the source that sent it ("late": its upstream
 * broke the promise of a tick) is ordered as of that watermark instead of its own time: where it
 * stands in its source's stream is fixed, so a replay orders it the same way; the ledger counts it.
 * An input from an unnamed source (written before messages named theirs) that is older than the
 * stage's watermark is applied at once.
 *
 * <p>Stores: {@code <stage>-buffer} (pending inputs), {@code <stage>-watermarks} (latest watermark
 * per source), plus the subclass's own.
 */
public abstract class WatermarkedStage
    implements Processor<String, StageMessage, String, SpecificRecord> {

  private static final Logger log = LoggerFactory.getLogger(WatermarkedStage.class);
  private static final String WATERMARK_KEY = "watermark";

  private final String stage;
  private final List<String> expectedSources;
  private final boolean forwardsWatermarks;
  private final Map<String, Instant> sourceMarks = new HashMap<>();
  private KeyValueStore<Bytes, StageMessage> buffer;
  private KeyValueStore<String, Long> watermarks;
  private Instant watermark;
  private long lateInputs;
  protected ProcessorContext<String, SpecificRecord> context;

  /**
   * @param stage the stage's name; stores are named after it, its watermarks are {@code
   *     <stage>-<partition>}
   * @param expectedSources the watermark sources upstream of this stage
   * @param forwardsWatermarks whether a stage downstream needs this stage's watermark
   */
  protected WatermarkedStage(
      String stage, List<String> expectedSources, boolean forwardsWatermarks) {
    this.stage = stage;
    this.expectedSources = List.copyOf(expectedSources);
    this.forwardsWatermarks = forwardsWatermarks;
  }

  /** Store name of the buffer of {@code stage}. */
  public static String bufferStore(String stage) {
    return stage + "-buffer";
  }

  /** Store name of the watermarks of {@code stage}. */
  public static String watermarkStore(String stage) {
    return stage + "-watermarks";
  }

  /** The watermark sources of {@code stage} with {@code partitions} tasks. */
  public static List<String> sources(String stage, int partitions) {
    return java.util.stream.IntStream.range(0, partitions).mapToObj(p -> stage + "-" + p).toList();
  }

  @Override
  public void init(ProcessorContext<String, SpecificRecord> context) {
    this.context = context;
    this.buffer = context.getStateStore(bufferStore(stage));
    this.watermarks = context.getStateStore(watermarkStore(stage));
    try (KeyValueIterator<String, Long> it = watermarks.all()) {
      while (it.hasNext()) {
        KeyValue<String, Long> entry = it.next();
        sourceMarks.put(entry.key, Instant.ofEpochMilli(entry.value));
      }
    }
    watermark = lowestMark();
    initStage();
  }

  /** Opens the subclass's stores. */
  protected abstract void initStage();

  @Override
  public final void process(Record<String, StageMessage> record) {
    StageMessage message = record.value();
    if (message.getBody() instanceof Watermark mark) {
      onWatermark(mark);
      return;
    }
    SpecificRecord body = (SpecificRecord) message.getBody();
    Instant time = timeOf(body);
    Instant sourceMark = message.getSource() == null ? null : sourceMarks.get(message.getSource());
    Instant orderAt = time;
    if (sourceMark != null && time.isBefore(sourceMark)) {
      orderAt = sourceMark;
      lateInputs++;
      log.debug(
          "{}: input at {} arrived after watermark {} of {}",
          stage,
          time,
          sourceMark,
          message.getSource());
    }
    if (applyOnArrival(message, orderAt)) {
      return;
    }
    if (message.getSource() == null && watermark != null && time.isBefore(watermark)) {
      lateInputs++;
      log.debug("{}: input at {} arrived after watermark {}", stage, time, watermark);
      apply(message, time);
      drain(watermark);
      return;
    }
    buffer.put(
        Keys.builder().instant(orderAt).priority(priorityOf(body)).tail(idOf(body)).build(),
        message);
  }

  /**
   * Applies inputs that need no ordering (they only fill a store that later lookups read as of a
   * time, like clicks and rates) and returns true; false for inputs to buffer.
   *
   * @param orderAt the input's time, or the later watermark of its source if it arrived late: the
   *     time as of which lookups are to see it
   */
  protected abstract boolean applyOnArrival(StageMessage message, Instant orderAt);

  /** The event time of an input. */
  protected abstract Instant timeOf(SpecificRecord body);

  /** Order of inputs of the same instant, lower first (0..255). */
  protected abstract int priorityOf(SpecificRecord body);

  /** What makes an input unique at its instant and priority (its event id). */
  protected abstract String idOf(SpecificRecord body);

  /**
   * Applies one input, in order.
   *
   * @param orderAt the instant it is ordered at: its own time, or its source's watermark if it
   *     arrived late
   */
  protected abstract void apply(StageMessage message, Instant orderAt);

  /** Resets the cursors of the stage's schedule indices: a drain begins. */
  protected abstract void beginDrain();

  /** The stage's earliest scheduled action due at or before {@code limit}, or null. */
  protected abstract Due nextDue(Instant limit);

  /** Called after the watermark advanced to {@code watermark} and everything due ran. */
  protected void afterAdvance(Instant watermark) {}

  /** The stage's watermark: everything before it has been applied. Null until all sources spoke. */
  protected Instant watermark() {
    return watermark;
  }

  /** Inputs applied after the watermark had passed them, since this task started. */
  public long lateInputs() {
    return lateInputs;
  }

  private void onWatermark(Watermark mark) {
    String source = mark.getSource();
    if (!expectedSources.contains(source)) {
      log.warn(
          "{}: ignoring a watermark from unexpected source {} (partition counts differ?)",
          stage,
          source);
      return;
    }
    Instant at = mark.getAt();
    Instant previous = sourceMarks.get(source);
    if (previous != null && !at.isAfter(previous)) {
      return;
    }
    sourceMarks.put(source, at);
    watermarks.put(source, at.toEpochMilli());
    Instant candidate = lowestMark();
    if (candidate != null && (watermark == null || candidate.isAfter(watermark))) {
      drain(candidate);
      watermark = candidate;
      afterAdvance(candidate);
      if (forwardsWatermarks) {
        Watermark own =
            Watermark.newBuilder()
                .setSource(stage + "-" + context.taskId().partition())
                .setAt(candidate)
                .build();
        context.forward(
            new Record<>(
                WATERMARK_KEY,
                (SpecificRecord) StageMessage.newBuilder().setBody(own).build(),
                candidate.toEpochMilli()));
      }
    }
  }

  private Instant lowestMark() {
    Instant lowest = null;
    for (String source : expectedSources) {
      Instant mark = sourceMarks.get(source);
      if (mark == null) {
        return null;
      }
      if (lowest == null || mark.isBefore(lowest)) {
        lowest = mark;
      }
    }
    return lowest;
  }

  /**
   * Applies buffered inputs before {@code limit} and actions due by {@code limit}, in time order.
   */
  private void drain(Instant limit) {
    beginDrain();
    Bytes cursor = null;
    Bytes upper = Keys.builder().instant(limit).build();
    while (true) {
      KeyValue<Bytes, StageMessage> input = first(cursor, upper);
      Due due = nextDue(limit);
      if (input == null && due == null) {
        return;
      }
      Instant inputTime = input == null ? null : Keys.instantAt(input.key, 0);
      if (due != null && (input == null || !due.at().isAfter(inputTime))) {
        due.action().run();
      } else {
        buffer.delete(input.key);
        cursor = input.key;
        apply(input.value, inputTime);
      }
    }
  }

  private KeyValue<Bytes, StageMessage> first(Bytes from, Bytes upper) {
    try (KeyValueIterator<Bytes, StageMessage> it = buffer.range(from, upper)) {
      return it.hasNext() ? it.next() : null;
    }
  }

  /**
   * Rejects the input as a duplicate and returns true if {@code seen} already holds its event id;
   * else records it there and returns false.
   */
  protected boolean rejectIfDuplicate(SeenEvents seen, StageMessage message) {
    Object body = message.getBody();
    String first = seen.firstSeen(Events.idOf(body), message.getOrigin());
    if (first == null) {
      return false;
    }
    reject(
        message,
        Rejections.DUPLICATE_EVENT,
        "event " + Events.idOf(body) + " was already applied (" + first + ")");
    return true;
  }

  /** Puts the input on {@code ledger.rejections} with its origin, at its event time. */
  protected void reject(StageMessage message, String code, String text) {
    Object body = message.getBody();
    Instant time = Events.timeOf(body);
    emit(
        Rejections.keyOf(message.getOrigin()),
        Rejections.of(message.getOrigin(), code, text, Events.idOf(body), time),
        time);
  }

  /**
   * Forwards an output record with an explicit, event-derived timestamp; a message to the next
   * stage is marked as sent by this task.
   */
  protected void emit(String key, SpecificRecord value, Instant timestamp) {
    if (value instanceof StageMessage message && message.getSource() == null) {
      message.setSource(stage + "-" + context.taskId().partition());
    }
    context.forward(new Record<>(key, value, timestamp.toEpochMilli()));
  }
}
