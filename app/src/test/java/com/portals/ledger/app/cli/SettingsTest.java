package com.portals.ledger.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {

  @TempDir Path dir;

  @Test
  void shouldReadKafkaSettingsFromTheEnvironmentThenTheFileThenTheOptions() throws Exception {
    Path file = dir.resolve("ledger.properties");
    Files.writeString(file, "sasl.mechanism=SCRAM-SHA-512\nrequest.timeout.ms=30000\n");
    Map<String, String> environment =
        Map.of(
            "LEDGER_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
            "LEDGER_KAFKA_SASL_MECHANISM", "PLAIN",
            "LEDGER_KAFKA_REQUEST_TIMEOUT_MS", "10000",
            "LEDGER_KAFKA_", "nothing after the prefix",
            "HOME", "/root");

    Settings settings = Settings.load(environment, file, List.of("request.timeout.ms=20000"));

    assertThat(settings.asMap())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512",
                "request.timeout.ms", "20000"));
  }
}
