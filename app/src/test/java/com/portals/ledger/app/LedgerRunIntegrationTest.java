package com.portals.ledger.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.portals.ledger.app.cli.RunCommand;
import com.portals.ledger.app.cli.Settings;
import com.portals.ledger.app.runtime.LedgerRuntime;
import com.portals.ledger.app.runtime.LedgerRuntime.ClockMode;
import com.portals.ledger.schemas.topics.Topic;
import com.portals.ledger.schemas.topics.Topics;
import com.portals.ledger.streams.LedgerTopology;
import com.portals.ledger.testkit.ApiClient;
import com.portals.ledger.testkit.ContractExamples;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first steps of a user, through the command line: {@code ledger run} with its embedded broker,
 * {@code ledger publish} and {@code ledger tick} finding it through the data directory, a stop, and
 * a start again with the data still there; the same after {@code kill -9} of {@code run}.
 */
@Timeout(240)
class LedgerRunIntegrationTest {

  @TempDir Path dataDir;

  private Path eventsFile() throws Exception {
    List<String> lines = new ArrayList<>(ContractExamples.lines());
    lines.add(
        "{\"type\":\"OrderCompleted\",\"eventId\":\"bad\",\"occurredAt\":\"2026-01-20T08:00:00Z\"}");
    lines.add("{\"type\":\"Nonsense\"}");
    Path file = dataDir.resolveSibling(dataDir.getFileName() + "-events.jsonl");
    Files.write(file, lines, StandardCharsets.UTF_8);
    return file;
  }

  private LedgerRuntime.Options options() {
    return new LedgerRuntime.Options(
        dataDir,
        null,
        "127.0.0.1",
        0,
        null,
        ClockMode.MANUAL,
        Duration.ofSeconds(1),
        false,
        1,
        3,
        Settings.empty());
  }

  private static TestLedgers.Cli cli(String... args) {
    return TestLedgers.cli(args);
  }

  @Test
  void shouldKeepPublishedEventsAcrossAStopAndAStart() throws Exception {
    Path events = eventsFile();
    String dir = dataDir.toString();
    try (LedgerRuntime runtime =
        LedgerRuntime.start(options(), new PrintWriter(new StringWriter()))) {
      assertThat(health(runtime.httpPort())).contains("\"status\":\"UP\"");

      TestLedgers.Cli publish = cli("publish", "--data-dir", dir, events.toString());
      TestLedgers.Cli tick = cli("tick", "--data-dir", dir, "--at", "2026-03-13");

      assertThat(publish.exit()).isEqualTo(1);
      assertThat(publish.out()).contains("accepted=10 rejected=2");
      assertThat(publish.err())
          .contains("line 11: missing field 'orderId'")
          .contains("line 12: unknown type 'Nonsense'");
      assertThat(tick.exit()).isZero();
      assertThat(tick.out()).contains("tick at 2026-03-13T00:00:00Z");
      assertThat(Files.readString(dataDir.resolve("api-tokens"))).contains(" finance", " ingest");
    }
    assertThat(dataDir.resolve("bootstrap-servers")).doesNotExist();
    assertThat(cli("tick", "--data-dir", dir, "--at", "2026-03-14").err())
        .contains("no Kafka broker")
        .contains("./ledger run --data-dir " + dir);

    try (LedgerRuntime again =
        LedgerRuntime.start(options(), new PrintWriter(new StringWriter()))) {
      assertThat(recordCounts(again.bootstrapServers()))
          .containsEntry(Topics.CLICKS.name(), 1L)
          .containsEntry(Topics.ORDERS.name(), 4L)
          .containsEntry(Topics.COMMISSION_RATES.name(), 1L)
          .containsEntry(Topics.WITHDRAWALS.name(), 3L)
          .containsEntry(Topics.CLOCK.name(), 6L);
    }
  }

