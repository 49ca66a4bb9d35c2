package com.portals.ledger.app.bench;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;

/**
 * Phase (e) of {@code ledger bench}, idle: what the ledger costs when nothing comes. Nothing is
 * published any more and the benchmark's output reader is closed; the ledger and its ticker go on.
 * After a pause to settle, during a window: the CPU time this JVM (the ledger's, the benchmark's
 * idle threads aside) and the broker's process used, as a percentage of one core, and the records
 * written to every topic (end offsets of every partition, internal topics included, before and
 * after; transaction markers count).
 */
final class IdlePhase {

  private static final int TOPICS_SHOWN = 5;

  /**
   * What the window measured.
   *
   * @param window its length
   * @param jvmCpuNanos CPU time of this JVM in it
   * @param brokerCpuNanos CPU time of the broker's process in it, −1 if unknown
   * @param records records written to all topics in it
   * @param byTopic of those, per topic, the busiest first
   */
  record Result(
      Duration window,
      long jvmCpuNanos,
      long brokerCpuNanos,
      long records,
      Map<String, Long> byTopic) {

    double cpuPercent() {
      return 100.0 * (jvmCpuNanos + Math.max(0, brokerCpuNanos)) / window.toNanos();
    }

    double recordsPerSecond() {
      return records * 1e9 / window.toNanos();
    }

    List<String> describe() {
      return List.of(
          String.format(
              Locale.ROOT,
              "over %.1f s with nothing published: %.1f%% of a core (ledger's JVM %.1f%%, broker"
                  + " %s), %.1f records/s written to the topics",
              window.toNanos() / 1e9,
              cpuPercent(),
              100.0 * jvmCpuNanos / window.toNanos(),
              brokerCpuNanos < 0
                  ? "unknown"
                  : String.format(Locale.ROOT, "%.1f%%", 100.0 * brokerCpuNanos / window.toNanos()),
              recordsPerSecond()),
          "busiest topics: "
              + (byTopic.isEmpty()
                  ? "none"
                  : byTopic.entrySet().stream()
                      .map(e -> e.getKey() + " " + e.getValue())
                      .collect(Collectors.joining(", "))));
    }
  }

  private IdlePhase() {}

  static Result run(
      LedgerUnderTest ledger,
      long brokerPid,
      String bootstrapServers,
      Duration settle,
      Duration window,
      PrintWriter out)
      throws InterruptedException {
    out.printf(
        Locale.ROOT,
        "  idle: nothing published; settling %d s, then measuring for %.1f s%n",
        settle.toSeconds(),
        window.toMillis() / 1e3);
    out.flush();
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      Thread.sleep(settle.toMillis());
      ledger.check();
      Map<TopicPartition, Long> before = ends(admin);
      long started = System.nanoTime();
      long jvmBefore = ProcFs.ownCpuNanos();
      OptionalLong brokerBefore = ProcFs.cpuNanos(brokerPid);
      Thread.sleep(window.toMillis());
      long jvmAfter = ProcFs.ownCpuNanos();
      OptionalLong brokerAfter = ProcFs.cpuNanos(brokerPid);
      long elapsed = System.nanoTime() - started;
      Map<TopicPartition, Long> after = ends(admin);
      ledger.check();
      Map<String, Long> byTopic = new HashMap<>();
      after.forEach(
          (partition, end) ->
              byTopic.merge(
                  partition.topic(), end - before.getOrDefault(partition, 0L), Long::sum));
      long records = byTopic.values().stream().mapToLong(Long::longValue).sum();
      Map<String, Long> busiest = new LinkedHashMap<>();
      byTopic.entrySet().stream()
          .filter(e -> e.getValue() > 0)
          .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
          .limit(TOPICS_SHOWN)
          .forEach(e -> busiest.put(e.getKey(), e.getValue()));
      return new Result(
          Duration.ofNanos(elapsed),
          jvmAfter - jvmBefore,
          brokerBefore.isPresent() && brokerAfter.isPresent()
              ? brokerAfter.getAsLong() - brokerBefore.getAsLong()
              : -1,
          records,
          busiest);
    }
  }

  /**
   * The end offset of every partition of every topic, internal ones included (also what {@link
   * LedgerUnderTest#written()} counts).
   */
  static Map<TopicPartition, Long> ends(Admin admin) {
    try {
      Set<String> names =
          admin
              .listTopics(new ListTopicsOptions().listInternal(true))
              .names()
              .get(1, TimeUnit.MINUTES);
      Map<TopicPartition, OffsetSpec> request = new HashMap<>();
      for (TopicDescription topic :
          admin.describeTopics(names).allTopicNames().get(1, TimeUnit.MINUTES).values()) {
        topic
            .partitions()
            .forEach(
                p ->
                    request.put(
                        new TopicPartition(topic.name(), p.partition()), OffsetSpec.latest()));
      }
      Map<TopicPartition, Long> ends = new HashMap<>();
      admin
          .listOffsets(request)
          .all()
          .get(1, TimeUnit.MINUTES)
          .forEach((partition, info) -> ends.put(partition, info.offset()));
      return ends;
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot read the topics' end offsets: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted reading the topics' end offsets", e);
    }
  }
}
