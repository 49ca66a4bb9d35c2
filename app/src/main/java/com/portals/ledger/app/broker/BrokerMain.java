package com.portals.ledger.app.broker;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Entry point of the broker child process that {@link EmbeddedBroker} starts: {@code BrokerMain
 * <server.properties>}.
 *
 * <p>It formats the storage named by {@code log.dirs} on the first start, with the cluster id found
 * in {@code cluster-id} next to server.properties, then runs the Apache Kafka broker ({@code
 * kafka.Kafka}) on that file until the JVM exits.
 *
 * <p>Standard input is the parent's lifeline: when it reaches end of file, because the parent
 * closed it or because the parent died (even by {@code kill -9}, as the operating system then
 * closes the pipe), this process exits with status 0, and Kafka's shutdown hook stops the broker
 * cleanly. So the broker never outlives the {@code ./ledger run} that started it.
 */
public final class BrokerMain {

  private BrokerMain() {}

  /**
   * Runs the broker.
   *
   * @param args the path of server.properties, alone
   * @throws IOException if server.properties or the cluster id cannot be read
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: BrokerMain <server.properties>");
      System.exit(2);
    }
    // First, so that a parent dying during the format or the broker's startup stops this process.
    watchParent(System.in);
    Path serverProperties = Path.of(args[0]).toAbsolutePath();
    formatStorageOnce(serverProperties);
    kafka.Kafka.main(new String[] {serverProperties.toString()});
  }

  private static void watchParent(InputStream lifeline) {
    Thread watchdog =
        new Thread(
            () -> {
              byte[] buffer = new byte[256];
              try {
                while (lifeline.read(buffer) >= 0) {
                  // The parent never writes; anything it might write is ignored.
                }
              } catch (IOException pipeBroken) {
                // Same meaning as end of file: the parent is gone.
              }
              System.exit(0);
            },
            "ledger-parent-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
  }

  private static void formatStorageOnce(Path serverProperties) throws IOException {
    Path logDir = Path.of(logDirs(serverProperties).split(",")[0].strip());
    if (Files.exists(logDir.resolve("meta.properties"))) {
      return;
    }
    Path clusterIdFile = BrokerLayout.ofServerProperties(serverProperties).clusterIdFile();
    String clusterId = Files.readString(clusterIdFile, StandardCharsets.UTF_8).strip();
    // System.out is redirected to broker/logs/stdout.log by the parent.
    PrintStream out = System.out;
    int status;
    try {
      status =
          kafka.tools.StorageTool.execute(
              new String[] {"format", "-t", clusterId, "-c", serverProperties.toString()}, out);
    } catch (RuntimeException e) {
      throw new IllegalStateException("Formatting the Kafka storage in " + logDir + " failed", e);
    }
    if (status != 0) {
      throw new IllegalStateException(
          "Formatting the Kafka storage in " + logDir + " failed with status " + status);
    }
  }

  private static String logDirs(Path serverProperties) throws IOException {
    Properties properties = new Properties();
    try (var reader = Files.newBufferedReader(serverProperties, StandardCharsets.UTF_8)) {
      properties.load(reader);
    }
    String logDirs = properties.getProperty("log.dirs");
    if (logDirs == null || logDirs.isBlank()) {
      throw new IllegalStateException("no log.dirs in " + serverProperties);
    }
    return logDirs;
  }
}
