package com.portals.ledger.app.broker;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The server.properties of the embedded broker: one node, KRaft combined mode, loopback only. */
final class BrokerConfig {

  /** The only node: it is both the broker and the single voter of the controller quorum. */
  static final int NODE_ID = 1;

  private BrokerConfig() {}

  /**
   * The broker settings, in the order they are written. {@code kraftLogs} holds both the partitions
   * and the metadata log.
   */
  static Map<String, String> settings(Path kraftLogs, BrokerPorts ports) {
    String host = BrokerPorts.HOST;
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("process.roles", "broker,controller");
    settings.put("node.id", Integer.toString(NODE_ID));
    // A static quorum (no --standalone at format time): the voter's address is read from this file
    // at each start, so the controller port may change from one start to the next.
    settings.put("controller.quorum.voters", NODE_ID + "@" + host + ":" + ports.controller());
    settings.put(
        "listeners",
        "PLAINTEXT://"
            + host
            + ":"
            + ports.broker()
            + ",CONTROLLER://"
            + host
            + ":"
            + ports.controller());
    settings.put("advertised.listeners", "PLAINTEXT://" + host + ":" + ports.broker());
    settings.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    settings.put("controller.listener.names", "CONTROLLER");
    settings.put("inter.broker.listener.name", "PLAINTEXT");
    settings.put("log.dirs", kraftLogs.toString());
    settings.put("metadata.log.dir", kraftLogs.toString());
    // One node: every replication factor and minimum ISR must be 1, or transactions and consumer
    // groups would wait forever for replicas that do not exist.
    settings.put("default.replication.factor", "1");
    settings.put("min.insync.replicas", "1");
    settings.put("offsets.topic.replication.factor", "1");
    settings.put("transaction.state.log.replication.factor", "1");
    settings.put("transaction.state.log.min.isr", "1");
    settings.put("share.coordinator.state.topic.replication.factor", "1");
    settings.put("share.coordinator.state.topic.min.isr", "1");
    // Few partitions for the internal topics: creating 50 of each slows down the first start.
    settings.put("offsets.topic.num.partitions", "6");
    settings.put("transaction.state.log.num.partitions", "6");
    settings.put("share.coordinator.state.topic.num.partitions", "3");
    settings.put("num.partitions", "1");
    settings.put("group.initial.rebalance.delay.ms", "0");
    // The ledger creates its topics with explicit settings; a typo must fail, not create a topic.
    settings.put("auto.create.topics.enable", "false");
    // The log is the truth: a topic created without a retention of its own (by Kafka Streams, or
    // by hand) keeps its records until deleted on purpose, never for the default 7 days.
    settings.put("log.retention.ms", "-1");
    // Records carry event times, which may be ahead of the broker's clock (future rates, ticks
    // published ahead, the simulator's accelerated clock); Kafka 4 refuses more than 1 h by
    // default.
    settings.put("log.message.timestamp.after.max.ms", String.valueOf(Long.MAX_VALUE));
    // The controller appends a no-op record to the metadata log every 500 ms by default so that
    // brokers see it alive; one node that is both has nobody to tell. A third of an idle broker's
    // own work was that (the raft I/O and controller threads).
    settings.put("metadata.max.idle.interval.ms", "5000");
    // The log cleaner clears its whole dedupe buffer (128 MiB by default) before each cleaning of a
    // compacted log, and the changelogs and the transaction and offsets logs are cleaned often: a
    // tenth of the broker's samples in a profiled catch-up. 16 MiB still maps some 700,000 keys
    // per pass, and the broker's peak RSS in the bench drops from about 550 to 400 MB.
    settings.put("log.cleaner.dedupe.buffer.size", String.valueOf(16 * 1024 * 1024));
    // An index entry per 64 KiB of log instead of per 4 KiB: the memory-mapped index writes were a
    // third of the request handlers' samples; a consumer seeking into the middle of a segment reads
    // at most 64 KiB more to find its offset.
    settings.put("log.index.interval.bytes", String.valueOf(64 * 1024));
    return settings;
  }

  /** The text of server.properties for {@code settings}. */
  static String render(Map<String, String> settings) {
    StringBuilder text = new StringBuilder();
    text.append(
        "# Written by the embedded broker of ./ledger run at each start; edits are lost.\n");
    settings.forEach(
        (key, value) -> text.append(key).append('=').append(escape(value)).append('\n'));
    return text.toString();
  }

  // java.util.Properties reads a backslash as an escape (Windows paths); nothing else in these
  // values (paths, host:port lists) is special after the first character of a value.
  private static String escape(String value) {
    return value.replace("\\", "\\\\");
  }
}
