package com.portals.ledger.schemas.publish;

import com.portals.ledger.avro.events.ClockTick;
import com.portals.ledger.schemas.clients.KafkaClients;
import com.portals.ledger.schemas.json.EventJson;
import com.portals.ledger.schemas.json.EventJson.Invalid;
import com.portals.ledger.schemas.json.EventJson.Parsed;
import com.portals.ledger.schemas.serde.LedgerSerdes;
import com.portals.ledger.schemas.topics.Topic;
import com.portals.ledger.schemas.topics.TopicNamespace;
import com.portals.ledger.schemas.topics.Topics;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes events in their JSON form (docs/contract.md) to the ledger's input topics: each line is
 * validated, turned into Avro, keyed and timestamped as the contract says and sent; ticks go to
 * every partition of {@code ledger.clock}. Used by {@code ledger publish}, {@code ledger tick} and
 * {@code POST /events}, so that an event is judged and routed alike wherever it enters.
 *
 * <p>A bad line does not stop the others: it is reported with its number and reason. Lines are
 * parsed, validated and encoded ahead on threads of their own and sent in their order. A tick is
 * sent only once every line before it is acknowledged, so that it is a barrier on the broker too;
 * the lines after a tick line are sent meanwhile (see {@link Publication}).
 */
public final class EventPublisher implements AutoCloseable {

  private final Producer<String, byte[]> producer;
  private final LedgerSerdes serdes;
  private final TopicNamespace namespace;
  private final InputPositions positions;
  private final Map<String, Integer> partitionCounts = new ConcurrentHashMap<>();
  private ExecutorService preparers;

  /**
   * Threads that prepare lines: all cores but the one that reads and sends (the producer's own
   * thread and, often, the broker share the machine too).
   */
  private static final int PREPARER_THREADS =
      Math.max(1, Runtime.getRuntime().availableProcessors() - 1);

  /** Lines prepared together by one preparer thread. */
  private static final int CHUNK_LINES = 1024;

  /** Chunks read and handed to the preparers ahead of the one being sent. */
  private static final int CHUNKS_AHEAD = 8;

  /**
   * @param positions where the input topics end: read for {@link #tick(Instant)}, for {@link
   *     #inputEnds()} and at the first tick line of a publish, and recorded on ticks; {@link
   *     InputPositions#none()} for ticks without positions
   */
  public EventPublisher(
      Producer<String, byte[]> producer,
      LedgerSerdes serdes,
      TopicNamespace namespace,
      InputPositions positions) {
    this.producer = producer;
    this.serdes = serdes;
    this.namespace = namespace;
    this.positions = positions;
  }

  /** A publisher with its own idempotent producer on {@code bootstrapServers}. */
  public static EventPublisher connect(String bootstrapServers, LedgerSerdes serdes) {
    return connect(KafkaClients.at(bootstrapServers), serdes);
  }

  /** A publisher to the topics of {@code namespace}. */
  public static EventPublisher connect(
      String bootstrapServers, LedgerSerdes serdes, TopicNamespace namespace) {
    return connect(KafkaClients.at(bootstrapServers), serdes, namespace);
  }

  /** A publisher whose clients take {@code clients}' settings (security, timeouts...). */
  public static EventPublisher connect(KafkaClients clients, LedgerSerdes serdes) {
    return connect(clients, serdes, TopicNamespace.CONTRACT);
  }

  /** A publisher to the topics of {@code namespace}, its clients on {@code clients}. */
  public static EventPublisher connect(
      KafkaClients clients, LedgerSerdes serdes, TopicNamespace namespace) {
    return connect(clients, serdes, namespace, producerConfig(clients));
  }

  /** A publisher to the topics of {@code namespace} with a producer on {@code producerConfig}. */
  public static EventPublisher connect(
      KafkaClients clients,
      LedgerSerdes serdes,
      TopicNamespace namespace,
      Properties producerConfig) {
    return new EventPublisher(
        new KafkaProducer<>(producerConfig, new StringSerializer(), new ByteArraySerializer()),
        serdes,
        namespace,
        InputPositions.of(Admin.create(adminConfig(clients)), Duration.ofSeconds(20)));
  }

