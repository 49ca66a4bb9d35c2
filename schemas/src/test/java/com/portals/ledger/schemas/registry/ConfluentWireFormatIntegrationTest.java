package com.portals.ledger.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.portals.ledger.avro.events.ClickRecorded;
import com.portals.ledger.avro.events.OrderEvent;
import com.portals.ledger.schemas.SchemaCatalog;
import com.portals.ledger.schemas.SchemaCatalog.HistoricSchema;
import com.portals.ledger.schemas.json.EventJson;
import com.portals.ledger.schemas.json.EventJson.Parsed;
import com.portals.ledger.schemas.serde.AvroSerde;
import com.portals.ledger.schemas.serde.LedgerSerdes;
import com.portals.ledger.testkit.ContractExamples;
import com.portals.ledger.testkit.KafkaClusterExtension;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Confluent wire format end to end: records framed with schema ids from a real registry
 * (Apicurio, Confluent-compatible API) travel through a real broker and come back equal.
 */
@Timeout(180)
class ConfluentWireFormatIntegrationTest {

  @RegisterExtension static final KafkaClusterExtension kafka = new KafkaClusterExtension();
  @RegisterExtension static final ApicurioRegistry registry = new ApicurioRegistry();

  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Test
  @SuppressWarnings({"unchecked", "rawtypes"})
  void shouldCarryEveryContractExampleThroughTheBrokerInTheConfluentFormat() throws Exception {
    String topic = KafkaClusterExtension.uniqueName("confluent-examples");
    kafka.createTopics(1, topic);
    LedgerSerdes writer =
        LedgerSerdes.confluent(new SchemaRegistryClient(registry.confluentApiUrl()));
    List<Parsed> sent = new ArrayList<>();
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      for (String line : ContractExamples.lines()) {
        Parsed parsed = (Parsed) EventJson.parse(line);
        AvroSerde serde = writer.serde(parsed.value().getClass());
        byte[] bytes = serde.serialize(topic, parsed.value());
        assertThat(bytes[0]).as("Confluent magic byte").isZero();
        producer.send(new ProducerRecord<>(topic, bytes)).get();
        sent.add(parsed);
      }
    }

    // A fresh client, so every schema is fetched from the registry by id.
    LedgerSerdes reader =
        LedgerSerdes.confluent(new SchemaRegistryClient(registry.confluentApiUrl()));
    List<ConsumerRecord<byte[], byte[]>> received =
        kafka.readAll(topic, sent.size(), Duration.ofSeconds(30));

