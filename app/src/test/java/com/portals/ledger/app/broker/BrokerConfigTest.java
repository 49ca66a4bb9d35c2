package com.portals.ledger.app.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class BrokerConfigTest {

  private static final Path KRAFT_LOGS = Path.of("/data/ledger/broker/kraft-logs");
  private static final BrokerPorts PORTS = new BrokerPorts(41001, 41002);

  @Test
  void shouldDescribeOneNodeThatIsBothBrokerAndSoleControllerVoter() throws IOException {
    Properties properties = load(BrokerConfig.render(BrokerConfig.settings(KRAFT_LOGS, PORTS)));

    assertThat(properties.getProperty("process.roles")).isEqualTo("broker,controller");
    assertThat(properties.getProperty("node.id")).isEqualTo("1");
    assertThat(properties.getProperty("controller.quorum.voters")).isEqualTo("1@127.0.0.1:41002");
    assertThat(properties.getProperty("listeners"))
        .isEqualTo("PLAINTEXT://127.0.0.1:41001,CONTROLLER://127.0.0.1:41002");
    assertThat(properties.getProperty("advertised.listeners"))
        .isEqualTo("PLAINTEXT://127.0.0.1:41001");
    assertThat(properties.getProperty("controller.listener.names")).isEqualTo("CONTROLLER");
    assertThat(properties.getProperty("inter.broker.listener.name")).isEqualTo("PLAINTEXT");
    assertThat(properties.getProperty("log.dirs")).isEqualTo(KRAFT_LOGS.toString());
    assertThat(properties.getProperty("metadata.log.dir")).isEqualTo(KRAFT_LOGS.toString());
  }

  @Test
  void shouldSetEveryReplicationFactorAndMinimumIsrToOne() throws IOException {
    Properties properties = load(BrokerConfig.render(BrokerConfig.settings(KRAFT_LOGS, PORTS)));

    assertThat(properties)
        .containsEntry("default.replication.factor", "1")
        .containsEntry("min.insync.replicas", "1")
        .containsEntry("offsets.topic.replication.factor", "1")
        .containsEntry("transaction.state.log.replication.factor", "1")
        .containsEntry("transaction.state.log.min.isr", "1")
        .containsEntry("share.coordinator.state.topic.replication.factor", "1")
        .containsEntry("share.coordinator.state.topic.min.isr", "1");
  }

  @Test
  void shouldNeverCreateTopicsImplicitlyNorDelayTheFirstRebalance() throws IOException {
    Properties properties = load(BrokerConfig.render(BrokerConfig.settings(KRAFT_LOGS, PORTS)));

    assertThat(properties)
        .containsEntry("auto.create.topics.enable", "false")
        .containsEntry("group.initial.rebalance.delay.ms", "0");
  }

  @Test
  void shouldKeepTheCleanerBufferSmallAndTheIndexSparse() throws IOException {
    Properties properties = load(BrokerConfig.render(BrokerConfig.settings(KRAFT_LOGS, PORTS)));

    assertThat(properties)
        .containsEntry("log.cleaner.dedupe.buffer.size", "16777216")
        .containsEntry("log.index.interval.bytes", "65536");
  }

  @Test
  void shouldWritePathsThatReadBackUnchangedEvenWithBackslashes() throws IOException {
    Path odd = Path.of("/data/we\\ird dir/kraft-logs");

    Map<String, String> settings = BrokerConfig.settings(odd, PORTS);
    Properties properties = load(BrokerConfig.render(settings));

    assertThat(properties).hasSameSizeAs(settings);
    settings.forEach((key, value) -> assertThat(properties.getProperty(key)).isEqualTo(value));
    assertThat(properties.getProperty("log.dirs")).isEqualTo(odd.toString());
  }

  @Test
  void shouldPickTwoDistinctPortsThatAreFreeOnLoopback() throws IOException {
    BrokerPorts ports = BrokerPorts.pickFree();

    assertThat(ports.broker()).isNotEqualTo(ports.controller());
    InetAddress loopback = BrokerPorts.loopback();
    try (ServerSocket broker = new ServerSocket(ports.broker(), 1, loopback);
        ServerSocket controller = new ServerSocket(ports.controller(), 1, loopback)) {
      assertThat(broker.getLocalPort()).isEqualTo(ports.broker());
      assertThat(controller.getLocalPort()).isEqualTo(ports.controller());
    }
    assertThat(ports.bootstrapServers()).isEqualTo("127.0.0.1:" + ports.broker());
  }

  @Test
  void shouldRejectOnePortForBothListeners() {
    assertThatThrownBy(() -> new BrokerPorts(9092, 9092))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new BrokerPorts(0, 9093)).isInstanceOf(IllegalArgumentException.class);
  }

  private static Properties load(String text) throws IOException {
    Properties properties = new Properties();
    properties.load(new StringReader(text));
    return properties;
  }
}
