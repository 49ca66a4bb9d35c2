package com.portals.ledger.app.cli;

import com.portals.ledger.schemas.clients.KafkaClients;
import com.portals.ledger.schemas.serde.LedgerSerdes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Options every command shares: where Kafka is, the data directory, settings. */
public final class CommonOptions {

  /** File in the data directory where {@code run} writes the embedded broker's address. */
  public static final String BOOTSTRAP_FILE = "bootstrap-servers";

  /** Environment variable read when {@code --bootstrap-servers} is not given. */
  public static final String BOOTSTRAP_ENV = "LEDGER_BOOTSTRAP_SERVERS";

  @Option(
      names = "--bootstrap-servers",
      paramLabel = "HOST:PORT",
      description =
          "Kafka to use. Default: LEDGER_BOOTSTRAP_SERVERS, else the embedded broker of the"
              + " running ./ledger run (run: else an embedded broker of its own).")
  String bootstrapServers;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      defaultValue = "./data",
      description = "Data directory of the ledger (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "Properties file of ledger settings (see README, Configuration).")
  Path config;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description = "A setting, overriding --config; repeatable.")
  List<String> overrides = new ArrayList<>();

  public Path dataDir() {
    return dataDir;
  }

  /** {@code --bootstrap-servers}, else {@code LEDGER_BOOTSTRAP_SERVERS}; null if neither. */
  public String explicitBootstrapServers() {
    if (bootstrapServers != null && !bootstrapServers.isBlank()) {
      return bootstrapServers.strip();
    }
    String fromEnvironment = System.getenv(BOOTSTRAP_ENV);
    return fromEnvironment == null || fromEnvironment.isBlank() ? null : fromEnvironment.strip();
  }

  /**
   * The settings: {@code LEDGER_KAFKA_*} environment variables (Kafka client settings, e.g. {@code
   * LEDGER_KAFKA_SECURITY_PROTOCOL} for {@code security.protocol}), then {@code --config}, then
   * {@code --set}, each overriding the one before.
   */
  public Settings settings() {
    return Settings.load(System.getenv(), config, overrides);
  }

  /** Every Kafka client of the command: where Kafka is, with the settings' client settings. */
  public KafkaClients clients() {
    return new KafkaClients(bootstrapServers(), settings().asMap());
  }

  public LedgerSerdes serdes() {
    return LedgerSerdes.fromConfig(settings().asMap());
  }

  /**
   * The Kafka to talk to: {@code --bootstrap-servers}, else the address a running {@code ledger
   * run} wrote into the data directory.
   *
   * @throws IllegalStateException naming what to do when neither is there
   */
  public String bootstrapServers() {
    String given = explicitBootstrapServers();
    if (given != null) {
      return given;
    }
    Path file = dataDir.resolve(BOOTSTRAP_FILE);
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException(
          "no Kafka broker: "
              + file
              + " does not exist. Start the ledger first (./ledger run --data-dir "
              + dataDir
              + ") or pass --bootstrap-servers HOST:PORT");
    }
    try {
      String address = Files.readString(file, StandardCharsets.UTF_8).strip();
      if (address.isEmpty()) {
        throw new IllegalStateException(file + " is empty: is ./ledger run still starting?");
      }
      return address;
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
