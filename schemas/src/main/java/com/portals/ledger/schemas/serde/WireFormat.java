package com.portals.ledger.schemas.serde;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How Avro records are framed in Kafka record values. */
public enum WireFormat {
  /**
   * Avro single-object encoding: {@code C3 01}, the 8-byte CRC-64-AVRO fingerprint of the writer
   * schema, the binary body. Writer schemas are resolved against the schemas shipped with the
   * ledger; no extra service.
   */
  SINGLE_OBJECT("single-object"),
  /**
   * Confluent wire format: {@code 00}, the 4-byte big-endian schema id, the binary body. Writer
   * schemas live in a Schema Registry at {@code schema.registry.url}.
   */
  CONFLUENT("confluent");

  /** Configuration key choosing the format the ledger writes with. */
  public static final String CONFIG = "ledger.wire-format";

  /** Configuration key of the Schema Registry base URL (Confluent format). */
  public static final String REGISTRY_URL_CONFIG = "schema.registry.url";

  private final String configName;

  WireFormat(String configName) {
    this.configName = configName;
  }

  public String configName() {
    return configName;
  }

  public static WireFormat fromConfig(String value) {
    for (WireFormat format : values()) {
      if (format.configName.equals(value.strip().toLowerCase(Locale.ROOT))) {
        return format;
      }
    }
    throw new IllegalArgumentException(
        CONFIG
            + "="
            + value
            + " is not a wire format; use one of "
            + Arrays.stream(values())
                .map(WireFormat::configName)
                .collect(Collectors.joining(", ")));
  }
}
