package com.portals.ledger.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.portals.ledger.schemas.SchemaCatalog.HistoricSchema;
import com.portals.ledger.schemas.serde.AvroSerde;
import com.portals.ledger.schemas.serde.LedgerSerdes;
import java.io.ByteArrayOutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.RandomData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every earlier version of a wire record stays readable: data written with it decodes with the
 * current reader, and projecting the result back onto the old schema gives the data that was
 * written.
 */
class SchemaEvolutionTest {

  private static final int RECORDS_PER_VERSION = 200;
  private final LedgerSerdes serdes = LedgerSerdes.singleObject();

  static Stream<HistoricSchema> history() {
    return SchemaCatalog.history().stream();
  }

  @Test
  void shouldKeepEarlierVersionsToTest() {
    assertThat(SchemaCatalog.history()).isNotEmpty();
  }

  @Test
  void shouldListEveryHistoryFileInTheIndex() throws URISyntaxException, Exception {
    Path root =
        Path.of(SchemaEvolutionTest.class.getResource("/avro-history/index.txt").toURI())
            .getParent();
    List<String> files;
    try (Stream<Path> walk = Files.walk(root)) {
      files =
          walk.filter(path -> path.toString().endsWith(".avsc"))
              .map(path -> root.relativize(path).toString().replace('\\', '/'))
              .sorted()
              .toList();
    }

    assertThat(SchemaCatalog.historyPaths()).containsExactlyInAnyOrderElementsOf(files);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("history")
  void shouldBeReadableByTheCurrentSchema(HistoricSchema historic) {
    Schema current = currentSchemaOf(historic);

    assertThat(
            SchemaCompatibility.checkReaderWriterCompatibility(current, historic.schema())
                .getType())
        .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("history")
  @SuppressWarnings({"unchecked", "rawtypes"})
  void shouldDecodeDataWrittenWithAnEarlierVersion(HistoricSchema historic) throws Exception {
    Class<? extends SpecificRecord> type = currentClassOf(historic);
    AvroSerde serde = serdes.serde(type);
    BinaryMessageEncoder<Object> oldWriter =
        new BinaryMessageEncoder<>(GenericData.get(), historic.schema());

    for (Object written : new RandomData(historic.schema(), RECORDS_PER_VERSION, 42L)) {
      byte[] bytes = oldWriter.encode(written).array();

      SpecificRecord read = serde.deserialize("topic", bytes);

      assertThat(projectOnto(historic.schema(), read)).isEqualTo(written);
    }
  }

  /** Writes {@code record} with its current schema and reads it back as {@code old}. */
  private static GenericRecord projectOnto(Schema old, SpecificRecord record) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    new SpecificDatumWriter<SpecificRecord>(
            record.getSchema(), SpecificData.getForSchema(record.getSchema()))
        .write(record, encoder);
    encoder.flush();
    return new GenericDatumReader<GenericRecord>(record.getSchema(), old)
        .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
  }

  private static Schema currentSchemaOf(HistoricSchema historic) {
    return SchemaCatalog.currentSchema(currentClassOf(historic));
  }

  private static Class<? extends SpecificRecord> currentClassOf(HistoricSchema historic) {
    return SchemaCatalog.wireRecords().stream()
        .filter(type -> SchemaCatalog.currentSchema(type).getFullName().equals(historic.fullName()))
        .findFirst()
        .orElseThrow(
            () ->
                new AssertionError(
                    historic.fullName() + " has history but is not a current wire record"));
  }
}
