package com.portals.ledger.schemas.publish;

import com.portals.ledger.schemas.clients.KafkaClients;
import com.portals.ledger.schemas.serde.LedgerSerdes;
import com.portals.ledger.schemas.topics.Topic;
import com.portals.ledger.schemas.topics.TopicNamespace;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes a group of events that the API makes itself (a payout batch and its assignments, a bank
 * report's payout results), in order, with the same idempotent, all-replicas producer as {@code
 * POST /events}, and returns once every one is acknowledged.
 *
 * <p>Not in a Kafka transaction, on purpose: the ledger's intake knows it has read an input
 * partition up to a tick's position by the offsets of the records it read, and a transaction's
 * commit marker takes an offset that no record has. A tick whose position lies past a marker would
 * wait for the partition's next record. So a group that fails half way is half published; each of
 * its events is one the ledger judges on its own (an assignment of a withdrawal already in a batch
 * is refused), and the API shows what the ledger applied, never what it asked for.
 */
public final class GroupPublisher implements AutoCloseable {

  /** One event of a group: where it goes, its key, its value and its record timestamp. */
  public record Event(Topic<?> topic, String key, SpecificRecord value, Instant timestamp) {}

  private final Producer<String, byte[]> producer;
  private final LedgerSerdes serdes;
  private final TopicNamespace namespace;

  GroupPublisher(Producer<String, byte[]> producer, LedgerSerdes serdes, TopicNamespace namespace) {
    this.producer = producer;
    this.serdes = serdes;
    this.namespace = namespace;
  }

  /** A publisher with a producer of its own, on {@code clients}' settings. */
  public static GroupPublisher connect(
      KafkaClients clients, LedgerSerdes serdes, TopicNamespace namespace) {
    return new GroupPublisher(
        new KafkaProducer<>(
            EventPublisher.producerConfig(clients),
            new StringSerializer(),
            new ByteArraySerializer()),
        serdes,
        namespace);
  }

  /**
   * Sends {@code events} in their order and waits until each is acknowledged.
   *
   * @throws KafkaException if one was not (those before it may have been published)
   */
  public synchronized void publish(List<Event> events) {
    List<Future<RecordMetadata>> sent = new ArrayList<>(events.size());
    for (Event event : events) {
      sent.add(
          producer.send(
              new ProducerRecord<>(
                  namespace.name(event.topic()),
                  null,
                  event.timestamp().toEpochMilli(),
                  event.key(),
                  encode(event))));
    }
    producer.flush();
    for (Future<RecordMetadata> ack : sent) {
      try {
        ack.get();
      } catch (ExecutionException e) {
        throw new KafkaException("an event of the group was not published", e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new KafkaException("interrupted while publishing", e);
      }
    }
  }

  @SuppressWarnings("unchecked")
  private byte[] encode(Event event) {
    Topic<SpecificRecord> topic = (Topic<SpecificRecord>) event.topic();
    return topic
        .valueSerde(serdes)
        .serializer()
        .serialize(namespace.name(event.topic()), event.value());
  }

  @Override
  public synchronized void close() {
    producer.close();
  }
}
