package com.portals.ledger.streams.task;

import com.portals.ledger.avro.events.ClickRecorded;
import com.portals.ledger.avro.events.CommissionRateSet;
import com.portals.ledger.avro.events.PayoutBatched;
import com.portals.ledger.avro.events.PayoutCompleted;
import com.portals.ledger.avro.events.PayoutFailed;
import com.portals.ledger.avro.events.WithdrawalRequested;
import com.portals.ledger.avro.internal.AccountState;
import com.portals.ledger.avro.internal.AttributionReply;
import com.portals.ledger.avro.internal.AttributionRequest;
import com.portals.ledger.avro.internal.Buffered;
import com.portals.ledger.avro.internal.Handover;
import com.portals.ledger.avro.internal.Movement;
import com.portals.ledger.avro.internal.OrderRecord;
import com.portals.ledger.avro.internal.Origin;
import com.portals.ledger.avro.internal.Routed;
import com.portals.ledger.avro.internal.SessionClicks;
import com.portals.ledger.avro.internal.WithdrawalRecord;
import com.portals.ledger.schemas.serde.AvroSerde;
import com.portals.ledger.schemas.serde.LedgerSerdes;
import com.portals.ledger.streams.LedgerStreams;
import com.portals.ledger.streams.LedgerTopology;
import com.portals.ledger.streams.stage.Rejections;
import com.portals.ledger.streams.state.Codec;
import com.portals.ledger.streams.state.CommitHook;
import com.portals.ledger.streams.state.WriteBackStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.CumulativeCount;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.processor.internals.InternalProcessorContext;
import org.apache.kafka.streams.processor.internals.ProcessorRecordContext;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The write side of one partition: intake, attribution, orders and accounts side by side in one
 * task, with their stores. It reads partition p of every input topic, of {@code ledger.clock} and
 * of the hand-over topic; what stays on this partition (a click of a session of p, the events of an
 * order of p, the withdrawals of an affiliate of p) goes from stage to stage by a method call, and
 * only what belongs to another partition (an order's attribution request to its session's partition
 * and the answer back, a commission movement to its affiliate's partition, a rate to every
 * partition) crosses the hand-over topic.
 *
 * <p>Time: see {@link Frontiers}. Each task tells the others its frontiers, on every hand-over
 * message and, when they moved and nothing else went to a task, in a message of its own every
 * {@link #TELL_INTERVAL} at most (tasks of the same stream thread at once). Stages drain as soon as
 * the lowest frontier that feeds them moves; the order they apply things in does not depend on when
 * that is.
 *
 * <p>State: seven logged RocksDB stores without Kafka Streams' cache, behind {@link
 * WriteBackStore}s that keep changes decoded until the commit hook ({@link CommitHook}) writes them
 * back, once per commit.
 */
