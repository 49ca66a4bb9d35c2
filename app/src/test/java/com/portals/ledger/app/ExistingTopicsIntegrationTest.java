package com.portals.ledger.app;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.portals.ledger.app.cli.Settings;
import com.portals.ledger.app.runtime.LedgerRuntime.ClockMode;
import com.portals.ledger.schemas.topics.Topics;
import com.portals.ledger.testkit.KafkaClusterExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ledger run} against a cluster whose topics someone else created, or that cannot hold what
 * it is set to: it refuses to start, naming the topic or the setting and the fix.
 */
@Timeout(120)
class ExistingTopicsIntegrationTest {

  @RegisterExtension static final KafkaClusterExtension kafka = new KafkaClusterExtension();
  @TempDir Path dir;

  @Test
  void shouldRefuseToStartOnAnInputTopicThatForgetsAfterAWeek() throws Exception {
    kafka
        .admin()
        .createTopics(
            List.of(
                new NewTopic(Topics.CLICKS.name(), 3, (short) 1)
                    .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, "604800000"))))
        .all()
        .get(60, TimeUnit.SECONDS);

    assertThatThrownBy(() -> start(Settings.empty()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(
            "portals.clicks is kept with cleanup.policy=delete, retention.ms=604800000")
        .hasMessageContaining("retention.ms=-1");
  }

  @Test
  void shouldRefuseMoreReplicasThanTheClusterHasBrokers() {
    assertThatThrownBy(() -> start(Settings.empty().with("ledger.topics.replication-factor", "3")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "ledger.topics.replication-factor=3 but the cluster has 1 broker: set it to at most 1");
  }

  private void start(Settings settings) throws Exception {
    Path tokens = TestLedgers.tokensFile(dir, "finance-token-0123456789 finance");
    TestLedgers.start(dir, kafka.bootstrapServers(), tokens, ClockMode.MANUAL, 3, settings).close();
  }
}