    assertThat(received).hasSize(sent.size());
    for (int i = 0; i < sent.size(); i++) {
      SpecificRecord expected = sent.get(i).value();
      AvroSerde serde = reader.serde(expected.getClass());
      SpecificRecord actual = serde.deserialize(topic, received.get(i).value());
      assertThat(actual).isEqualTo(expected);
      assertThat(MAPPER.readTree(EventJson.toJson(actual)))
          .isEqualTo(MAPPER.readTree(ContractExamples.lines().get(i)));
    }
  }

  @Test
  void shouldAnswerAnUnknownSchemaIdWithNotFoundAndItsBody() {
    SchemaRegistryClient client = new SchemaRegistryClient(registry.confluentApiUrl());

    assertThatThrownBy(() -> client.schemaById(987_654))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class,
            e -> {
              assertThat(e.isNotFound()).isTrue();
              assertThat(e.status()).isEqualTo(404);
              assertThat(e.errorCode()).isEqualTo(40403);
              assertThat(e.getMessage()).contains("987654");
            });
  }

  @Test
  void shouldRejectAValueFramedWithAnUnknownSchemaId() {
    AvroSerde<ClickRecorded> serde =
        LedgerSerdes.confluent(new SchemaRegistryClient(registry.confluentApiUrl()))
            .serde(ClickRecorded.class);
    byte[] bytes =
        ByteBuffer.allocate(7).put((byte) 0).putInt(876_543).put(new byte[] {2, 'x'}).array();

    assertThatThrownBy(() -> serde.deserialize("t", bytes))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("unknown writer schema id 876543")
        .hasMessageContaining("404");
  }

  @Test
  void shouldRefuseAnIncompatibleSchemaWithConflict() {
    SchemaRegistryClient client = new SchemaRegistryClient(registry.confluentApiUrl());
    String subject = KafkaClusterExtension.uniqueName("compat") + "-value";
    Schema first = SchemaBuilder.record("Thing").fields().requiredString("name").endRecord();
    Schema incompatible =
        SchemaBuilder.record("Thing")
            .fields()
            .requiredString("name")
            .requiredLong("size")
            .endRecord();
    client.register(subject, first);
    client.setCompatibility(subject, "BACKWARD");

    assertThatThrownBy(() -> client.register(subject, incompatible))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class,
            e -> {
              assertThat(e.isIncompatible()).isTrue();
              assertThat(e.status()).isEqualTo(409);
            });
  }

  @Test
  void shouldReturnTheSameIdForTheSameSchemaAndCacheIt() {
    SchemaRegistryClient client = new SchemaRegistryClient(registry.confluentApiUrl());
    String subject = KafkaClusterExtension.uniqueName("same") + "-value";

    int id = client.register(subject, OrderEvent.getClassSchema());

    assertThat(
            new SchemaRegistryClient(registry.confluentApiUrl())
                .register(subject, OrderEvent.getClassSchema()))
        .isEqualTo(id);
    assertThat(client.schemaById(id)).isEqualTo(OrderEvent.getClassSchema());
  }

  @Test
  void shouldReadDataWrittenWithAnEarlierSchemaVersion() throws Exception {
    HistoricSchema old =
        SchemaCatalog.history().stream()
            .filter(h -> h.fullName().equals(ClickRecorded.getClassSchema().getFullName()))
            .findFirst()
            .orElseThrow();
    SchemaRegistryClient client = new SchemaRegistryClient(registry.confluentApiUrl());
    String topic = KafkaClusterExtension.uniqueName("old-clicks");
    int oldId = client.register(topic + "-value", old.schema());
    GenericRecord click = new GenericData.Record(old.schema());
    click.put("eventId", "e1");
    click.put("clickId", "k1");
    click.put("affiliateId", "aff-1");
    click.put("sessionId", "s1");
    click.put("occurredAt", 1_768_039_200_000L);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0);
    out.write(ByteBuffer.allocate(4).putInt(oldId).array());
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    new GenericDatumWriter<GenericRecord>(old.schema()).write(click, encoder);
    encoder.flush();

    ClickRecorded read =
        LedgerSerdes.confluent(client)
            .serde(ClickRecorded.class)
            .deserialize(topic, out.toByteArray());

    assertThat(read.getEventId()).isEqualTo("e1");
    assertThat(read.getSessionId()).isEqualTo("s1");
    assertThat(read.getProductId()).isNull();
    assertThat(read.getOccurredAt().toEpochMilli()).isEqualTo(1_768_039_200_000L);
  }

  @Test
  void shouldStillReadSingleObjectValuesWhenWritingTheConfluentFormat() {
    Parsed parsed = (Parsed) EventJson.parse(ContractExamples.of("ClickRecorded"));
    byte[] singleObject =
        LedgerSerdes.singleObject()
            .serde(ClickRecorded.class)
            .serialize("t", (ClickRecorded) parsed.value());

    ClickRecorded read =
        LedgerSerdes.confluent(new SchemaRegistryClient(registry.confluentApiUrl()))
            .serde(ClickRecorded.class)
            .deserialize("t", singleObject);

    assertThat(read).isEqualTo(parsed.value());
  }

  private static KafkaProducer<byte[], byte[]> producer() {
    Properties properties = kafka.clientProperties();
    properties.put(ProducerConfig.ACKS_CONFIG, "all");
    properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    return new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer());
  }
}
