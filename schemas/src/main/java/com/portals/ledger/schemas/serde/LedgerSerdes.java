package com.portals.ledger.schemas.serde;

import com.portals.ledger.schemas.registry.RegistryAccess;
import com.portals.ledger.schemas.registry.SchemaRegistryClient;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.specific.SpecificRecord;

/**
 * Hands out one {@link AvroSerde} per record type for a chosen wire format.
 *
 * <p>{@link #serde(Class)} follows the configured format and is used for topics shared with other
 * systems (inputs and ledger outputs). {@link #internal(Class)} always uses single-object encoding:
 * internal topics and state stores never depend on a registry being up.
 */
public final class LedgerSerdes {

  private final WireFormat format;
  private final SchemaRegistryClient registry;
  private final Map<Class<?>, AvroSerde<?>> serdes = new ConcurrentHashMap<>();
  private final Map<Class<?>, AvroSerde<?>> internalSerdes = new ConcurrentHashMap<>();

  private LedgerSerdes(WireFormat format, SchemaRegistryClient registry) {
    this.format = Objects.requireNonNull(format);
    this.registry = registry;
  }

  /** Single-object encoding, no registry; Confluent-framed values cannot be read. */
  public static LedgerSerdes singleObject() {
    return new LedgerSerdes(WireFormat.SINGLE_OBJECT, null);
  }

  /** Writes the Confluent format through {@code registry}; reads both formats. */
  public static LedgerSerdes confluent(SchemaRegistryClient registry) {
    return new LedgerSerdes(WireFormat.CONFLUENT, Objects.requireNonNull(registry));
  }

  /**
   * From {@value WireFormat#CONFIG} (default {@code single-object}) and {@value
   * WireFormat#REGISTRY_URL_CONFIG}. With a registry URL and the single-object format, Confluent
   * values are still readable.
   */
  public static LedgerSerdes fromConfig(Map<String, ?> config) {
    Object formatValue = config.get(WireFormat.CONFIG);
    WireFormat format =
        formatValue == null
            ? WireFormat.SINGLE_OBJECT
            : WireFormat.fromConfig(String.valueOf(formatValue));
    Object url = config.get(WireFormat.REGISTRY_URL_CONFIG);
    SchemaRegistryClient registry =
        url == null || String.valueOf(url).isBlank()
            ? null
            : new SchemaRegistryClient(String.valueOf(url), RegistryAccess.fromConfig(config));
    if (format == WireFormat.CONFLUENT && registry == null) {
      throw new IllegalArgumentException(
          WireFormat.CONFIG + "=confluent needs " + WireFormat.REGISTRY_URL_CONFIG);
    }
    return new LedgerSerdes(format, registry);
  }

  public WireFormat format() {
    return format;
  }

  /** Serde in the configured wire format. */
  @SuppressWarnings("unchecked")
  public <T extends SpecificRecord> AvroSerde<T> serde(Class<T> type) {
    return (AvroSerde<T>)
        serdes.computeIfAbsent(type, t -> new AvroSerde<>(type, format, registry));
  }

  /** Serde in single-object encoding, for internal topics and state stores. */
  @SuppressWarnings("unchecked")
  public <T extends SpecificRecord> AvroSerde<T> internal(Class<T> type) {
    return (AvroSerde<T>)
        internalSerdes.computeIfAbsent(
            type, t -> new AvroSerde<>(type, WireFormat.SINGLE_OBJECT, registry));
  }
}
