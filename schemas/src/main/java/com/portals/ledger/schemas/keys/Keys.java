package com.portals.ledger.schemas.keys;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import org.apache.kafka.common.utils.Bytes;

/**
 * Composite keys of the stages' RocksDB stores, built so that byte order (RocksDB's order) is the
 * order the stage needs: instants sort chronologically (also before 1970), strings are
 * length-prefixed so that one string is never taken for the prefix of another.
 */
public final class Keys {

  private Keys() {}

  /** A key builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** The instant written at {@code offset} of {@code key}. */
  public static Instant instantAt(Bytes key, int offset) {
    return Instant.ofEpochMilli(ByteBuffer.wrap(key.get(), offset, 8).getLong() ^ Long.MIN_VALUE);
  }

  /** The length-prefixed string starting at {@code offset} of {@code key}. */
  public static String stringAt(Bytes key, int offset) {
    ByteBuffer buffer = ByteBuffer.wrap(key.get(), offset, key.get().length - offset);
    int length = buffer.getInt();
    return new String(key.get(), offset + 4, length, StandardCharsets.UTF_8);
  }

  /**
   * The string that ends {@code key} from {@code offset} on (written with {@link Builder#tail}).
   */
  public static String tailAt(Bytes key, int offset) {
    return new String(key.get(), offset, key.get().length - offset, StandardCharsets.UTF_8);
  }

  /** Appends fields in order; the result compares field by field. */
  public static final class Builder {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(64);

    public Builder instant(Instant instant) {
      return longValue(instant.toEpochMilli() ^ Long.MIN_VALUE);
    }

    public Builder string(String value) {
      byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
      out.writeBytes(ByteBuffer.allocate(4).putInt(bytes.length).array());
      out.writeBytes(bytes);
      return this;
    }

    /**
     * A string as the last field, without a length: keys that differ only in it compare by its
     * UTF-8 bytes, which is the order of its code points.
     */
    public Builder tail(String value) {
      out.writeBytes(value.getBytes(StandardCharsets.UTF_8));
      return this;
    }

    public Builder signedLong(long value) {
      return longValue(value ^ Long.MIN_VALUE);
    }

    public Builder priority(int value) {
      if (value < 0 || value > 255) {
        throw new IllegalArgumentException("a priority is a byte, got " + value);
      }
      out.write(value);
      return this;
    }

    private Builder longValue(long value) {
      out.writeBytes(ByteBuffer.allocate(8).putLong(value).array());
      return this;
    }

    public Bytes build() {
      return Bytes.wrap(out.toByteArray());
    }
  }

  /** The smallest key greater than every key starting with {@code prefix}. */
  public static Bytes afterPrefix(Bytes prefix) {
    byte[] bytes = prefix.get().clone();
    for (int i = bytes.length - 1; i >= 0; i--) {
      if (bytes[i] != (byte) 0xFF) {
        bytes[i]++;
        return Bytes.wrap(Arrays.copyOf(bytes, i + 1));
      }
    }
    throw new IllegalArgumentException("no key follows a prefix of only 0xFF bytes");
  }
}
