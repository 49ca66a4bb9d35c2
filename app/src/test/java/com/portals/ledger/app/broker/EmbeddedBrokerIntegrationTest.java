package com.portals.ledger.app.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded broker as {@code ./ledger run} uses it: a real Apache Kafka broker in a child JVM,
 * data kept across restarts, no broker outliving its run, and recovery after a crashed run.
 */
class EmbeddedBrokerIntegrationTest {

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String TOPIC = "embedded-broker-records";
  private static final int RECORDS = 200;

  @TempDir Path tempDir;

  private final List<Process> started = new ArrayList<>();

  private Path dataDir() {
    return tempDir.resolve("data");
  }

  @AfterEach
  void stopEveryProcessThisTestStarted() throws Exception {
    started.forEach(Process::destroyForcibly);
    // A broker whose host was killed stops by itself; if the test failed first, make sure.
    if (Files.isDirectory(dataDir())) {
      Path serverProperties = BrokerLayout.create(dataDir()).serverProperties();
      try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
        for (ProcessHandle broker :
            all.filter(process -> BrokerProcesses.isBrokerOf(process, serverProperties)).toList()) {
          broker.destroyForcibly();
          BrokerProcesses.awaitExit(broker, WAIT);
        }
      }
    }
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void shouldKeepTopicsAndRecordsAcrossARestart() throws Exception {
    List<String> produced;
    String clusterId;
    long firstPid;
    try (EmbeddedBroker broker = EmbeddedBroker.start(dataDir(), READY_TIMEOUT)) {
      assertThat(Files.readString(bootstrapServersFile()).strip())
          .isEqualTo(broker.bootstrapServers());
      assertThat(readPidFile()).hasValue(broker.pid());
      clusterId = clusterIdAt(broker.bootstrapServers());
      assertThat(clusterId).isEqualTo(broker.clusterId());
      produced = createTopicAndProduce(broker.bootstrapServers());
      firstPid = broker.pid();
    }
    assertThat(bootstrapServersFile()).doesNotExist();
    assertThat(ProcessHandle.of(firstPid).filter(ProcessHandle::isAlive)).isEmpty();

    // A stale pid file naming an unrelated live process: that process must be left alone.
    Process bystander = start(new ProcessBuilder("sleep", "300"));
    Files.writeString(pidFile(), bystander.pid() + "\n");

    try (EmbeddedBroker broker = EmbeddedBroker.start(dataDir(), READY_TIMEOUT)) {
      assertThat(bystander.isAlive()).isTrue();
      assertThat(Files.readString(bootstrapServersFile()).strip())
          .isEqualTo(broker.bootstrapServers());
      assertThat(clusterIdAt(broker.bootstrapServers())).isEqualTo(clusterId);
      assertThat(readAll(broker.bootstrapServers())).containsExactlyInAnyOrderElementsOf(produced);
    }
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void shouldStopTheBrokerWhenItsRunIsKilledAndRecoverOnTheNextStart() throws Exception {
    Path hostLog = tempDir.resolve("host.log");
    Process host =
        start(
            new ProcessBuilder(
                    javaExecutable(),
                    "-Xmx256m",
                    "-XX:+UseSerialGC",
                    "-cp",
                    System.getProperty("java.class.path"),
                    BrokerHostMain.class.getName(),
                    dataDir().toString())
                .redirectErrorStream(true)
                .redirectOutput(hostLog.toFile()));
    String bootstrapServers = awaitBootstrapServersFile(host, hostLog);
    ProcessHandle broker = ProcessHandle.of(readPidFile().orElseThrow()).orElseThrow();
    assertThat(broker.parent().map(ProcessHandle::pid)).hasValue(host.pid());
    List<String> produced = createTopicAndProduce(bootstrapServers);

    // While its run is alive, another start on the same data directory is refused, harmlessly.
    assertThatThrownBy(() -> EmbeddedBroker.start(dataDir(), READY_TIMEOUT))
        .isInstanceOf(EmbeddedBrokerException.class)
        .hasMessageContaining("in use");
    assertThat(broker.isAlive()).isTrue();

    host.destroyForcibly().waitFor();

    assertThat(BrokerProcesses.awaitExit(broker, WAIT))
        .as("the broker exits by itself once its run is gone")
        .isTrue();
    assertThat(kraftLogs().resolve(".kafka_cleanshutdown"))
        .as("the broker shut down cleanly")
        .exists();
    assertThat(Files.readString(bootstrapServersFile()).strip())
        .as("a killed run cannot delete its address")
        .isEqualTo(bootstrapServers);

    try (EmbeddedBroker recovered = EmbeddedBroker.start(dataDir(), READY_TIMEOUT)) {
      assertThat(Files.readString(bootstrapServersFile()).strip())
          .isEqualTo(recovered.bootstrapServers());
      assertThat(readAll(recovered.bootstrapServers()))
          .containsExactlyInAnyOrderElementsOf(produced);
    }
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void shouldStopABrokerLeftBehindAndStartCleanly() throws Exception {
    // The broker of a run that died without its broker noticing: this test holds its standard
    // input open, as a live parent would, so it keeps running.
    BrokerLayout layout = BrokerLayout.create(dataDir());
    EmbeddedBroker.prepareClusterId(layout);
    BrokerPorts ports = BrokerPorts.pickFree();
    Process leftover = start(EmbeddedBroker.prepareChild(layout, ports));
    Files.writeString(pidFile(), leftover.pid() + "\n");
    awaitBrokerAnswers(ports.bootstrapServers(), leftover);
    List<String> produced = createTopicAndProduce(ports.bootstrapServers());

    try (EmbeddedBroker broker = EmbeddedBroker.start(dataDir(), READY_TIMEOUT)) {
      assertThat(leftover.isAlive()).isFalse();
      assertThat(broker.pid()).isNotEqualTo(leftover.pid());
      assertThat(readPidFile()).hasValue(broker.pid());
      assertThat(readAll(broker.bootstrapServers())).containsExactlyInAnyOrderElementsOf(produced);
    }
  }

  private Process start(ProcessBuilder builder) throws IOException {
    Process process = builder.start();
    started.add(process);
    return process;
  }

  private Path bootstrapServersFile() {
    return dataDir().resolve("bootstrap-servers");
  }

  private Path pidFile() {
    return dataDir().resolve("broker").resolve("broker.pid");
  }

  private Path kraftLogs() {
    return dataDir().resolve("broker").resolve("kraft-logs");
  }

  private OptionalLong readPidFile() throws IOException {
    return BrokerProcesses.parsePid(Files.readString(pidFile(), StandardCharsets.UTF_8));
  }

  private static String javaExecutable() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private String awaitBootstrapServersFile(Process host, Path hostLog) throws Exception {
    Instant deadline = Instant.now().plus(READY_TIMEOUT);
    while (true) {
      if (Files.exists(bootstrapServersFile())) {
        String address = Files.readString(bootstrapServersFile()).strip();
        if (!address.isEmpty()) {
          return address;
        }
      }
      if (!host.isAlive()) {
        fail("the broker host exited with status %d:%n%s", host.exitValue(), read(hostLog));
      }
      if (Instant.now().isAfter(deadline)) {
        fail("no %s after %s:%n%s", bootstrapServersFile(), READY_TIMEOUT, read(hostLog));
      }
      Thread.sleep(100);
    }
  }

  private static void awaitBrokerAnswers(String bootstrapServers, Process broker) throws Exception {
    Instant deadline = Instant.now().plus(READY_TIMEOUT);
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      while (true) {
        assertThat(broker.isAlive()).as("the broker is running").isTrue();
        try {
          Collection<Node> nodes =
              admin.describeCluster(new DescribeClusterOptions().timeoutMs(2000)).nodes().get();
          if (!nodes.isEmpty()) {
            return;
          }
        } catch (ExecutionException notYet) {
          if (Instant.now().isAfter(deadline)) {
            throw notYet;
          }
        }
        Thread.sleep(100);
      }
    }
  }

  private static String clusterIdAt(String bootstrapServers) throws Exception {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      return admin.describeCluster().clusterId().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }
  }

