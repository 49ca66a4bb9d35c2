package com.portals.ledger.app.broker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the embedded broker keeps its files under a data directory:
 *
 * <pre>
 * dataDir/bootstrap-servers          address of the running broker (only while it is up)
 * dataDir/broker/server.properties   rewritten at each start (the ports change)
 * dataDir/broker/cluster-id          generated once, reused forever
 * dataDir/broker/log4j2.xml          the broker's logging configuration (rewritten at each start)
 * dataDir/broker/broker.pid          pid of the broker child process
 * dataDir/broker/owner.lock          locked by the JVM that owns the broker
 * dataDir/broker/kraft-logs/         Kafka's data: log.dirs and metadata.log.dir
 * dataDir/broker/logs/               server.log (the broker's log4j output) and stdout.log
 * </pre>
 *
 * @param dataDir the data directory, absolute and with symbolic links resolved, so that the path of
 *     server.properties on a broker's command line identifies the data directory exactly
 */
record BrokerLayout(Path dataDir) {

  /** Creates the directories if needed and returns the layout of {@code dataDir}. */
  static BrokerLayout create(Path dataDir) throws IOException {
    Files.createDirectories(dataDir);
    BrokerLayout layout = new BrokerLayout(dataDir.toRealPath());
    Files.createDirectories(layout.kraftLogs());
    Files.createDirectories(layout.logs());
    return layout;
  }

  /** The layout whose server.properties is {@code serverProperties}. */
  static BrokerLayout ofServerProperties(Path serverProperties) {
    return new BrokerLayout(serverProperties.toAbsolutePath().getParent().getParent());
  }

  Path bootstrapServersFile() {
    return dataDir.resolve("bootstrap-servers");
  }

  Path brokerDir() {
    return dataDir.resolve("broker");
  }

  Path serverProperties() {
    return brokerDir().resolve("server.properties");
  }

  Path clusterIdFile() {
    return brokerDir().resolve("cluster-id");
  }

  Path log4jConfig() {
    return brokerDir().resolve("log4j2.xml");
  }

  Path pidFile() {
    return brokerDir().resolve("broker.pid");
  }

  Path ownerLock() {
    return brokerDir().resolve("owner.lock");
  }

  Path kraftLogs() {
    return brokerDir().resolve("kraft-logs");
  }

  Path metaProperties() {
    return kraftLogs().resolve("meta.properties");
  }

  Path logs() {
    return brokerDir().resolve("logs");
  }

  Path serverLog() {
    return logs().resolve("server.log");
  }

  Path stdoutLog() {
    return logs().resolve("stdout.log");
  }
}
