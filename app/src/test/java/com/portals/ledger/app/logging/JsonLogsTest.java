package com.portals.ledger.app.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.portals.ledger.app.Main;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * {@code LEDGER_LOG_FORMAT=json}: the ledger's log as one JSON object per line (log4j's JSON
 * template layout, Elastic Common Schema), checked in a JVM of its own so that its log4j starts
 * with that configuration.
 */
class JsonLogsTest {

  /** Logs one line as the ledger would; run by the test in a JVM of its own. */
  public static void main(String[] args) {
    LoggerFactory.getLogger("com.portals.ledger.test").info("applied {} events", 42);
    LoggerFactory.getLogger("org.apache.kafka.test").info("a Kafka INFO line, not shown");
  }

  @Test
  void shouldWriteOneJsonObjectPerLogLine() throws Exception {
    Process jvm =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dlog4j2.configurationFile=" + Main.logConfiguration("json"),
                "-cp",
                System.getProperty("java.class.path"),
                JsonLogsTest.class.getName())
            .start();
    String err = new String(jvm.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(jvm.waitFor(60, TimeUnit.SECONDS)).isTrue();

    List<String> lines = err.lines().filter(line -> !line.isBlank()).toList();
    assertThat(lines).as(err).hasSize(1);
    JsonNode line = new ObjectMapper().readTree(lines.get(0));
    assertThat(line.path("message").asText()).isEqualTo("applied 42 events");
    assertThat(line.path("log.level").asText()).isEqualTo("INFO");
    assertThat(line.path("log.logger").asText()).isEqualTo("com.portals.ledger.test");
    assertThat(line.path("@timestamp").asText()).isNotBlank();
  }

  @Test
  void shouldChooseTheConfigurationFromTheEnvironment() {
    assertThat(Main.logConfiguration(null)).isNull();
    assertThat(Main.logConfiguration("text")).isNull();
    assertThat(Main.logConfiguration(" JSON ")).isEqualTo("log4j2-json.xml");
    assertThatThrownBy(() -> Main.logConfiguration("xml"))
        .hasMessageContaining("LEDGER_LOG_FORMAT")
        .hasMessageContaining("text or json");
  }
}
