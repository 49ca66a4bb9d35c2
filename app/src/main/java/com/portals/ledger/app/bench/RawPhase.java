package com.portals.ledger.app.bench;

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
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Phase (a) of {@code ledger bench}, raw Kafka: the history's JSON lines, turned into Avro records
 * as the ledger's publisher turns them ({@link EventJson}, the topic's serde, its key and
 * timestamp, a tick to every partition), produced open loop (each handed to a plain producer with
 * the publisher's settings as soon as the producer takes it) to a copy of the input topics, and
 * read back meanwhile by a {@code read_committed} consumer that decodes every record. No ledger:
 * what this broker and this machine do with these records.
 *
 * <p>The clock starts before the first line is generated, so the encoding is inside the window.
 * Out: events ÷ (last record read back − first send); ticks travel too but are not counted, as in
 * the ledger's figure. Ticks carry no input positions here: the publisher reads them from the
 * broker at each tick, which would close the loop.
 */
final class RawPhase {

  /**
   * What the phase measured.
   *
   * @param events events produced and read back (ticks not counted)
   * @param records records read back, a tick being one record per partition
   * @param expectedRecords records produced
   * @param sentNanos from the first send to the producer's last acknowledgement
   * @param elapsedNanos from the first send to the last record read back
   * @param complete whether every record came back
   */
  record Result(
      long events,
      long records,
      long expectedRecords,
      long sentNanos,
      long elapsedNanos,
      boolean complete) {

    double eventsPerSecond() {
      return elapsedNanos > 0 ? events * 1e9 / elapsedNanos : 0;
    }

    String describe() {
      return String.format(
          Locale.ROOT,
          "%d events (%d records with the ticks) encoded, produced in %.2f s and read back and"
              + " decoded in %.2f s = %.1f events/s%s",
          events,
          records,
          sentNanos / 1e9,
          elapsedNanos / 1e9,
          eventsPerSecond(),
          complete ? "" : " (INCOMPLETE: gave up waiting for the rest)");
    }
  }

  private RawPhase() {}

  static Result run(
      String bootstrapServers,
      TopicNamespace namespace,
      int partitions,
      Workload workload,
      Workload.Summary summary,
      LedgerSerdes serdes,
      Duration timeout,
      PrintWriter out)
      throws InterruptedException {
    long expected = summary.events() + summary.ticks() * partitions;
    Map<String, Deserializer<? extends SpecificRecord>> decoders = new HashMap<>();
    for (Topic<?> topic : Topics.inputs()) {
      decoders.put(namespace.name(topic), topic.valueSerde(serdes).deserializer());
    }
    AtomicLong received = new AtomicLong();
    AtomicLong lastReceived = new AtomicLong();
    AtomicReference<Exception> sendFailure = new AtomicReference<>();
    Properties config = EventPublisher.producerConfig(bootstrapServers);
    config.put(ProducerConfig.CLIENT_ID_CONFIG, "ledger-bench-raw");
    List<String> topics = List.copyOf(decoders.keySet());
    long started;
    long sent;
    try (TopicReader reader =
            TopicReader.start(
                "ledger-bench-raw-reader",
                bootstrapServers,
                topics,
                (record, at) -> {
                  decoders.get(record.topic()).deserialize(record.topic(), record.value());
                  received.incrementAndGet();
                  lastReceived.set(at);
                });
        KafkaProducer<String, byte[]> producer =
            new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
      // Metadata of every topic before the clock starts, as the ledger's publisher has it.
      topics.forEach(producer::partitionsFor);
      out.printf(Locale.ROOT, "  raw: producing %d records open loop%n", expected);
      out.flush();
      started = System.nanoTime();
      Progress progress = new Progress();
      long produced = 0;
      for (Iterator<String> lines = workload.lines(); lines.hasNext(); ) {
        EventJson.Result result = EventJson.parse(lines.next());
        if (result instanceof Invalid invalid) {
          throw new IllegalStateException("a benchmark line is invalid: " + invalid.reason());
        }
        Parsed event = (Parsed) result;
        String name = namespace.name(event.topic());
        byte[] value = encode(event.topic(), name, event.value(), serdes);
        long timestamp = event.timestamp().toEpochMilli();
        produced += event.toEveryPartition() ? partitions : 1;
        if (progress.due()) {
          out.printf(
              Locale.ROOT,
              "  raw: %d/%d records produced, %d read back%n",
              produced,
              expected,
              received.get());
          out.flush();
        }
        if (event.toEveryPartition()) {
          for (int partition = 0; partition < partitions; partition++) {
            send(
                producer,
                new ProducerRecord<>(name, partition, timestamp, null, value),
                sendFailure);
          }
        } else {
          send(
              producer,
              new ProducerRecord<>(name, null, timestamp, event.key(), value),
              sendFailure);
        }
      }
      producer.flush();
      sent = System.nanoTime() - started;
      boolean complete =
          Waiter.await(
              () -> received.get() >= expected,
              lastReceived::get,
              timeout,
              () -> {
                reader.check();
                Exception failed = sendFailure.get();
                if (failed != null) {
                  throw new IllegalStateException("raw produce failed: " + failed, failed);
                }
              },
              () -> {
                out.printf(
                    Locale.ROOT, "  raw: %d/%d records read back%n", received.get(), expected);
                out.flush();
              });
      return new Result(
          summary.events(), received.get(), expected, sent, lastReceived.get() - started, complete);
    }
  }

  private static void send(
      KafkaProducer<String, byte[]> producer,
      ProducerRecord<String, byte[]> record,
      AtomicReference<Exception> failure) {
    producer.send(
        record,
        (metadata, exception) -> {
          if (exception != null) {
            failure.compareAndSet(null, exception);
          }
        });
  }

  /** The bytes the ledger's publisher writes for {@code value} on {@code topic}. */
  private static <V extends SpecificRecord> byte[] encode(
      Topic<V> topic, String name, SpecificRecord value, LedgerSerdes serdes) {
    return topic.valueSerde(serdes).serializer().serialize(name, topic.valueType().cast(value));
  }
}
