package com.portals.ledger.schemas.clients;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Where Kafka is and how to talk to it, for every client the ledger builds outside Kafka Streams
 * (admin clients, the publisher's producer, the consumers of replay, verify and the simulator):
 * each takes, of the ledger's settings, those its kind of client knows ({@code security.protocol},
 * {@code sasl.*}, {@code ssl.*}, timeouts...), then the settings its own code needs, then the
 * bootstrap servers. Kafka Streams gets the same settings through its own configuration.
 *
 * @param bootstrapServers {@code host:port,...}
 * @param settings the ledger's settings; keys no client knows are left out
 */
public record KafkaClients(String bootstrapServers, Map<String, String> settings) {

  public KafkaClients {
    settings = Map.copyOf(settings);
  }

  /** Plain connections to {@code bootstrapServers}, nothing else set. */
  public static KafkaClients at(String bootstrapServers) {
    return new KafkaClients(bootstrapServers, Map.of());
  }

  /** Settings of an admin client: the known ones of {@link #settings}, then {@code own}. */
  public Map<String, Object> admin(Map<String, ?> own) {
    return config(AdminClientConfig.configNames(), own);
  }

  /** Settings of a producer: the known ones of {@link #settings}, then {@code own}. */
  public Properties producer(Map<String, ?> own) {
    Properties properties = new Properties();
    properties.putAll(config(ProducerConfig.configNames(), own));
    return properties;
  }

  /** Settings of a consumer: the known ones of {@link #settings}, then {@code own}. */
  public Map<String, Object> consumer(Map<String, ?> own) {
    return config(ConsumerConfig.configNames(), own);
  }

  /**
   * Settings of a consumer in group {@code groupId} that reads committed records only, starts at
   * {@code autoOffsetReset} ({@code earliest} or {@code latest}) and commits no offsets.
   */
  public Map<String, Object> readCommittedConsumer(String groupId, String autoOffsetReset) {
    return consumer(
        Map.of(
            ConsumerConfig.GROUP_ID_CONFIG,
            groupId,
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            "read_committed",
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            "false",
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            autoOffsetReset));
  }

  private Map<String, Object> config(Set<String> known, Map<String, ?> own) {
    Map<String, Object> config = new HashMap<>();
    settings.forEach(
        (key, value) -> {
          if (known.contains(key)) {
            config.put(key, value);
          }
        });
    config.putAll(own);
    config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    return config;
  }
}