  /**
   * Creates {@link #TOPIC} and writes {@link #RECORDS} acknowledged records; returns the values.
   */
  private static List<String> createTopicAndProduce(String bootstrapServers) throws Exception {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      admin
          .createTopics(List.of(new NewTopic(TOPIC, 3, (short) 1)))
          .all()
          .get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }
    Map<String, Object> config =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrapServers,
            ProducerConfig.ACKS_CONFIG,
            "all",
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
            StringSerializer.class,
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
            StringSerializer.class);
    List<String> values = new ArrayList<>();
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
      List<Future<RecordMetadata>> acknowledgements = new ArrayList<>();
      for (int i = 0; i < RECORDS; i++) {
        String value = "record-" + i;
        values.add(value);
        acknowledgements.add(producer.send(new ProducerRecord<>(TOPIC, "key-" + i, value)));
      }
      for (Future<RecordMetadata> acknowledgement : acknowledgements) {
        acknowledgement.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      }
    }
    return values;
  }

  /** Every value in {@link #TOPIC}, from the beginning to the end of each partition. */
  private static List<String> readAll(String bootstrapServers) {
    Map<String, Object> config =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrapServers,
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            false,
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
            StringDeserializer.class,
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
            StringDeserializer.class);
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(TOPIC, WAIT).stream()
              .map(info -> new TopicPartition(TOPIC, info.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, WAIT);
      Instant deadline = Instant.now().plus(WAIT);
      while (partitions.stream().anyMatch(tp -> consumer.position(tp, WAIT) < end.get(tp))) {
        if (Instant.now().isAfter(deadline)) {
          fail("could not read %s to its end %s within %s", TOPIC, end, WAIT);
        }
        consumer.poll(Duration.ofMillis(500)).forEach(record -> values.add(record.value()));
      }
    }
    return values;
  }

  private static String read(Path file) throws IOException {
    return Files.exists(file) ? Files.readString(file) : "(no output)";
  }
}
