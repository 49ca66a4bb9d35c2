package com.portals.ledger.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.portals.ledger.app.bench.Workload;
import com.portals.ledger.avro.ledger.Balance;
import com.portals.ledger.avro.ledger.JournalEntry;
import com.portals.ledger.avro.ledger.WithdrawalDecision;
import com.portals.ledger.domain.rules.LedgerRules;
import com.portals.ledger.schemas.serde.LedgerSerdes;
import com.portals.ledger.schemas.topics.Topic;
import com.portals.ledger.schemas.topics.Topics;
import com.portals.ledger.streams.Outputs;
import com.portals.ledger.streams.ReferenceModel;
import com.portals.ledger.streams.ReferenceModel.Result;
import com.portals.ledger.testkit.KafkaClusterExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A stream of thousands of events (the benchmark's workload, 120 days of it, with a tick about
 * every {@code batchSize} events) in batches, each closed by a tick; what the reference model says
 * the ledger must hold after it; {@code ledger run} as a child process on a test broker; and the
 * check that the ledger's committed outputs are exactly the model's.
 */
final class StreamScenario {

  private static final int AFFILIATES = 400;

  private final KafkaClusterExtension kafka;
  private final LedgerSerdes serdes = LedgerSerdes.singleObject();
  private final List<List<String>> batches = new ArrayList<>();
  private final Result expected;

  StreamScenario(KafkaClusterExtension kafka, int events, long seed, int batchSize) {
    this.kafka = kafka;
    Duration span = Duration.ofDays(120);
    Workload workload =
        Workload.history(
            events, seed, AFFILIATES, span, span.multipliedBy(batchSize).dividedBy(events));
    List<String> batch = new ArrayList<>();
    for (Iterator<Workload.Item> items = workload.items(); items.hasNext(); ) {
      Workload.Item item = items.next();
      batch.add(item.json());
      if (item instanceof Workload.Tick) {
        batches.add(batch);
        batch = new ArrayList<>();
      }
    }
    ReferenceModel model = new ReferenceModel(LedgerRules.DEFAULTS);
    batches.forEach(lines -> lines.forEach(model::publish));
    expected = model.result();
  }

  List<List<String>> batches() {
    return batches;
  }

  LedgerSerdes serdes() {
    return serdes;
  }

  int expectedEntries() {
    return expected.journal().values().stream().mapToInt(List::size).sum();
  }

  /** {@code ledger run} on the test's broker with a manual clock, once its log says it runs. */
  Process startRun(Path dir, String name) throws Exception {
    return startRun(dir.resolve("data"), dir.resolve("run-" + name + ".log"), List.of());
  }

  /** The same with a data directory, a log file and further options of its own. */
  Process startRun(Path dataDir, Path log, List<String> options) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "run",
                "--bootstrap-servers",
                kafka.bootstrapServers(),
                "--data-dir",
                dataDir.toString(),
                "--clock",
                "manual",
                "--http-port",
                "0",
                "--partitions",
                "3"));
    command.addAll(options);
    Process run =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!Files.readString(log).contains("Ledger running.")) {
      if (!run.isAlive() || System.nanoTime() > deadline) {
        run.destroyForcibly();
        throw new AssertionError("run did not start; log:\n" + Files.readString(log));
      }
      Thread.sleep(200);
    }
    return run;
  }

  /** Stops {@code run} politely (SIGTERM), forcibly if it does not exit within a minute. */
  static void stop(Process run) throws InterruptedException {
    run.destroy();
    if (!run.waitFor(60, TimeUnit.SECONDS)) {
      run.destroyForcibly();
    }
  }

  /** Waits until {@code topic} has {@code count} committed records; returns how many it read. */
  int awaitRecords(Topic<?> topic, int count) {
    List<ConsumerRecord<byte[], byte[]>> records =
        kafka.readAll(topic.name(), count, Duration.ofSeconds(120));
    assertThat(records).as("records on " + topic.name()).hasSizeGreaterThanOrEqualTo(count);
    return records.size();
  }

  /**
   * Requires the committed journal, withdrawal decisions and balances to be the model's: every
   * entry once, none missing, none doubled.
   */
  void assertLedgerIsTheModels() {
    int expectedDecisions = expected.decisions().values().stream().mapToInt(List::size).sum();
    List<JournalEntry> journal = read(Topics.JOURNAL, expectedEntries());
    List<WithdrawalDecision> decisions = read(Topics.WITHDRAWAL_DECISIONS, expectedDecisions);
    Map<String, Balance> balances = new LinkedHashMap<>();
    for (Balance balance : read(Topics.BALANCES, 0)) {
      balances.put(balance.getAffiliateId(), balance);
    }

    assertThat(journal).hasSize(expectedEntries());
    assertThat(Outputs.journalByAffiliate(journal)).isEqualTo(expected.journal());
    assertThat(Outputs.decisionsByAffiliate(decisions)).isEqualTo(expected.decisions());
    assertThat(balances.keySet()).isEqualTo(expected.accounts().keySet());
    expected
        .accounts()
        .forEach(
            (affiliate, account) ->
                assertThat(Outputs.figures(balances.get(affiliate)))
                    .as(affiliate)
                    .isEqualTo(Outputs.figures(account)));
  }

  /**
   * Every committed record of {@code topic}, once {@code expected} arrived (and a little longer, so
   * that a doubled record would be seen too).
   */
  private <V extends SpecificRecord> List<V> read(Topic<V> topic, int expected) {
    List<V> values = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record :
        kafka.readAll(topic.name(), expected, Duration.ofSeconds(240), Duration.ofSeconds(3))) {
      values.add(topic.valueSerde(serdes).deserializer().deserialize(topic.name(), record.value()));
    }
    return values;
  }
}
