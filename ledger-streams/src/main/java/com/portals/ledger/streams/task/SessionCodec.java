package com.portals.ledger.streams.task;

import com.portals.ledger.avro.internal.SessionClicks;
import com.portals.ledger.schemas.serde.AvroSerde;
import com.portals.ledger.streams.state.Codec;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The sessions store's values: the instant the session's last click was ordered at, then the
 * session's clicks in Avro. A task that opens with its sessions on disk reads the first eight bytes
 * of each only, to know when it expires ({@link SessionExpiry}).
 */
final class SessionCodec implements Codec<SessionClicks> {

  private final AvroSerde<SessionClicks> serde;

  SessionCodec(AvroSerde<SessionClicks> serde) {
    this.serde = serde;
  }

  static long lastOrderedAt(byte[] stored) {
    return ByteBuffer.wrap(stored, 0, Long.BYTES).getLong();
  }

  @Override
  public byte[] encode(SessionClicks value) {
    byte[] avro = serde.serialize("", value);
    return ByteBuffer.allocate(Long.BYTES + avro.length)
        .putLong(Attribution.lastOrderedAt(value))
        .put(avro)
        .array();
  }

  @Override
  public SessionClicks decode(byte[] bytes) {
    return serde.deserialize("", Arrays.copyOfRange(bytes, Long.BYTES, bytes.length));
  }
}