  @Test
  void shouldRecoverAfterRunIsKilledWithSigkill() throws Exception {
    Path events = eventsFile();
    String dir = dataDir.toString();
    Path log = dataDir.resolveSibling(dataDir.getFileName() + "-run.log");
    Process run = startRun(log);
    try {
      waitFor(() -> Files.readString(log).contains("Ledger running."), run, log);
      assertThat(cli("publish", "--data-dir", dir, events.toString()).out())
          .contains("accepted=10");
      long brokerPid =
          Long.parseLong(Files.readString(dataDir.resolve("broker/broker.pid")).strip());

      run.destroyForcibly().waitFor(30, TimeUnit.SECONDS);

      waitFor(() -> ProcessHandle.of(brokerPid).map(p -> !p.isAlive()).orElse(true), run, log);
    } finally {
      run.destroyForcibly();
    }

    try (LedgerRuntime again =
        LedgerRuntime.start(options(), new PrintWriter(new StringWriter()))) {
      assertThat(recordCounts(again.bootstrapServers()))
          .containsEntry(Topics.ORDERS.name(), 4L)
          .containsEntry(Topics.WITHDRAWALS.name(), 3L);
    }
  }

  @Test
  void shouldExitNonZeroWithTheCauseWhenTheLedgerStopsOnAnError() throws Exception {
    Path log = dataDir.resolveSibling(dataDir.getFileName() + "-failing.log");
    Process run = startRun(log);
    try {
      waitFor(() -> Files.readString(log).contains("Ledger running."), run, log);
      // Not bad input (intake rejects that record by record) but a broken internal topic: bytes
      // no task wrote, on the topic the tasks hand messages to each other through.
      Properties config = new Properties();
      config.put(
          "bootstrap.servers", Files.readString(dataDir.resolve("bootstrap-servers")).strip());
      try (KafkaProducer<byte[], byte[]> producer =
          new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
        producer
            .send(
                new ProducerRecord<>(
                    LedgerTopology.handoverTopic(LedgerRuntime.DEFAULT_APPLICATION_ID),
                    0,
                    null,
                    new byte[] {0x42, 0x13, 0x37}))
            .get();
      }

      assertThat(run.waitFor(120, TimeUnit.SECONDS)).as("run stopped").isTrue();
      assertThat(run.exitValue()).isEqualTo(RunCommand.FAILED);
      assertThat(Files.readString(log))
          .contains("the ledger stopped on an error")
          .contains("ledger run: stopped on an error")
          .contains("Serialization");
    } finally {
      run.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
  }

  private Process startRun(Path log) throws Exception {
    return new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx384m",
            "-cp",
            System.getProperty("java.class.path"),
            Main.class.getName(),
            "run",
            "--data-dir",
            dataDir.toString(),
            "--clock",
            "manual",
            "--http-port",
            "0",
            "--partitions",
            "3")
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }

  private interface Condition {
    boolean holds() throws Exception;
  }

  private static void waitFor(Condition condition, Process process, Path log) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      if (condition.holds()) {
        return;
      }
      if (!process.isAlive() && process.exitValue() != 137 && process.exitValue() != 0) {
        throw new AssertionError(
            "run exited with " + process.exitValue() + ", log:\n" + Files.readString(log));
      }
      Thread.sleep(200);
    }
    throw new AssertionError(
        "condition not met in time; run alive="
            + process.isAlive()
            + ", log:\n"
            + Files.readString(log));
  }

  /**
   * The health answer once it is 200: the ledger is up once both Kafka Streams clients are RUNNING,
   * a moment after start returns (they rebalance first).
   */
  private static String health(int port) throws Exception {
    ApiClient api = new ApiClient(() -> port);
    AtomicReference<HttpResponse<String>> last = new AtomicReference<>();
    ApiClient.await(
        "/health 200",
        () -> {
          last.set(api.get("/health", null));
          return last.get().statusCode() == 200;
        });
    return last.get().body();
  }

  /** Records in each input topic (sum of end offsets; inputs are never compacted or deleted). */
  private static Map<String, Long> recordCounts(String bootstrapServers) throws Exception {
    Properties config = new Properties();
    config.put("bootstrap.servers", bootstrapServers);
    try (Admin admin = Admin.create(config)) {
      Map<String, Long> counts = new TreeMap<>();
      for (Topic<?> topic : Topics.inputs()) {
        TopicDescription description =
            admin.describeTopics(List.of(topic.name())).allTopicNames().get().get(topic.name());
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        description
            .partitions()
            .forEach(
                p ->
                    latest.put(
                        new TopicPartition(topic.name(), p.partition()), OffsetSpec.latest()));
        long sum =
            admin.listOffsets(latest).all().get().values().stream()
                .mapToLong(info -> info.offset())
                .sum();
        counts.put(topic.name(), sum);
      }
      return counts;
    }
  }
}
