package com.portals.ledger.app.bench;

import com.portals.ledger.app.bench.BenchWorkload.Batch;
import com.portals.ledger.app.bench.BenchWorkload.Event;
import com.portals.ledger.avro.events.ClockTick;
import com.portals.ledger.schemas.json.EventJson;
import com.portals.ledger.schemas.json.EventJson.Invalid;
import com.portals.ledger.schemas.json.EventJson.Parsed;
import com.portals.ledger.schemas.publish.EventPublisher;
import com.portals.ledger.schemas.serde.LedgerSerdes;
import com.portals.ledger.schemas.topics.Topic;
import com.portals.ledger.schemas.topics.TopicNamespace;
import com.portals.ledger.schemas.topics.Topics;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The raw Kafka baseline of {@code ledger bench}: the records the ledger run publishes (the same
 * bytes, keys, timestamps and partitioning, in the same order, the ticks to every partition
 * included) produced to a copy of the input topics by a plain {@link KafkaProducer} with the
 * publisher's settings ({@code acks=all}, idempotent, {@link EventPublisher#producerConfig}) and
 * read back, while it produces, by a plain {@code read_committed} consumer. The producer goes flat
 * out: no flush and no wait between batches, so this is what Kafka alone does with these records on
 * this machine. Nothing but Kafka does any work: the events are encoded before the clock starts,
 * and a warm-up batch is produced and read back first.
 *
 * <p>In: the workload, the topics (a namespace of their own, so that the ledger never reads them).
 * Out: {@link Result}: the time from the first send to the last record read back, and the
 * produce-to-consume latency of each event (from handing its batch to the producer to reading it
 * back, a wait in the producer's buffer included).
 */
final class RawBaseline {

  /**
   * What the baseline measured.
   *
   * @param events benchmark events produced and read back (ticks not counted)
   * @param records records produced and read back, ticks (one per partition) included
   * @param elapsedNanos from the first send to the last record read back
   * @param latency from the start of sending an event's batch to reading the event back
   */
  record Result(int events, long records, long elapsedNanos, LatencySummary latency) {
    double eventsPerSecond() {
      return events * 1e9 / elapsedNanos;
    }
  }

  private RawBaseline() {}

  static Result run(
      String bootstrapServers,
      TopicNamespace namespace,
      int partitions,
      BenchWorkload workload,
      LedgerSerdes serdes,
      Duration timeout,
      PrintWriter out)
      throws InterruptedException {
    List<Batch> batches = workload.warmUpThenBatches();
    List<List<ProducerRecord<String, byte[]>>> events = new ArrayList<>();
    List<List<ProducerRecord<String, byte[]>>> ticks = new ArrayList<>();
    // Event times are unique (BenchWorkload), and so are tick times: a record read back is known
    // by its timestamp.
    Map<Long, Integer> batchOfEvent = new HashMap<>();
    Map<Long, Integer> batchOfTick = new HashMap<>();
    int[] expected = new int[batches.size()];
    String clockTopic = namespace.name(Topics.CLOCK);
    long measuredRecords = 0;
    for (int i = 0; i < batches.size(); i++) {
      Batch batch = batches.get(i);
      List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
      for (Event event : batch.events()) {
        EventJson.Result parsed = EventJson.parse(event.json());
        if (parsed instanceof Invalid invalid) {
          throw new IllegalStateException(
              "benchmark event " + event.eventId() + " is invalid: " + invalid.reason());
        }
        Parsed valid = (Parsed) parsed;
        String topic = namespace.name(valid.topic());
        long timestamp = valid.timestamp().toEpochMilli();
        records.add(
            new ProducerRecord<>(
                topic, null, timestamp, valid.key(), encode(valid.topic(), valid.value(), serdes)));
        if (batchOfEvent.put(timestamp, i) != null) {
          throw new IllegalStateException("two benchmark events at " + valid.timestamp());
        }
      }
      long tickTime = batch.tickAt().toEpochMilli();
      byte[] tick =
          encode(Topics.CLOCK, ClockTick.newBuilder().setAt(batch.tickAt()).build(), serdes);
      List<ProducerRecord<String, byte[]>> tickRecords = new ArrayList<>();
      for (int partition = 0; partition < partitions; partition++) {
        tickRecords.add(new ProducerRecord<>(clockTopic, partition, tickTime, null, tick));
      }
      batchOfTick.put(tickTime, i);
      events.add(records);
      ticks.add(tickRecords);
      expected[i] = records.size() + tickRecords.size();
      if (i > 0) {
        measuredRecords += expected[i];
      }
    }

    BatchTracker tracker = new BatchTracker(expected, 1);
    List<String> topics = Topics.inputs().stream().map(namespace::name).toList();
    Properties producerConfig = EventPublisher.producerConfig(bootstrapServers);
    producerConfig.put(ProducerConfig.CLIENT_ID_CONFIG, "ledger-bench-raw");
    AtomicReference<Exception> sendFailure = new AtomicReference<>();
    long patience = timeout.toNanos();
    Progress progress = new Progress(out, "raw", workload);
    try (TopicReader reader =
            TopicReader.start(
                "ledger-bench-raw-reader",
                bootstrapServers,
                topics,
                (record, received) -> {
                  boolean isTick = record.topic().equals(clockTopic);
                  Integer batch = (isTick ? batchOfTick : batchOfEvent).get(record.timestamp());
                  if (batch == null) {
                    throw new IllegalStateException(
                        "unexpected record on " + record.topic() + " at " + record.timestamp());
                  }
                  if (!isTick) {
                    tracker.sample(batch, received);
                  }
                  tracker.arrived(batch, received);
                });
        KafkaProducer<String, byte[]> producer =
            new KafkaProducer<>(
                producerConfig, new StringSerializer(), new ByteArraySerializer())) {
      // Metadata of every topic before the clock starts, as the ledger's publisher gets it.
      topics.forEach(producer::partitionsFor);
      Runnable check =
          () -> {
            reader.check();
            Exception failed = sendFailure.get();
            if (failed != null) {
              throw new IllegalStateException("raw produce failed: " + failed, failed);
            }
          };
      int last = batches.size() - 1;
      // Flat out: every record handed to the producer as fast as it takes them, the warm-up batch
      // alone first; only the end is flushed, the producer's linger sends the rest.
      tracker.drive(
          Integer.MAX_VALUE,
          patience,
          check,
          i -> {
            send(producer, events.get(i), sendFailure);
            send(producer, ticks.get(i), sendFailure);
            if (i == 0 || i == last) {
              producer.flush();
            }
            progress.sent(i - 1, tracker);
          });
    }
    return new Result(
        workload.eventCount(),
        measuredRecords,
        tracker.lastArrival() - tracker.sentAt(1),
        LatencySummary.of(tracker.latencies()));
  }

  private static void send(
      KafkaProducer<String, byte[]> producer,
      List<ProducerRecord<String, byte[]>> records,
      AtomicReference<Exception> failure) {
    for (ProducerRecord<String, byte[]> record : records) {
      producer.send(
          record,
          (metadata, exception) -> {
            if (exception != null) {
              failure.compareAndSet(null, exception);
            }
          });
    }
  }

  /** The bytes the ledger's publisher writes for {@code value} on {@code topic}. */
  private static <V extends SpecificRecord> byte[] encode(
      Topic<V> topic, SpecificRecord value, LedgerSerdes serdes) {
    return topic
        .valueSerde(serdes)
        .serializer()
        .serialize(topic.name(), topic.valueType().cast(value));
  }
}
