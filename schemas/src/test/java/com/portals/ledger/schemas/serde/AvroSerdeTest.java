package com.portals.ledger.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.portals.ledger.avro.events.ClickRecorded;
import com.portals.ledger.avro.events.OrderEvent;
import com.portals.ledger.avro.ledger.Balance;
import com.portals.ledger.schemas.SchemaCatalog;
import com.portals.ledger.schemas.json.EventJson;
import com.portals.ledger.schemas.json.EventJson.Parsed;
import com.portals.ledger.testkit.ContractExamples;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.RandomData;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AvroSerdeTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final LedgerSerdes serdes = LedgerSerdes.singleObject();

  static List<String> examples() {
    return ContractExamples.lines();
  }

  @ParameterizedTest
  @MethodSource("examples")
  void shouldRoundTripEveryContractExampleThroughSingleObjectEncoding(String line)
      throws Exception {
    Parsed parsed = (Parsed) EventJson.parse(line);

    SpecificRecord back = roundTrip(parsed.value(), "some-topic");

    assertThat(back).isEqualTo(parsed.value());
    assertThat(MAPPER.readTree(EventJson.toJson(back))).isEqualTo(MAPPER.readTree(line));
  }

  @Test
  void shouldFrameValuesWithTheSingleObjectHeaderAndTheWriterFingerprint() {
    Parsed parsed = (Parsed) EventJson.parse(ContractExamples.of("ClickRecorded"));

    byte[] bytes = serdes.serde(ClickRecorded.class).serialize("t", (ClickRecorded) parsed.value());

    assertThat(bytes[0]).isEqualTo((byte) 0xC3);
    assertThat(bytes[1]).isEqualTo((byte) 0x01);
    long fingerprint =
        ByteBuffer.wrap(bytes, 2, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
    assertThat(fingerprint)
        .isEqualTo(
            org.apache.avro.SchemaNormalization.parsingFingerprint64(
                ClickRecorded.getClassSchema()));
  }

  @Test
  void shouldRejectBytesThatAreNotAvroWithTheFirstBytesInTheMessage() {
    byte[] json = "{\"type\":\"ClickRecorded\"}".getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> serdes.serde(ClickRecorded.class).deserialize("t", json))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("unknown wire format (first bytes 7b 22 74 79)");
  }

  @Test
  void shouldRejectAnEmptyValue() {
    assertThatThrownBy(() -> serdes.serde(ClickRecorded.class).deserialize("t", new byte[0]))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("empty value");
  }

  @Test
  void shouldRejectAWriterSchemaTheLedgerDoesNotShip() throws Exception {
    Schema stranger =
        SchemaBuilder.record("Stranger")
            .namespace("elsewhere")
            .fields()
            .requiredString("x")
            .endRecord();
    GenericRecord record = new GenericData.Record(stranger);
    record.put("x", "y");
    byte[] bytes =
        new BinaryMessageEncoder<GenericRecord>(GenericData.get(), stranger).encode(record).array();

    assertThatThrownBy(() -> serdes.serde(ClickRecorded.class).deserialize("t", bytes))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("unknown writer schema");
  }

  @Test
  void shouldRejectARecordOfAnotherTypeWrittenToTheTopic() {
    Balance balance =
        Balance.newBuilder()
            .setAffiliateId("aff-1")
            .setPendingCents(1)
            .setAwaitingRefreshCents(2)
            .setBalanceCents(3)
            .setWithdrawnCents(4)
            .setFeesCents(5)
            .setAsOf(Instant.EPOCH)
            .build();
    byte[] bytes = serdes.serde(Balance.class).serialize("t", balance);

    assertThatThrownBy(() -> serdes.serde(OrderEvent.class).deserialize("t", bytes))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("cannot decode OrderEvent");
  }

  @Test
  void shouldRejectATruncatedBody() {
    Parsed parsed = (Parsed) EventJson.parse(ContractExamples.of("OrderPlaced"));
    byte[] bytes = serdes.serde(OrderEvent.class).serialize("t", (OrderEvent) parsed.value());
    byte[] truncated = Arrays.copyOf(bytes, bytes.length - 7);

    assertThatThrownBy(() -> serdes.serde(OrderEvent.class).deserialize("t", truncated))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("cannot decode OrderEvent");
  }

  @Test
  void shouldExplainThatConfluentFramedValuesNeedARegistry() {
    byte[] confluent = {0, 0, 0, 0, 7, 2, 'x'};

    assertThatThrownBy(() -> serdes.serde(ClickRecorded.class).deserialize("t", confluent))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("Confluent wire format but no schema.registry.url");
  }

  @Test
  void shouldPassNullsThroughForTombstones() {
    assertThat(serdes.serde(Balance.class).serialize("t", null)).isNull();
    assertThat(serdes.serde(Balance.class).deserialize("t", null)).isNull();
  }

  @Test
  void shouldRefuseTheConfluentFormatWithoutARegistryUrl() {
    assertThatThrownBy(() -> LedgerSerdes.fromConfig(Map.of(WireFormat.CONFIG, "confluent")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("needs schema.registry.url");
    assertThatThrownBy(() -> LedgerSerdes.fromConfig(Map.of(WireFormat.CONFIG, "xml")))
        .hasMessageContaining("ledger.wire-format=xml is not a wire format");
  }

  static List<Class<? extends SpecificRecord>> wireRecords() {
    return SchemaCatalog.wireRecords();
  }

  /**
   * The serde's writer picks the branch of a union its own way for nulls, strings and records
   * (faster than Avro's lookup); the bytes must be Avro's own, for random values of every record
   * type, every kind of union branch included.
   */
  @ParameterizedTest
  @MethodSource("wireRecords")
  @SuppressWarnings({"unchecked", "rawtypes"})
  void shouldWriteTheSameBodyAsAvrosOwnWriter(Class<? extends SpecificRecord> type)
      throws Exception {
    Schema schema = SchemaCatalog.currentSchema(type);
    SpecificData model = SpecificData.getForClass(type);
    AvroSerde serde = serdes.serde(type);
    DatumWriter<Object> genericWriter = new GenericDatumWriter<>(schema);
    SpecificDatumReader<SpecificRecord> reader = new SpecificDatumReader<>(schema, schema, model);
    DatumWriter<Object> avrosWriter = new SpecificDatumWriter<>(schema, model);
    int records = 0;

    for (Object random : new RandomData(schema, 300, 7L)) {
      byte[] generic = write(genericWriter, random);
      SpecificRecord value = reader.read(null, DecoderFactory.get().binaryDecoder(generic, null));
      byte[] avros = write(avrosWriter, value);

      byte[] framed = serde.serialize("t", value);

      assertThat(Arrays.copyOfRange(framed, 10, framed.length)).isEqualTo(avros);
      records++;
    }
    assertThat(records).isEqualTo(300);
  }

  private static byte[] write(DatumWriter<Object> writer, Object value) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    writer.write(value, encoder);
    encoder.flush();
    return out.toByteArray();
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private SpecificRecord roundTrip(SpecificRecord value, String topic) {
    AvroSerde serde = serdes.serde(value.getClass());
    return serde.deserialize(topic, serde.serialize(topic, value));
  }
}
