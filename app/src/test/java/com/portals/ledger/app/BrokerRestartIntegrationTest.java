package com.portals.ledger.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.portals.ledger.schemas.publish.EventPublisher;
import com.portals.ledger.schemas.topics.Topics;
import com.portals.ledger.testkit.KafkaClusterExtension;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker stops and starts again in the middle of a stream while {@code ledger run} works: the
 * ledger waits for it, goes on, and its committed outputs equal the reference model's.
 */
@Timeout(480)
class BrokerRestartIntegrationTest {

  @RegisterExtension static final KafkaClusterExtension kafka = new KafkaClusterExtension();

  @TempDir Path dir;

  @Test
  void shouldLoseAndDoubleNothingWhenTheBrokerRestartsMidStream() throws Exception {
    StreamScenario scenario = new StreamScenario(kafka, 3000, 4242L, 200);
    List<List<String>> batches = scenario.batches();

    Process run = scenario.startRun(dir, "only");
    try {
      int half = batches.size() / 2;
      try (EventPublisher publisher =
          EventPublisher.connect(kafka.bootstrapServers(), scenario.serdes())) {
        for (int i = 0; i < half; i++) {
          assertThat(publisher.publish(batches.get(i)).rejected()).isEmpty();
        }
      }
      int committedBeforeRestart = scenario.awaitRecords(Topics.JOURNAL, 1);
      kafka.restartBroker();
      System.out.printf(
          "broker restart test: restarted with at least %d of %d journal entries committed%n",
          committedBeforeRestart, scenario.expectedEntries());
      try (EventPublisher publisher =
          EventPublisher.connect(kafka.bootstrapServers(), scenario.serdes())) {
        for (int i = half; i < batches.size(); i++) {
          assertThat(publisher.publish(batches.get(i)).rejected()).isEmpty();
        }
      }

      scenario.assertLedgerIsTheModels();
      assertThat(run.isAlive()).as("run survived the broker restart").isTrue();
    } finally {
      StreamScenario.stop(run);
    }
  }
}