  /** Settings of the admin client that reads the input topics' end offsets for ticks. */
  public static Map<String, Object> adminConfig(KafkaClients clients) {
    return clients.admin(
        Map.of(
            AdminClientConfig.CLIENT_ID_CONFIG,
            "ledger-publisher-positions",
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
            15000,
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
            20000));
  }

  /**
   * Producer settings: every record acknowledged by all in-sync replicas, idempotent (a retried
   * send is never written twice), and a bounded wait when the broker is unreachable.
   */
  public static Properties producerConfig(String bootstrapServers) {
    return producerConfig(KafkaClients.at(bootstrapServers));
  }

  /** {@link #producerConfig(String)} with {@code clients}' settings. */
  public static Properties producerConfig(KafkaClients clients) {
    return clients.producer(
        Map.of(
            ProducerConfig.ACKS_CONFIG, "all",
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
            ProducerConfig.LINGER_MS_CONFIG, "5",
            ProducerConfig.MAX_BLOCK_MS_CONFIG, "20000",
            ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "60000",
            ProducerConfig.CLIENT_ID_CONFIG, "ledger-publisher"));
  }

  /**
   * Producer settings for publishing files ({@code ledger publish}): those of {@link
   * #producerConfig}, with records gathered longer into larger batches. A file's lines are sent
   * without waiting for one another, so a batch fills while the one before is written, and the end
   * of the file (or a flush) sends what is left at once: fewer, larger requests for the same
   * guarantees.
   */
  public static Properties fileProducerConfig(KafkaClients clients) {
    Properties config = producerConfig(clients);
    config.put(ProducerConfig.LINGER_MS_CONFIG, "10");
    config.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(64 * 1024));
    config.put(ProducerConfig.CLIENT_ID_CONFIG, "ledger-publisher-file");
    return config;
  }

  /** One rejected line. */
  public record RejectedLine(long line, String reason) {}

  /**
   * What an entry point lets its caller publish, beyond the events being valid (e.g. who may move
   * the ledger's time). Called on the threads that prepare lines, so it must be thread-safe.
   */
  @FunctionalInterface
  public interface Admission {
    /** Everything valid is published. */
    Admission ALL = (line, event) -> Optional.empty();

    /** Why valid {@code event} of line {@code line} must not be published, or empty if it may. */
    Optional<String> refusal(long line, Parsed event);
  }

  /** What a publish did: how many events were acknowledged and which lines were rejected. */
  public record Report(long accepted, List<RejectedLine> rejected) {
    public boolean allAccepted() {
      return rejected.isEmpty();
    }
  }

  /**
   * Publishes every line of {@code reader}; line numbers start at 1. Tick lines are barriers: see
   * {@link Publication}.
   */
  public Report publish(BufferedReader reader) {
    return publish(
        new Lines() {
          @Override
          public String next() throws IOException {
            return reader.readLine();
          }

          @Override
          public boolean ready() throws IOException {
            return reader.ready();
          }
        },
        Admission.ALL);
  }

  /** Publishes the given lines; line numbers start at 1. */
  public Report publish(List<String> lines) {
    return publish(lines, Admission.ALL);
  }

  /**
   * Publishes the given lines that {@code admission} lets through; line numbers start at 1. A line
   * it refuses is rejected with its reason, like an invalid line.
   */
  public Report publish(List<String> lines, Admission admission) {
    Iterator<String> it = lines.iterator();
    return publish(
        new Lines() {
          @Override
          public String next() {
            return it.hasNext() ? it.next() : null;
          }

          @Override
          public boolean ready() {
            return true;
          }
        },
        admission);
  }

  /** Where lines come from. */
  private interface Lines {
    /** The next line, or null at the end. */
    String next() throws IOException;

    /** Whether {@link #next()} would answer without waiting for input. */
    boolean ready() throws IOException;
  }

  /** Lines read, to be prepared together, and then their outcome. */
  private record Chunk(long firstLine, Future<List<Prepared>> prepared) {}

  /**
   * Reads the lines in chunks, prepares (parses, validates, encodes) chunks ahead on {@link
   * #preparers()}, and sends each chunk's lines in their order: lines are sent in the order they
   * were read, whichever thread prepared them. A chunk ends early when the input has nothing more
   * for the moment (standard input fed by hand or by a slow producer): what was read is then sent
   * at once rather than held until more comes. If reading fails, the lines read before are
   * published, their ticks included, before the failure is thrown.
   */
  private Report publish(Lines lines, Admission admission) {
    Publication publication = new Publication();
    Deque<Chunk> ahead = new ArrayDeque<>();
    long read = 0;
    IOException failure = null;
    try {
      for (boolean end = false; !end; ) {
        List<String> chunk = new ArrayList<>();
        boolean waits = false;
        try {
          while (chunk.size() < CHUNK_LINES && !end && !waits) {
            String line = lines.next();
            end = line == null;
            if (!end) {
              read++;
              chunk.add(line);
              waits = !lines.ready();
            }
          }
        } catch (IOException e) {
          failure = e;
          end = true;
        }
        if (!chunk.isEmpty()) {
          long first = read - chunk.size() + 1;
          Future<List<Prepared>> prepared =
              chunk.size() < CHUNK_LINES && ahead.isEmpty()
                  ? CompletableFuture.completedFuture(prepareAll(first, chunk, admission))
                  : preparers().submit(() -> prepareAll(first, chunk, admission));
          ahead.add(new Chunk(first, prepared));
        }
        while (!ahead.isEmpty() && (end || waits || ahead.size() > CHUNKS_AHEAD)) {
          publication.lines(ahead.poll());
        }
      }
    } finally {
      ahead.forEach(chunk -> chunk.prepared().cancel(true));
    }
    Report report = publication.finish();
    if (failure != null) {
      throw new UncheckedIOException("cannot read events at line " + (read + 1), failure);
    }
    return report;
  }

  private List<Prepared> prepareAll(long firstLine, List<String> lines, Admission admission) {
    List<Prepared> prepared = new ArrayList<>(lines.size());
    for (int i = 0; i < lines.size(); i++) {
      prepared.add(prepare(firstLine + i, lines.get(i), admission));
    }
    return prepared;
  }

  /** The threads that prepare lines ahead of sending, started on first use. */
  private synchronized ExecutorService preparers() {
    if (preparers == null) {
      AtomicInteger threads = new AtomicInteger();
      preparers =
          Executors.newFixedThreadPool(
              PREPARER_THREADS,
              runnable -> {
                Thread thread =
                    new Thread(runnable, "ledger-publisher-prepare-" + threads.incrementAndGet());
                thread.setDaemon(true);
                return thread;
              });
    }
    return preparers;
  }

  /**
   * Publishes one tick at {@code at} to every partition of the clock topic, with the input topics'
   * end offsets as they are on the broker once everything this publisher sent is acknowledged: the
   * tick comes after everything published before it, by anyone.
   */
  public Report tick(Instant at) {
    producer.flush();
    return tick(at, inputEnds());
  }

  /**
   * Publishes one tick at {@code at} to every partition of the clock topic with {@code positions}
   * (as {@link #inputEnds()} gives them): partition p of the clock gets the positions of partition
   * p of every input topic.
   */
  public Report tick(Instant at, Map<TopicPartition, Long> positions) {
    Publication publication = new Publication(positions);
    ClockTick tick = ClockTick.newBuilder().setAt(at).build();
    publication.line(1, prepare(new Parsed("ClockTick", Topics.CLOCK, null, at, tick, null)));
    return publication.finish();
  }

  /**
   * The read-committed end offsets of the input partitions a tick records: partition p of every
   * input topic but the clock, for every partition p of the clock. Empty if this publisher sends
   * ticks without positions.
   */
  public Map<TopicPartition, Long> inputEnds() {
    return positions.ends(inputPartitions(partitionCount(namespace.name(Topics.CLOCK))));
  }

  /** A line made ready to send: parsed, validated and encoded. */
  private sealed interface Prepared {}

  private record Rejected(String reason) implements Prepared {}

  private record Ready(ProducerRecord<String, byte[]> record) implements Prepared {}

  private record TickLine(Parsed tick, String topic, byte[] value) implements Prepared {}

  private Prepared prepare(long number, String line, Admission admission) {
    EventJson.Result result = EventJson.parse(line);
    if (result instanceof Invalid invalid) {
      return new Rejected(invalid.reason());
    }
    Parsed event = (Parsed) result;
    Optional<String> refusal = admission.refusal(number, event);
    if (refusal.isPresent()) {
      return new Rejected(refusal.get());
    }
    return prepare(event);
  }

  private Prepared prepare(Parsed event) {
    String name = namespace.name(event.topic());
    byte[] value;
    try {
      value = encode(event.topic(), name, event.value());
    } catch (RuntimeException e) {
      return new Rejected("cannot encode: " + e.getMessage());
    }
    if (event.toEveryPartition()) {
      return new TickLine(event, name, value);
    }
    return new Ready(
        new ProducerRecord<>(name, null, event.timestamp().toEpochMilli(), event.key(), value));
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private byte[] encode(Topic topic, String name, SpecificRecord value) {
    return topic.valueSerde(serdes).serializer().serialize(name, value);
  }

  /** The partitions whose ends a tick records: every input topic but the clock. */
  private Set<TopicPartition> inputPartitions(int count) {
    Set<TopicPartition> partitions = new HashSet<>();
    for (Topic<?> input : Topics.inputs()) {
      if (input.equals(Topics.CLOCK)) {
        continue;
      }
      String inputName = namespace.name(input);
      int inputCount = Math.min(count, partitionCount(inputName));
      for (int partition = 0; partition < inputCount; partition++) {
        partitions.add(new TopicPartition(inputName, partition));
      }
    }
    return partitions;
  }

  private static ClockTick withPositions(
      ClockTick tick, Map<TopicPartition, Long> ends, int partition) {
    Map<String, Long> own = new TreeMap<>();
    ends.forEach(
        (topicPartition, end) -> {
          if (topicPartition.partition() == partition) {
            own.put(topicPartition.topic(), end);
          }
        });
    return ClockTick.newBuilder(tick).setPositions(own).build();
  }

  private int partitionCount(String topic) {
    return partitionCounts.computeIfAbsent(
        topic,
        name -> {
          List<PartitionInfo> partitions = producer.partitionsFor(name);
          if (partitions == null || partitions.isEmpty()) {
            throw new IllegalStateException("topic " + name + " has no partitions");
          }
          return partitions.size();
        });
  }

  @Override
  public void close() {
    try {
      producer.close(Duration.ofSeconds(30));
    } finally {
      positions.close();
      synchronized (this) {
        if (preparers != null) {
          preparers.shutdownNow();
        }
      }
    }
  }

  /**
   * One publish: sends lines in their order and tracks them. A line counts as accepted once every
   * record it produced is acknowledged, and as rejected (with the broker's reason) if any of them
   * failed.
   *
   * <p>A tick line is a barrier: the tick sent to partition p of the clock carries, per input
   * topic, a position in partition p below which every record of the lines before the tick lies and
   * no record of a line after it. The first tick line of a publish is sent the way {@link
   * #tick(Instant)} sends a tick: once everything sent so far is acknowledged (a flush), with the
   * broker's end offsets. Every later one waits, without holding up the lines after it, until the
   * records of the lines since the tick before are acknowledged ({@link Segment}); its positions
   * are then those of the tick before, raised to the offsets the broker gave those records (the
   * highest + 1 per partition). Lines after the tick are sent meanwhile: the producer keeps the
   * order of the records of each partition, so they land above. Ticks are sent in the order of
   * their lines.
   */
  private final class Publication {
    private final Map<Long, String> invalid = new ConcurrentHashMap<>();
    private final Map<Long, String> failed = new ConcurrentHashMap<>();
    private long sentLines;
    private final Deque<WaitingTick> waiting = new ArrayDeque<>();
    private Segment current = new Segment();

    /** Per input partition, the position of the last tick sent; null before the first. */
    private Map<TopicPartition, Long> known;

    Publication() {}

    /** A publication whose ticks start from {@code positions}. */
    Publication(Map<TopicPartition, Long> positions) {
      known = new HashMap<>(positions);
    }

    /** A tick line, and the records of the lines between it and the tick line before. */
    private record WaitingTick(long line, TickLine tick, Segment before) {}

    /** Sends the lines of {@code chunk}, once prepared. */
    void lines(Chunk chunk) {
      List<Prepared> prepared;
      try {
        prepared = chunk.prepared().get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptException(e);
      } catch (ExecutionException e) {
        throw e.getCause() instanceof RuntimeException cause
            ? cause
            : new IllegalStateException("cannot prepare lines", e.getCause());
      }
      for (int i = 0; i < prepared.size(); i++) {
        line(chunk.firstLine() + i, prepared.get(i));
      }
    }

    void line(long number, Prepared prepared) {
      if (prepared instanceof Rejected rejected) {
        invalid.put(number, rejected.reason());
      } else if (prepared instanceof Ready ready) {
        sentLines++;
        current.sent();
        send(number, ready.record(), current);
      } else if (known == null) {
        producer.flush();
        known = new HashMap<>(inputEnds());
        sendTick(number, tick(prepared));
        current = new Segment();
      } else {
        current.close();
        waiting.add(new WaitingTick(number, tick(prepared), current));
        current = new Segment();
      }
      sendReadyTicks();
    }

    private static TickLine tick(Prepared prepared) {
      return (TickLine) prepared;
    }

    /** Sends the waiting ticks whose records before them are all settled, in their order. */
    private void sendReadyTicks() {
      while (!waiting.isEmpty() && waiting.peek().before().isDone()) {
        WaitingTick next = waiting.poll();
        next.before()
            .ends()
            .forEach(
                (partition, end) ->
                    known.computeIfPresent(partition, (p, at) -> Math.max(at, end)));
        sendTick(next.line(), next.tick());
      }
    }

    private void sendTick(long number, TickLine tick) {
      sentLines++;
      int count = partitionCount(tick.topic());
      long timestamp = tick.tick().timestamp().toEpochMilli();
      for (int partition = 0; partition < count; partition++) {
        byte[] value =
            known.isEmpty()
                ? tick.value()
                : encode(
                    Topics.CLOCK,
                    tick.topic(),
                    withPositions((ClockTick) tick.tick().value(), known, partition));
        send(
            number,
            new ProducerRecord<>(tick.topic(), partition, timestamp, tick.tick().key(), value),
            null);
      }
    }

    /** Sends one record of line {@code line}, of {@code segment} (null: of none). */
    private void send(long line, ProducerRecord<String, byte[]> record, Segment segment) {
      Delivery delivery = new Delivery(line, segment);
      try {
        producer.send(record, delivery);
      } catch (RuntimeException e) {
        delivery.onCompletion(null, e);
      }
    }

    /** Waits for the ticks still waiting, sends them, and waits for every record sent. */
    Report finish() {
      current.close();
      while (!waiting.isEmpty()) {
        try {
          waiting.peek().before().await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptException(e);
        }
        sendReadyTicks();
      }
      producer.flush();
      List<RejectedLine> rejected = new ArrayList<>();
      invalid.forEach((line, reason) -> rejected.add(new RejectedLine(line, reason)));
      failed.forEach((line, reason) -> rejected.add(new RejectedLine(line, reason)));
      rejected.sort(Comparator.comparingLong(RejectedLine::line));
      return new Report(sentLines - failed.size(), List.copyOf(rejected));
    }

    /** What became of one record: settles it in its segment, once. */
    private final class Delivery implements Callback {
      private final long line;
      private final Segment segment;
      private final AtomicBoolean settled = new AtomicBoolean();

      Delivery(long line, Segment segment) {
        this.line = line;
        this.segment = segment;
      }

      @Override
      public void onCompletion(RecordMetadata metadata, Exception exception) {
        if (!settled.compareAndSet(false, true)) {
          return;
        }
        if (exception != null) {
          failed.putIfAbsent(line, "not published: " + exception.getMessage());
          if (segment != null) {
            segment.failed();
          }
        } else if (segment != null) {
          segment.acknowledged(
              new TopicPartition(metadata.topic(), metadata.partition()), metadata.offset());
        }
      }
    }
  }
}
