package com.portals.ledger.schemas.topics;

import com.portals.ledger.schemas.serde.LedgerSerdes;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * A topic of the ledger: its name, what its keys are, the record type of its values and how long it
 * keeps them. Keys are UTF-8 strings; values are Avro in the configured wire format.
 *
 * @param name the topic name, part of the public contract
 * @param valueType generated Avro class of the values
 * @param keyedBy what the key of each record is (documentation, and the router's rule)
 * @param cleanup whether the topic keeps every record or the latest per key
 */
public record Topic<V extends SpecificRecord>(
    String name, Class<V> valueType, String keyedBy, Cleanup cleanup) {

  /** How a topic keeps its records. */
  public enum Cleanup {
    /** Every record forever (retention -1): the log is the truth. */
    RETAIN_ALL,
    /** The latest record per key (log compaction). */
    COMPACT
  }

  public Serde<String> keySerde() {
    return Serdes.String();
  }

  /** Value serde in the wire format of {@code serdes}. */
  public Serde<V> valueSerde(LedgerSerdes serdes) {
    return serdes.serde(valueType);
  }

  /**
   * Record timestamps are event times, which may lie in the future (a rate effective next month, a
   * tick published ahead of time): the broker must not refuse them (Kafka 4 refuses timestamps more
   * than an hour ahead of its clock by default).
   */
  public static final Map<String, String> EVENT_TIME_CONFIGS =
      Map.of(TopicConfig.MESSAGE_TIMESTAMP_AFTER_MAX_MS_CONFIG, String.valueOf(Long.MAX_VALUE));

  /** Topic-level configuration the ledger creates the topic with. */
  public Map<String, String> configs() {
    Map<String, String> configs = new TreeMap<>(EVENT_TIME_CONFIGS);
    switch (cleanup) {
      case RETAIN_ALL -> {
        configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE);
        configs.put(TopicConfig.RETENTION_MS_CONFIG, "-1");
        configs.put(TopicConfig.RETENTION_BYTES_CONFIG, "-1");
      }
      case COMPACT ->
          configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
    }
    return configs;
  }

  @Override
  public String toString() {
    return name;
  }
}
