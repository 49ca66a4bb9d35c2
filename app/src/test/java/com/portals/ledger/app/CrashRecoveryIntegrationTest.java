package com.portals.ledger.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.portals.ledger.schemas.publish.EventPublisher;
import com.portals.ledger.schemas.topics.Topics;
import com.portals.ledger.testkit.KafkaClusterExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ledger run} as a process of its own, killed with SIGKILL in the middle of a stream of
 * thousands of events and started again: the journal, balances and withdrawal decisions read with
 * read_committed must equal the reference model's for the whole stream, nothing lost, nothing
 * doubled.
 */
@Timeout(480)
class CrashRecoveryIntegrationTest {

  @RegisterExtension static final KafkaClusterExtension kafka = new KafkaClusterExtension();

  @TempDir Path dir;

  @Test
  void shouldLoseAndDoubleNothingWhenRunIsKilledMidStream() throws Exception {
    StreamScenario scenario = new StreamScenario(kafka, 4000, 20261124L, 200);
    List<List<String>> batches = scenario.batches();

    Process run = scenario.startRun(dir, "first");
    try (EventPublisher publisher =
        EventPublisher.connect(kafka.bootstrapServers(), scenario.serdes())) {
      int half = batches.size() / 2;
      for (int i = 0; i < half; i++) {
        assertThat(publisher.publish(batches.get(i)).rejected()).isEmpty();
      }
      // Killed while it works through the first half: some of it committed, some not.
      int committedBeforeKill = scenario.awaitRecords(Topics.JOURNAL, 1);
      run.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      assertThat(run.isAlive()).isFalse();
      System.out.printf(
          "crash test: SIGKILL with at least %d of %d journal entries committed%n",
          committedBeforeKill, scenario.expectedEntries());

      run = scenario.startRun(dir, "second");
      for (int i = half; i < batches.size(); i++) {
        assertThat(publisher.publish(batches.get(i)).rejected()).isEmpty();
      }

      scenario.assertLedgerIsTheModels();

      // And a polite stop: SIGTERM closes every part and the process exits.
      run.destroy();
      assertThat(run.waitFor(90, TimeUnit.SECONDS)).as("run exited after SIGTERM").isTrue();
      assertThat(Files.readString(dir.resolve("run-second.log"))).contains("Ledger stopped.");
    } finally {
      StreamScenario.stop(run);
    }
  }
}
