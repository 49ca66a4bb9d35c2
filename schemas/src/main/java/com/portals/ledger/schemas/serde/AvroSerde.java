package com.portals.ledger.schemas.serde;

import com.portals.ledger.schemas.AvroTrust;
import com.portals.ledger.schemas.SchemaCatalog;
import com.portals.ledger.schemas.registry.SchemaRegistryClient;
import com.portals.ledger.schemas.registry.SchemaRegistryException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serde of one generated record type. Writes in the configured {@link WireFormat}; reads both
 * formats, recognised by their first byte, so that a topic written by a mix of producers stays
 * readable (the Confluent format needs a registry to be configured).
 *
 * <p>Every failure to read is a {@link SerializationException} whose message says what was wrong
 * with the bytes (unknown framing, unknown writer schema, incompatible writer, truncated body).
 */
public final class AvroSerde<T extends SpecificRecord>
    implements Serde<T>, Serializer<T>, Deserializer<T> {

  private static final byte CONFLUENT_MAGIC = 0x00;
  private static final byte SINGLE_OBJECT_MARKER_0 = (byte) 0xC3;
  private static final byte SINGLE_OBJECT_MARKER_1 = 0x01;

  private final Class<T> type;
  private final Schema readerSchema;
  private final SpecificData model;
  private final WireFormat writeFormat;
  private final SchemaRegistryClient registry;
  private final SpecificDatumWriter<T> singleObjectWriter;
  private final byte[] singleObjectHeader;
  private final SpecificDatumWriter<T> confluentWriter;
  private final Map<Integer, SpecificDatumReader<T>> confluentReaders = new ConcurrentHashMap<>();
  private final Map<Long, SpecificDatumReader<T>> singleObjectReaders = new ConcurrentHashMap<>();
  private static final int SINGLE_OBJECT_HEADER = 10;

  AvroSerde(Class<T> type, WireFormat writeFormat, SchemaRegistryClient registry) {
    AvroTrust.install();
    this.type = Objects.requireNonNull(type);
    this.writeFormat = Objects.requireNonNull(writeFormat);
    if (writeFormat == WireFormat.CONFLUENT && registry == null) {
      throw new IllegalArgumentException(
          "the confluent wire format needs " + WireFormat.REGISTRY_URL_CONFIG);
    }
    this.registry = registry;
    this.readerSchema = SchemaCatalog.currentSchema(type);
    this.model = SpecificData.getForClass(type);
    this.singleObjectWriter = new Writer<>(readerSchema, model);
    this.singleObjectHeader =
        ByteBuffer.allocate(SINGLE_OBJECT_HEADER)
            .put(SINGLE_OBJECT_MARKER_0)
            .put(SINGLE_OBJECT_MARKER_1)
            .order(ByteOrder.LITTLE_ENDIAN)
            .putLong(SchemaNormalization.parsingFingerprint64(readerSchema))
            .array();
    this.confluentWriter = new Writer<>(readerSchema, model);
  }

  public Class<T> type() {
    return type;
  }

  public WireFormat writeFormat() {
    return writeFormat;
  }

  @Override
  public Serializer<T> serializer() {
    return this;
  }

  @Override
  public Deserializer<T> deserializer() {
    return this;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    // Configured at construction (see LedgerSerdes); Kafka's configure call carries nothing new.
  }

  @Override
  public void close() {
    // Nothing to release: the registry client is shared and owned by LedgerSerdes.
  }

  @Override
  public byte[] serialize(String topic, T data) {
    if (data == null) {
      return null;
    }
    try {
      if (writeFormat == WireFormat.SINGLE_OBJECT) {
        return writeSingleObject(data);
      }
      int id = registry.register(topic + "-value", readerSchema);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.write(CONFLUENT_MAGIC);
      out.write(ByteBuffer.allocate(4).putInt(id).array());
      BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
      confluentWriter.write(data, encoder);
      encoder.flush();
      return out.toByteArray();
    } catch (IOException | AvroRuntimeException | SchemaRegistryException e) {
      throw new SerializationException(
          "cannot write " + type.getSimpleName() + " to " + topic + ": " + e.getMessage(), e);
    }
  }

  /** Reusable output of the current thread: the header, then the body, copied out once. */
  private static final ThreadLocal<Output> OUTPUT = ThreadLocal.withInitial(Output::new);

  private static final class Output extends ByteArrayOutputStream {
    private BinaryEncoder encoder;

    Output() {
      super(256);
    }

    BinaryEncoder encoder() {
      encoder = EncoderFactory.get().binaryEncoder(this, encoder);
      return encoder;
    }
  }

  /** {@code C3 01}, the schema's fingerprint, the binary body, straight into one array. */
  private byte[] writeSingleObject(T data) throws IOException {
    Output out = OUTPUT.get();
    out.reset();
    out.write(singleObjectHeader);
    BinaryEncoder encoder = out.encoder();
    singleObjectWriter.write(data, encoder);
    encoder.flush();
    return out.toByteArray();
  }

  @Override
  public T deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    if (data.length == 0) {
      throw new SerializationException("empty value: expected an Avro " + type.getSimpleName());
    }
    if (data.length >= 2
        && data[0] == SINGLE_OBJECT_MARKER_0
        && data[1] == SINGLE_OBJECT_MARKER_1) {
      return readSingleObject(data);
    }
    if (data[0] == CONFLUENT_MAGIC) {
      return readConfluent(data);
    }
    throw new SerializationException(
        "unknown wire format (first bytes "
            + HexFormat.ofDelimiter(" ").formatHex(data, 0, Math.min(4, data.length))
            + "): expected Avro single-object encoding (C3 01) or the Confluent wire format (00)");
  }

  /**
   * Reads {@code C3 01}, the writer schema's 8-byte CRC-64-AVRO fingerprint (little-endian), then
   * the binary body, with a reader resolved once per writer schema from the schemas this ledger
   * ships. The body is read straight from the array (Avro's message decoder reads it through an
   * input stream, byte by byte, several times slower).
   */
  private T readSingleObject(byte[] data) {
    if (data.length < SINGLE_OBJECT_HEADER) {
      throw new SerializationException(
          "bad single-object header: " + data.length + " bytes, expected at least 10");
    }
    long fingerprint =
        ByteBuffer.wrap(data, 2, Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).getLong();
    SpecificDatumReader<T> reader = singleObjectReaders.get(fingerprint);
    if (reader == null) {
      Schema writer = SchemaCatalog.store().findByFingerprint(fingerprint);
      if (writer == null) {
        throw new SerializationException(
            "unknown writer schema: fingerprint "
                + Long.toHexString(fingerprint)
                + " (not a schema this ledger ships)");
      }
      try {
        reader = new SpecificDatumReader<>(writer, readerSchema, model);
      } catch (AvroRuntimeException e) {
        throw new SerializationException(
            "writer schema " + writer.getFullName() + " cannot be read as " + type.getSimpleName(),
            e);
      }
      singleObjectReaders.put(fingerprint, reader);
    }
    try {
      BinaryDecoder decoder =
          DecoderFactory.get()
              .binaryDecoder(data, SINGLE_OBJECT_HEADER, data.length - SINGLE_OBJECT_HEADER, null);
      return reader.read(null, decoder);
    } catch (IOException | RuntimeException e) {
      throw new SerializationException(
          "cannot decode " + type.getSimpleName() + " (single-object): " + describe(e), e);
    }
  }

  private T readConfluent(byte[] data) {
    if (registry == null) {
      throw new SerializationException(
          "value is in the Confluent wire format but no "
              + WireFormat.REGISTRY_URL_CONFIG
              + " is configured");
    }
    if (data.length < 5) {
      throw new SerializationException(
          "Confluent wire format value of " + data.length + " bytes has no schema id");
    }
    int id = ByteBuffer.wrap(data, 1, 4).getInt();
    SpecificDatumReader<T> reader;
    try {
      reader =
          confluentReaders.computeIfAbsent(
              id, key -> new SpecificDatumReader<>(registry.schemaById(key), readerSchema, model));
    } catch (SchemaRegistryException e) {
      throw new SerializationException(
          "unknown writer schema id " + id + " (" + e.getMessage() + ")", e);
    } catch (AvroRuntimeException e) {
      throw new SerializationException(
          "schema id " + id + " cannot be read as " + type.getSimpleName() + ": " + e.getMessage(),
          e);
    }
    try {
      BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(data, 5, data.length - 5, null);
      T value = reader.read(null, decoder);
      if (!decoder.isEnd()) {
        throw new SerializationException(
            "trailing bytes after " + type.getSimpleName() + " written with schema id " + id);
      }
      return value;
    } catch (IOException | RuntimeException e) {
      if (e instanceof SerializationException serializationException) {
        throw serializationException;
      }
      throw new SerializationException(
          "cannot decode " + type.getSimpleName() + " (schema id " + id + "): " + describe(e), e);
    }
  }

  private static String describe(Exception e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  /**
   * Avro's writer, with the branch of a union chosen without Avro's general lookup for the common
   * cases (null, a string, a generated record): Avro asks first whether the value's class is
   * "stringable", a set lookup per union written that was a measurable share of the write side.
   */
  private static final class Writer<T> extends SpecificDatumWriter<T> {
    Writer(Schema root, SpecificData model) {
      super(root, model);
    }

    @Override
    protected int resolveUnion(Schema union, Object datum) {
      String name;
      if (datum == null) {
        name = "null";
      } else if (datum instanceof SpecificRecord record) {
        name = record.getSchema().getFullName();
      } else if (datum instanceof CharSequence) {
        name = "string";
      } else {
        return super.resolveUnion(union, datum);
      }
      Integer index = union.getIndexNamed(name);
      return index != null ? index : super.resolveUnion(union, datum);
    }
  }
}
