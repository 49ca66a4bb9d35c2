package com.portals.ledger.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.portals.ledger.schemas.clients.KafkaClients;
import com.portals.ledger.schemas.publish.EventPublisher;
import com.portals.ledger.schemas.topics.Topics;
import com.portals.ledger.testkit.KafkaClusterExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ledger run} on a replicated, secured cluster: three KRaft brokers that take clients over
 * SASL only. The ledger creates its topics with three replicas and {@code min.insync.replicas} 2, a
 * broker dies in the middle of the stream, and the committed journal, decisions and balances are
 * still the reference model's: nothing lost, nothing doubled.
 */
@Timeout(600)
class ReplicatedClusterIntegrationTest {

  @RegisterExtension
  static final KafkaClusterExtension kafka =
      new KafkaClusterExtension()
          .withBrokers(3)
          .withSasl()
          // The cluster's own topics (consumer offsets, transactions) replicated as a production
          // cluster keeps them, so that losing a broker loses none of them.
          .withBrokerConfig("offsets.topic.replication.factor", "3")
          .withBrokerConfig("transaction.state.log.replication.factor", "3")
          .withBrokerConfig("transaction.state.log.min.isr", "2");

  @TempDir Path dir;

  @Test
  void shouldLoseAndDoubleNothingWhenABrokerOfThreeDiesMidStream() throws Exception {
    StreamScenario scenario = new StreamScenario(kafka, 3000, 3131L, 200);
    List<List<String>> batches = scenario.batches();
    List<String> sets = new ArrayList<>();
    for (Map.Entry<String, String> setting : kafka.clientSettings().entrySet()) {
      sets.add("--set");
      sets.add(setting.getKey() + "=" + setting.getValue());
    }
    Path log = dir.resolve("run.log");
    Process run = scenario.startRun(dir.resolve("data"), log, sets);
    KafkaClients clients = new KafkaClients(kafka.bootstrapServers(), kafka.clientSettings());
    try {
      assertThat(Files.readString(log))
          .contains("topics the ledger creates: replication factor 3, min.insync.replicas 2");
      TopicDescription journal =
          kafka
              .admin()
              .describeTopics(List.of(Topics.JOURNAL.name()))
              .allTopicNames()
              .get()
              .get(Topics.JOURNAL.name());
      journal
          .partitions()
          .forEach(partition -> assertThat(partition.replicas()).as("replicas").hasSize(3));

      int half = batches.size() / 2;
      try (EventPublisher publisher = EventPublisher.connect(clients, scenario.serdes())) {
        for (int i = 0; i < half; i++) {
          assertThat(publisher.publish(batches.get(i)).rejected()).isEmpty();
        }
      }
      int committed = scenario.awaitRecords(Topics.JOURNAL, 1);
      int stopped = kafka.stopBroker();
      System.out.printf(
          "replicated cluster test: broker %d stopped with at least %d of %d journal entries"
              + " committed%n",
          stopped, committed, scenario.expectedEntries());
      try (EventPublisher publisher = EventPublisher.connect(clients, scenario.serdes())) {
        for (int i = half; i < batches.size(); i++) {
          assertThat(publisher.publish(batches.get(i)).rejected()).isEmpty();
        }
      }

      scenario.assertLedgerIsTheModels();
      assertThat(run.isAlive()).as("run survived the broker's death").isTrue();
    } finally {
      StreamScenario.stop(run);
    }
  }
}
