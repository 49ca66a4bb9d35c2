package com.portals.ledger.streams.state;

import com.portals.ledger.schemas.serde.AvroSerde;
import org.apache.avro.specific.SpecificRecord;

/** How a {@link WriteBackStore} turns its values into the bytes of its RocksDB store and back. */
public interface Codec<V> {

  byte[] encode(V value);

  V decode(byte[] bytes);

  /** Values stored as they are. */
  static Codec<byte[]> bytes() {
    return new Codec<>() {
      @Override
      public byte[] encode(byte[] value) {
        return value;
      }

      @Override
      public byte[] decode(byte[] bytes) {
        return bytes;
      }
    };
  }

  /** Avro records, in the serde's encoding (single-object for state). */
  static <V extends SpecificRecord> Codec<V> avro(AvroSerde<V> serde) {
    return new Codec<>() {
      @Override
      public byte[] encode(V value) {
        return serde.serialize("", value);
      }

      @Override
      public V decode(byte[] bytes) {
        return serde.deserialize("", bytes);
      }
    };
  }
}
