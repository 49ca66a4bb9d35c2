package com.portals.ledger.schemas.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.portals.ledger.testkit.KafkaClusterExtension;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The ledger's topics on a cluster of three brokers: created with three replicas and {@code
 * min.insync.replicas=2}, and an existing topic that is not what the ledger needs is refused with
 * its name and the fix.
 */
class TopicAdminIntegrationTest {

  @RegisterExtension
  static final KafkaClusterExtension kafka = new KafkaClusterExtension().withBrokers(3);

  @Test
  void shouldCreateEveryTopicWithThreeReplicasOnThreeBrokers() throws Exception {
    TopicNamespace namespace = TopicNamespace.prefixed(KafkaClusterExtension.uniqueName("rf"));
    TopicAdmin topics = new TopicAdmin(kafka.admin());
    Replication replication = topics.replication(Map.of());

    topics.ensure(namespace, Topics.all(), 3, replication);

    assertThat(replication).isEqualTo(new Replication((short) 3, 2));
    String journal = namespace.name(Topics.JOURNAL);
    TopicDescription description =
        kafka.admin().describeTopics(List.of(journal)).allTopicNames().get().get(journal);
    assertThat(description.partitions())
        .allSatisfy(partition -> assertThat(partition.replicas()).hasSize(3));
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, journal);
    assertThat(
            kafka
                .admin()
                .describeConfigs(List.of(resource))
                .all()
                .get()
                .get(resource)
                .get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG)
                .value())
        .isEqualTo("2");
    // Run again on what exists: accepted as it is.
    assertThat(topics.ensure(namespace, Topics.all(), 3, replication).created()).isEmpty();
  }

  @Test
  void shouldRefuseAnInputKeptOnlyForAWeekNamingTheTopicAndTheFix() throws Exception {
    TopicNamespace namespace = TopicNamespace.prefixed(KafkaClusterExtension.uniqueName("week"));
    String orders = namespace.name(Topics.ORDERS);
    kafka
        .admin()
        .createTopics(
            List.of(
                new NewTopic(orders, 3, (short) 3)
                    .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, "604800000"))))
        .all()
        .get(60, TimeUnit.SECONDS);

    assertThatThrownBy(
            () ->
                new TopicAdmin(kafka.admin())
                    .ensure(namespace, Topics.all(), 3, new Replication((short) 3, 2)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(
            orders + " is kept with cleanup.policy=delete, retention.ms=604800000")
        .hasMessageContaining("--entity-name " + orders + " --add-config");
  }

  @Test
  void shouldRefuseATopicWithFewerReplicasThanSet() throws Exception {
    TopicNamespace namespace = TopicNamespace.prefixed(KafkaClusterExtension.uniqueName("one"));
    TopicAdmin topics = new TopicAdmin(kafka.admin());
    topics.ensure(namespace, Topics.all(), 3, Replication.SINGLE);

    assertThatThrownBy(
            () -> topics.ensure(namespace, Topics.all(), 3, topics.replication(Map.of())))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(
            namespace.name(Topics.CLICKS)
                + " has 1 replica but ledger.topics.replication-factor is 3: add replicas"
                + " (kafka-reassign-partitions) or set ledger.topics.replication-factor=1");
  }
}
