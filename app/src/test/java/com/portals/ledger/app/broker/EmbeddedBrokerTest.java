package com.portals.ledger.app.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.Reader;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The parts of {@link EmbeddedBroker} that need no running broker. */
class EmbeddedBrokerTest {

  @TempDir Path tempDir;

  @Test
  void shouldHandTheBrokerAnAbsoluteClassPath() {
    String cwd = Path.of("").toAbsolutePath().toString();
    String sep = java.io.File.pathSeparator;

    String classPath =
        EmbeddedBroker.absoluteClassPath(
            "app/target/ledger-app.jar" + sep + "lib/*" + sep + "/opt/x.jar");

    assertThat(classPath.split(sep))
        .containsExactly(
            Path.of(cwd, "app/target/ledger-app.jar").toString(),
            Path.of(cwd, "lib") + java.io.File.separator + "*",
            "/opt/x.jar");
  }

  @Test
  void shouldGenerateTheClusterIdOnceAndReuseIt() throws IOException {
    BrokerLayout layout = BrokerLayout.create(tempDir.resolve("data"));

    String first = EmbeddedBroker.prepareClusterId(layout);
    String second = EmbeddedBroker.prepareClusterId(layout);

    assertThat(first).isNotBlank();
    assertThat(second).isEqualTo(first);
    assertThat(Files.readString(layout.clusterIdFile()).strip()).isEqualTo(first);
  }

  @Test
  void shouldTakeTheClusterIdOfFormattedStorageOverTheRecordedOne() throws IOException {
    BrokerLayout layout = BrokerLayout.create(tempDir.resolve("data"));
    Files.writeString(layout.clusterIdFile(), "recorded-id\n");
    Files.writeString(layout.metaProperties(), "version=1\nnode.id=1\ncluster.id=formatted-id\n");

    assertThat(EmbeddedBroker.prepareClusterId(layout)).isEqualTo("formatted-id");
    assertThat(Files.readString(layout.clusterIdFile()).strip()).isEqualTo("formatted-id");
  }

  @Test
  void shouldPrepareTheBrokerFilesAndARecognisableCommand() throws IOException {
    BrokerLayout layout = BrokerLayout.create(tempDir.resolve("data"));
    BrokerPorts ports = new BrokerPorts(41001, 41002);

    ProcessBuilder builder = EmbeddedBroker.prepareChild(layout, ports);

    Properties written = new Properties();
    try (Reader reader = Files.newBufferedReader(layout.serverProperties())) {
      written.load(reader);
    }
    assertThat(written.getProperty("listeners")).contains(":41001", ":41002");
    assertThat(layout.log4jConfig()).exists().content().contains("server.log");
    assertThat(
            BrokerProcesses.isBrokerCommand(
                builder.command().subList(1, builder.command().size()), layout.serverProperties()))
        .isTrue();
    assertThat(builder.command())
        .contains(
            BrokerMain.class.getName(),
            "-Dlog4j2.configurationFile=" + layout.log4jConfig(),
            "-Dledger.broker.log.dir=" + layout.logs());
    assertThat(builder.environment())
        .containsEntry(
            "CLASSPATH", EmbeddedBroker.absoluteClassPath(System.getProperty("java.class.path")));
    assertThat(String.join(" ", builder.command()).getBytes(StandardCharsets.UTF_8))
        .as("a command line that ProcessHandle.Info reads whole on Linux")
        .hasSizeLessThan(4096);
    assertThat(builder.redirectInput()).isEqualTo(ProcessBuilder.Redirect.PIPE);
    assertThat(builder.redirectErrorStream()).isTrue();
    assertThat(builder.redirectOutput())
        .isEqualTo(ProcessBuilder.Redirect.appendTo(layout.stdoutLog().toFile()));
  }

  @Test
  void shouldRefuseADataDirectoryThatAnotherRunOwns() throws IOException {
    BrokerLayout layout = BrokerLayout.create(tempDir.resolve("data"));
    try (FileChannel channel =
            FileChannel.open(
                layout.ownerLock(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock owner = channel.lock()) {
      assertThat(owner.isValid()).isTrue();

      assertThatThrownBy(() -> EmbeddedBroker.start(layout.dataDir()))
          .isInstanceOf(EmbeddedBrokerException.class)
          .hasMessageContaining("in use");
    }
    assertThat(layout.serverProperties()).doesNotExist();
  }

  @Test
  void shouldQuoteOnlyTheLastLogLinesWrittenSinceTheStart() throws IOException {
    Path log = tempDir.resolve("server.log");
    Files.writeString(log, "old failure: BindException\n");
    long start = Files.size(log);
    String fresh =
        IntStream.rangeClosed(1, 30).mapToObj(i -> "line " + i).collect(Collectors.joining("\n"));
    Files.writeString(log, fresh + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);

    String tail = EmbeddedBroker.tail(log, start);

    assertThat(tail).doesNotContain("old failure").contains("line 11", "line 30");
    assertThat(tail).doesNotContain("line 10");
    assertThat(tail.lines().filter(line -> line.startsWith("line "))).hasSize(20);
  }

  @Test
  void shouldQuoteTheCauseOfAFailureEvenWhenShutdownMessagesFollowIt() throws IOException {
    Path log = tempDir.resolve("server.log");
    String cause =
        "[2026-01-01 00:00:00,000] ERROR Exiting Kafka due to fatal exception (kafka.Kafka$)\n"
            + "org.apache.kafka.common.KafkaException: Failed to acquire lock on file .lock\n"
            + "\tat kafka.log.LogManager.lockLogDirs(LogManager.scala:1)\n";
    String shutdown =
        IntStream.rangeClosed(1, 50)
            .mapToObj(i -> "[2026-01-01 00:00:01,000] INFO shutting down part " + i + " (x)")
            .collect(Collectors.joining("\n"));
    Files.writeString(log, cause + shutdown + "\n");

    String tail = EmbeddedBroker.tail(log, 0);

    assertThat(tail)
        .contains("Exiting Kafka due to fatal exception", "Failed to acquire lock on file .lock")
        .doesNotContain("\tat kafka.log.LogManager")
        .contains("shutting down part 50")
        .doesNotContain("shutting down part 30 ");
  }

  @Test
  void shouldQuoteNothingForAMissingLog() {
    assertThat(EmbeddedBroker.tail(tempDir.resolve("missing.log"), 0)).isEmpty();
  }
}