public final class LedgerProcessor
    implements Processor<byte[], byte[], Object, Object>,
        Outbox,
        Intake.Stages,
        CommitHook.Listener {

  /** How often, at most, a task sends its frontiers to the tasks it sent nothing else to. */
  public static final Duration TELL_INTERVAL = Duration.ofMillis(10);

  private static final Bytes FRONTIERS_KEY = StoreKeys.utf8("frontiers");

  /** The sink of each output, by ordinal: named once, not per record. */
  private static final String[] SINKS =
      java.util.Arrays.stream(Output.values()).map(LedgerTopology::sinkOf).toArray(String[]::new);

  private final LedgerTopology.Config config;
  private final AvroSerde<Handover> handoverSerde;
  private ProcessorContext<Object, Object> context;
  private int partition;
  private Frontiers frontiers;
  private WriteBackStore<byte[]> meta;
  private WriteBackStore<Buffered> buffer;
  private WriteBackStore<byte[]> scheduleStore;
  private WriteBackStore<OrderRecord> orderStore;
  private WriteBackStore<AccountState> accountStore;
  private WriteBackStore<WithdrawalRecord> withdrawalStore;
  private List<WriteBackStore<?>> stores;
  private Intake intake;
  private InputRereader rereader;
  private Attribution attribution;
  private Orders orders;
  private Accounts accounts;
  private Map<String, Integer> topicIndex;
  private long attributionDrained;
  private long ordersDrained;
  private long accountsDrained;
  private long currentTimestamp;
  private byte[] persistedFrontiers;
  private long window;
  private Colocation group;
  private Channels channels;
  private final java.util.ArrayDeque<Handover> inbox = new java.util.ArrayDeque<>();

  /** Events applied, by type: a Kafka Streams metric per type and task (ledger_events_applied). */
  private final Map<Class<?>, Sensor> applied = new java.util.HashMap<>();

  private boolean open;
  private Cancellable startup;
  private Cancellable teller;

  /** Set by {@link Colocation} while this task waits for its turn to run its inbox. */
  boolean woken;

  public LedgerProcessor(LedgerTopology.Config config) {
    this.config = config;
    this.handoverSerde = config.serdes().internal(Handover.class);
  }

  @Override
  public void init(ProcessorContext<Object, Object> context) {
    this.context = context;
    this.partition = context.taskId().partition();
    int partitions = config.partitions();
    LedgerSerdes serdes = config.serdes();
    meta = new WriteBackStore<>(store(LedgerTopology.META_STORE), Codec.bytes(), 1024);
    buffer =
        new WriteBackStore<>(
            store(LedgerTopology.BUFFER_STORE),
            Codec.avro(serdes.internal(Buffered.class)),
            0,
            true,
            true);
    scheduleStore = new WriteBackStore<>(store(LedgerTopology.SCHEDULE_STORE), Codec.bytes(), 4096);
    // The clean values kept decoded are few for sessions and orders: a session is read again
    // within minutes of event time (its next click, its order's attribution) or not for long, an
    // order days later if at all, and every value kept longer than a young collection or two is
    // copied into the old generation, then evicted there as garbage. 10,000 of each per task made
    // the garbage collector stop the ledger for 60-340 ms every two seconds while catching up, and
    // for a whole-heap collection of 0.5-0.8 s every 20 s (docs/performance.md).
    // Not logged: kept or rebuilt below (Attribution.open).
    KeyValueStore<Bytes, byte[]> localSessions = store(LedgerTopology.SESSIONS_STORE);
    WriteBackStore<SessionClicks> sessions =
        new WriteBackStore<>(
            localSessions,
            new SessionCodec(serdes.internal(SessionClicks.class)),
            2_000,
            false,
            false);
    orderStore =
        new WriteBackStore<>(
            store(LedgerTopology.ORDERS_STORE),
            Codec.avro(serdes.internal(OrderRecord.class)),
            1_000,
            false,
            false);
    accountStore =
        new WriteBackStore<>(
            store(LedgerTopology.ACCOUNTS_STORE),
            Codec.avro(serdes.internal(AccountState.class)),
            20_000,
            false,
            false);
    withdrawalStore =
        new WriteBackStore<>(
            store(LedgerTopology.WITHDRAWALS_STORE),
            Codec.avro(serdes.internal(WithdrawalRecord.class)),
            1024,
            false,
            false);
    // The sessions are written back by attribution (Attribution.beforeCommit), not with these.
    stores = List.of(meta, buffer, scheduleStore, orderStore, accountStore, withdrawalStore);
    frontiers = new Frontiers(partition, partitions);
    byte[] known = meta.get(FRONTIERS_KEY);
    if (known != null) {
      frontiers.decode(known);
    }
    persistedFrontiers = known;
    channels = new Channels(partition, partitions, meta, handoverSerde);
    inbox.clear();
    woken = false;
    teller = null;
    Schedule schedule = new Schedule(scheduleStore);
    window = 2 * config.rules().sessionTtl().toMillis();
    if (rereader != null) {
      rereader.close();
    }
    rereader = new InputRereader(context.appConfigs(), partition);
    intake =
        new Intake(
            partition,
            partitions,
            config.inputs(),
            serdes,
            config.inputEnd(),
            frontiers,
            meta,
            buffer,
            this,
            this,
            rereader,
            LedgerStreams.heldInMemory(context.appConfigs()));
    topicIndex = intake.topicIndex();
    attribution =
        new Attribution(
            partition,
            partitions,
            intake.clicksTopic(),
            config.rules().sessionTtl(),
            sessions,
            buffer,
            meta,
            this);
    orders =
        new Orders(partition, partitions, config.rules(), orderStore, meta, buffer, schedule, this);
    accounts = new Accounts(config.rules(), accountStore, withdrawalStore, buffer, schedule, this);
    intake.init();
    attribution.init();
    attribution.open(localSessions, sweepHorizon(), intake);
    orders.init();
    accounts.init();
    attributionDrained = Frontiers.NONE;
    ordersDrained = Frontiers.NONE;
    accountsDrained = Frontiers.NONE;
    CommitHook hook = context.getStateStore(LedgerTopology.COMMIT_HOOK);
    hook.listen(this);
    group = Colocation.of(config.handoverTopic(), partitions);
    group.join(partition, this);
    open = true;
    // Once, right after the start: drain what the restored state allows and tell the others.
    startup =
        context.schedule(
            Duration.ofMillis(1),
            PunctuationType.WALL_CLOCK_TIME,
            timestamp -> {
              startup.cancel();
              turn(this::tellAll);
            });
  }

  /**
   * Runs {@code work} as this task's turn: whatever it hands other tasks of the thread runs before
   * the turn ends, then this task tells the others its frontiers.
   */
  private void turn(Runnable work) {
    group.enter(context);
    try {
      work.run();
      advance();
      tellFrontiers(true);
      if (teller == null && remoteStale()) {
        teller = context.schedule(TELL_INTERVAL, PunctuationType.WALL_CLOCK_TIME, t -> tell());
      }
    } finally {
      group.exit();
    }
  }

  private void tellAll() {
    tellFrontiers(false);
  }

  /**
   * Tells tasks of other threads or instances this task's frontiers, at most every {@link
   * #TELL_INTERVAL}; stops when they know them, so that an idle ledger has nothing to punctuate and
   * nothing to commit.
   */
  private void tell() {
    group.enter(context);
    try {
      tellFrontiers(false);
      if (!remoteStale()) {
        teller.cancel();
        teller = null;
      }
    } finally {
      group.exit();
    }
  }

  /** Whether a task of another thread or instance has not been told this task's frontiers. */
  private boolean remoteStale() {
    for (int target = 0; target < config.partitions(); target++) {
      if (frontiers.staleFor(target) && group.member(target) == null) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void close() {
    if (open && attribution != null) {
      withRecordContext(attribution::close);
    }
    open = false;
    if (context != null) {
      applied.values().forEach(sensor -> context.metrics().removeSensor(sensor));
    }
    applied.clear();
    if (rereader != null) {
      rereader.close();
      rereader = null;
    }
    if (group != null) {
      group.leave(partition, this);
    }
  }

  boolean isOpen() {
    return open;
  }

  private KeyValueStore<Bytes, byte[]> store(String name) {
    return context.getStateStore(name);
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    RecordMetadata metadata = context.recordMetadata().orElseThrow();
    currentTimestamp = record.timestamp();
    turn(
        () -> {
          if (metadata.topic().equals(config.handoverTopic())) {
            receive(handoverSerde.deserialize(config.handoverTopic(), record.value()));
          } else {
            intake.onRecord(
                metadata.topic(),
                metadata.partition(),
                metadata.offset(),
                record.key(),
                record.value(),
                record.timestamp());
          }
        });
  }

  /** A message from another task, through the topic or directly: applied in channel order. */
  private void receive(Handover message) {
    for (Handover next : channels.arrived(message)) {
      if (next.getBody() != null) {
        dispatch((SpecificRecord) next.getBody(), next.getOrderAt());
      }
      frontiers.observe(next.getFrom(), next.getIntakeFrontier(), next.getOrdersFrontier());
    }
  }

  /** Runs what tasks of this thread handed this one directly (on another task's turn). */
  void runInbox() {
    for (Handover message = inbox.poll(); message != null; message = inbox.poll()) {
      receive(message);
    }
    advance();
    tellFrontiers(true);
    // Not this task's turn, so it cannot schedule its own teller: tell the others now.
    if (teller == null) {
      tellFrontiers(false);
    }
  }

  /** Counts an event the ledger applies, under its type. */
  private void applied(SpecificRecord event) {
    applied.computeIfAbsent(event.getClass(), type -> appliedSensor(event)).record();
  }

  private Sensor appliedSensor(SpecificRecord event) {
    String type = event.getSchema().getName();
    String task = context.taskId().toString();
    Sensor sensor =
        context
            .metrics()
            .addSensor("ledger-events-applied-" + task + "-" + type, Sensor.RecordingLevel.INFO);
    sensor.add(
        new MetricName(
            "events-applied-total",
            "ledger-metrics",
            "events of this type the ledger applied",
            Map.of("event-type", type, "task-id", task)),
        new CumulativeCount());
    return sensor;
  }

  private void dispatch(SpecificRecord body, long orderAt) {
    if (body instanceof AttributionRequest request) {
      attribution.request(request, orderAt, frontiers.intakeLow());
    } else if (body instanceof AttributionReply reply) {
      orders.reply(reply);
    } else if (body instanceof Movement movement) {
      accounts.movement(movement, orderAt);
    } else if (body instanceof CommissionRateSet rate) {
      rate(rate, orderAt);
    } else if (body instanceof Routed routed) {
      SpecificRecord event = (SpecificRecord) routed.getEvent();
      if (event instanceof ClickRecorded click) {
        applied(click);
        attribution.click(routed.getOrigin(), click, orderAt, Frontiers.NONE, sweepHorizon());
      } else if (event instanceof WithdrawalRequested
          || event instanceof PayoutCompleted
          || event instanceof PayoutFailed
          || event instanceof PayoutBatched) {
        accountEvent(routed.getOrigin(), event, orderAt);
      } else {
        orderEvent(routed.getOrigin(), event, orderAt);
      }
    }
  }

  /** Drains every stage whose frontier moved, in the order the stages feed each other. */
  private void advance() {
    long intakeLow = frontiers.intakeLow();
    if (intakeLow != Frontiers.NONE) {
      if (intakeLow > attributionDrained) {
        group.ticked(intakeLow, context.currentSystemTimeMs());
        attribution.drain(intakeLow);
        attributionDrained = intakeLow;
      }
      if (intakeLow > ordersDrained || orders.answeredSinceDrain()) {
        frontiers.setOwnOrders(orders.drain(intakeLow));
        ordersDrained = intakeLow;
      }
    }
    long ordersLow = frontiers.ordersLow();
    if (ordersLow != Frontiers.NONE && ordersLow > accountsDrained) {
      accounts.drain(ordersLow);
      accountsDrained = ordersLow;
      long drained = Long.MAX_VALUE;
      for (int member = 0; member < config.partitions(); member++) {
        LedgerProcessor colocated = group.member(member);
        if (colocated != null) {
          drained = Math.min(drained, colocated.accountsDrained);
        }
      }
      if (drained != Frontiers.NONE) {
        group.drained(drained);
      }
    }
  }

  /**
   * Clicks ordered before this may be forgotten: no order that can still be attributed, and no
   * click that can still come, looks further back than twice the session TTL before the lowest
   * orders frontier.
   */
  private long sweepHorizon() {
    long low = frontiers.ordersLow();
    return low == Frontiers.NONE ? Frontiers.NONE : low - window;
  }

  /**
   * Tells the tasks that have not been told this task's latest frontiers: those of this thread at
   * once ({@code colocatedOnly}), the others at most every {@link #TELL_INTERVAL}.
   */
  private void tellFrontiers(boolean colocatedOnly) {
    for (int target = 0; target < config.partitions(); target++) {
      if (frontiers.staleFor(target) && (!colocatedOnly || group.member(target) != null)) {
        send(target, Math.max(0L, frontiers.ownIntake()), null);
      }
    }
  }

  // --- Intake.Stages: released events that stay on this partition

  @Override
  public void click(Origin origin, ClickRecorded click, long orderAt, long tickAt) {
    applied(click);
    attribution.click(origin, click, orderAt, tickAt, sweepHorizon());
  }

  @Override
  public void released(long tickAt, long clicksReleasedTo) {
    attribution.released(tickAt, clicksReleasedTo);
  }

  @Override
  public void orderEvent(Origin origin, SpecificRecord event, long orderAt) {
    applied(event);
    orders.input(origin, event, orderAt, Intake.seqOf(origin, topicIndex));
  }

  @Override
  public void rate(CommissionRateSet rate, long orderAt) {
    applied(rate);
    orders.rate(rate, orderAt);
  }

  @Override
  public void accountEvent(Origin origin, SpecificRecord event, long orderAt) {
    applied(event);
    accounts.input(origin, event, orderAt, Intake.seqOf(origin, topicIndex));
  }

  // --- Outbox

  @Override
  public void reject(Origin origin, String code, String message, String eventId, Instant time) {
    group
        .active()
        .forward(
            new Record<Object, Object>(
                Rejections.keyOf(origin),
                Rejections.of(origin, code, message, eventId, time),
                Math.max(0L, time == null ? currentTimestamp : time.toEpochMilli())),
            SINKS[Output.REJECTIONS.ordinal()]);
  }

  @Override
  public void output(Output output, String key, SpecificRecord value, long timestamp) {
    group
        .active()
        .forward(
            new Record<Object, Object>(key, value, Math.max(0L, timestamp)),
            SINKS[output.ordinal()]);
  }

  @Override
  public void handover(int to, long orderAt, SpecificRecord body) {
    if (to == partition) {
      dispatch(body, orderAt);
    } else {
      send(to, orderAt, body);
    }
  }

  private void send(int to, long orderAt, SpecificRecord body) {
    Handover message =
        new Handover(
            partition,
            to,
            channels.nextOut(to),
            frontiers.ownIntake(),
            frontiers.ownOrders(),
            orderAt,
            body);
    frontiers.told(to);
    LedgerProcessor colocated = group.member(to);
    if (colocated != null) {
      colocated.inbox.add(message);
      group.wake(colocated);
    } else {
      group
          .active()
          .forward(
              new Record<Object, Object>(null, message, Math.max(0L, orderAt)),
              LedgerTopology.HANDOVER_SINK);
    }
  }

  // --- CommitHook.Listener

  /**
   * Before a commit of any task of this thread: writes back what every task of the thread changed,
   * since tasks change each other's state within the one transaction ({@link Colocation}).
   */
  @Override
  public void beforeCommit() {
    for (int member = 0; member < config.partitions(); member++) {
      LedgerProcessor colocated = group == null ? null : group.member(member);
      if (colocated != null) {
        colocated.writeBack();
      }
    }
    if (group == null || group.member(partition) != this) {
      writeBack();
    }
  }

  private void writeBack() {
    if (open) {
      withRecordContext(this::writeBackStores);
    }
  }

  private void withRecordContext(Runnable write) {
    // A task whose state another task of the thread changed may have processed no record since
    // it started: its stores then have no record context to give their changelog records. Kafka
    // Streams' own caches set one when they flush; so does this.
    InternalProcessorContext<?, ?> internal =
        context instanceof InternalProcessorContext<?, ?> c ? c : null;
    ProcessorRecordContext previous = internal == null ? null : internal.recordContext();
    if (internal != null && previous == null) {
      internal.setRecordContext(
          new ProcessorRecordContext(
              Math.max(0L, frontiers.ownIntake()), -1L, partition, "", new RecordHeaders()));
    }
    try {
      write.run();
    } finally {
      if (internal != null && previous == null) {
        internal.setRecordContext(null);
      }
    }
  }

  private void writeBackStores() {
    attribution.sweep(sweepHorizon());
    attribution.beforeCommit(group != null && group.paced());
    intake.beforeCommit();
    channels.beforeCommit();
    byte[] encoded = frontiers.encode();
    if (persistedFrontiers == null || !java.util.Arrays.equals(encoded, persistedFrontiers)) {
      meta.put(FRONTIERS_KEY, encoded);
      persistedFrontiers = encoded;
    }
    for (WriteBackStore<?> store : stores) {
      store.flush();
    }
  }

  @Override
  public void reset() {
    for (WriteBackStore<?> store : stores) {
      store.clear();
    }
    if (attribution != null) {
      attribution.reset();
    }
  }
}
