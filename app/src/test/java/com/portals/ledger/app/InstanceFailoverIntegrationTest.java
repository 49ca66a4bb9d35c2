package com.portals.ledger.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.portals.ledger.schemas.publish.EventPublisher;
import com.portals.ledger.schemas.topics.Topics;
import com.portals.ledger.testkit.KafkaClusterExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code ledger run} instances share the work; one is killed with SIGKILL in the middle of a
 * stream and never comes back. The survivor takes its partitions over (after the dead member's
 * session times out, 10 s here), restores their state from the changelogs and goes on: the
 * committed outputs equal the reference model's.
 */
@Timeout(480)
class InstanceFailoverIntegrationTest {

  @RegisterExtension static final KafkaClusterExtension kafka = new KafkaClusterExtension();

  @TempDir Path dir;

  @Test
  void shouldLetTheSurvivorFinishTheStreamExactlyOnce() throws Exception {
    StreamScenario scenario = new StreamScenario(kafka, 3000, 777L, 200);
    List<List<String>> batches = scenario.batches();
    List<String> options = List.of("--set", "session.timeout.ms=10000");

    Process doomed = scenario.startRun(dir.resolve("data-a"), dir.resolve("run-a.log"), options);
    Process survivor = scenario.startRun(dir.resolve("data-b"), dir.resolve("run-b.log"), options);
    try (EventPublisher publisher =
        EventPublisher.connect(kafka.bootstrapServers(), scenario.serdes())) {
      int half = batches.size() / 2;
      for (int i = 0; i < half; i++) {
        assertThat(publisher.publish(batches.get(i)).rejected()).isEmpty();
      }
      int committedBeforeKill = scenario.awaitRecords(Topics.JOURNAL, 1);
      doomed.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      System.out.printf(
          "failover test: one of two instances killed with at least %d of %d journal entries"
              + " committed%n",
          committedBeforeKill, scenario.expectedEntries());
      for (int i = half; i < batches.size(); i++) {
        assertThat(publisher.publish(batches.get(i)).rejected()).isEmpty();
      }

      scenario.assertLedgerIsTheModels();
      assertThat(survivor.isAlive()).isTrue();
    } finally {
      doomed.destroyForcibly();
      StreamScenario.stop(survivor);
    }
  }
}
