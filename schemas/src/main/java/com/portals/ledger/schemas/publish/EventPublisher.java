package com.portals.ledger.schemas.publish;

import com.portals.ledger.avro.events.ClockTick;
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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes events in their JSON form (CONTRACT.md) to the ledger's input topics: each line is
 * validated, turned into Avro, keyed and timestamped as the contract says and sent; ticks go to
 * every partition of {@code ledger.clock}. Used by {@code ledger publish}, {@code ledger tick} and
 * {@code POST /events}, so that an event is judged and routed alike wherever it enters.
 *
 * <p>A bad line does not stop the others: it is reported with its number and reason. A tick is sent
 * only once every line before it is acknowledged, so that it is a barrier on the broker too.
 */
public final class EventPublisher implements AutoCloseable {

  private final Producer<String, byte[]> producer;
  private final LedgerSerdes serdes;
  private final TopicNamespace namespace;
  private final InputPositions positions;
  private final Map<String, Integer> partitionCounts = new ConcurrentHashMap<>();

  /**
   * @param positions where the input topics end when a tick is sent, recorded on the tick; {@link
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
    return connect(bootstrapServers, serdes, TopicNamespace.CONTRACT);
  }

  /** A publisher to the topics of {@code namespace}. */
  public static EventPublisher connect(
      String bootstrapServers, LedgerSerdes serdes, TopicNamespace namespace) {
    return new EventPublisher(
        new KafkaProducer<>(
            producerConfig(bootstrapServers), new StringSerializer(), new ByteArraySerializer()),
        serdes,
        namespace,
        InputPositions.of(Admin.create(adminConfig(bootstrapServers)), Duration.ofSeconds(20)));
  }

  /** Settings of the admin client that reads the input topics' end offsets for ticks. */
  public static Map<String, Object> adminConfig(String bootstrapServers) {
    return Map.of(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
        bootstrapServers,
        AdminClientConfig.CLIENT_ID_CONFIG,
        "ledger-publisher-positions",
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
        15000,
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
        20000);
  }

  /**
   * Producer settings: every record acknowledged by all in-sync replicas, idempotent (a retried
   * send is never written twice), and a bounded wait when the broker is unreachable.
   */
  public static Properties producerConfig(String bootstrapServers) {
    Properties config = new Properties();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    config.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "20000");
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "60000");
    config.put(ProducerConfig.CLIENT_ID_CONFIG, "ledger-publisher");
    return config;
  }

  /** One rejected line. */
  public record RejectedLine(long line, String reason) {}

  /** What a publish did: how many events were acknowledged and which lines were rejected. */
  public record Report(long accepted, List<RejectedLine> rejected) {
    public boolean allAccepted() {
      return rejected.isEmpty();
    }
  }

  /** Publishes every line of {@code reader}; line numbers start at 1. */
  public Report publish(BufferedReader reader) {
    Sending sending = new Sending();
    long number = 0;
    try {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        number++;
        sendLine(number, line, sending);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read events at line " + (number + 1), e);
    }
    return sending.finish();
  }

  /** Publishes the given lines; line numbers start at 1. */
  public Report publish(List<String> lines) {
    Sending sending = new Sending();
    for (int i = 0; i < lines.size(); i++) {
      sendLine(i + 1, lines.get(i), sending);
    }
    return sending.finish();
  }

  /** Publishes one tick at {@code at} to every partition of the clock topic. */
  public Report tick(Instant at) {
    Sending sending = new Sending();
    ClockTick tick = ClockTick.newBuilder().setAt(at).build();
    send(1, new Parsed("ClockTick", Topics.CLOCK, null, at, tick, null), sending);
    return sending.finish();
  }

  private void sendLine(long number, String line, Sending sending) {
    EventJson.Result result = EventJson.parse(line);
    if (result instanceof Invalid invalid) {
      sending.reject(number, invalid.reason());
    } else {
      send(number, (Parsed) result, sending);
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private void send(long number, Parsed event, Sending sending) {
    Topic topic = event.topic();
    String name = namespace.name(topic);
    byte[] value;
    try {
      value = topic.valueSerde(serdes).serializer().serialize(name, event.value());
    } catch (RuntimeException e) {
      sending.reject(number, "cannot encode: " + e.getMessage());
      return;
    }
    long timestamp = event.timestamp().toEpochMilli();
    if (event.toEveryPartition()) {
      // A tick promises that everything before it is published. The producer does not keep the
      // order of records across partitions, so everything sent so far must be on the broker
      // before the tick is sent; and the ledger's consumer may read the tick before it has
      // fetched those records, so each tick names the end of every input partition it comes
      // after (see IntakeProcessor).
      producer.flush();
      int count = partitionCount(name);
      Map<TopicPartition, Long> ends = positions.ends(inputPartitions(count));
      List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
      for (int partition = 0; partition < count; partition++) {
        byte[] bytes = value;
        if (!ends.isEmpty() && event.value() instanceof ClockTick tick) {
          bytes =
              topic
                  .valueSerde(serdes)
                  .serializer()
                  .serialize(name, withPositions(tick, ends, partition));
        }
        records.add(new ProducerRecord<>(name, partition, timestamp, event.key(), bytes));
      }
      sending.send(number, records);
    } else {
      sending.send(
          number, List.of(new ProducerRecord<>(name, null, timestamp, event.key(), value)));
    }
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
    }
  }

  /**
   * Tracks the sends of one publish: a line counts as accepted once every record it produced is
   * acknowledged, and as rejected (with the broker's reason) if any of them failed.
   */
  private final class Sending {
    private final Map<Long, String> invalid = new ConcurrentHashMap<>();
    private final Map<Long, String> failed = new ConcurrentHashMap<>();
    private final AtomicLong sentLines = new AtomicLong();

    void reject(long line, String reason) {
      invalid.put(line, reason);
    }

    void send(long line, List<ProducerRecord<String, byte[]>> records) {
      sentLines.incrementAndGet();
      for (ProducerRecord<String, byte[]> record : records) {
        try {
          producer.send(
              record,
              (metadata, exception) -> {
                if (exception != null) {
                  failed.putIfAbsent(line, "not published: " + exception.getMessage());
                }
              });
        } catch (RuntimeException e) {
          failed.putIfAbsent(line, "not published: " + e.getMessage());
        }
      }
    }

    Report finish() {
      producer.flush();
      List<RejectedLine> rejected = new ArrayList<>();
      invalid.forEach((line, reason) -> rejected.add(new RejectedLine(line, reason)));
      failed.forEach((line, reason) -> rejected.add(new RejectedLine(line, reason)));
      rejected.sort(Comparator.comparingLong(RejectedLine::line));
      return new Report(sentLines.get() - failed.size(), List.copyOf(rejected));
    }
  }
}
