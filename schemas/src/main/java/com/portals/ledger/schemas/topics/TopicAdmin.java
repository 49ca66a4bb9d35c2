package com.portals.ledger.schemas.topics;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Creates the ledger's topics, idempotently, and checks those that exist: a missing one is created
 * with the partition count, {@link Replication} and configuration of its {@link Topic}; one that
 * exists is left as it is if it is what the ledger needs (inputs alike in partitions, kept as
 * designed: forever or compacted, at least as many replicas as configured), and refused with the
 * topic's name and the fix if not.
 */
public final class TopicAdmin {

  private static final long TIMEOUT_SECONDS = 60;

  private final Admin admin;

  public TopicAdmin(Admin admin) {
    this.admin = admin;
  }

  /**
   * The replication for this cluster: {@link Replication#forCluster} with the number of brokers the
   * cluster has now.
   */
  public Replication replication(Map<String, String> settings) {
    int brokers;
    try {
      brokers = admin.describeCluster().nodes().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).size();
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot describe the Kafka cluster: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted describing the Kafka cluster", e);
    }
    return Replication.forCluster(brokers, settings);
  }

  /** What {@link #ensure} found and did. */
  public record Report(List<String> created, Map<String, Integer> partitions) {}

  /**
   * Creates every topic of {@code topics} that does not exist yet and returns the partition count
   * of each.
   *
   * @throws IllegalStateException if topics that must be co-partitioned (the inputs) disagree on
   *     their partition count: the ledger reads partition n of each input together
   */
  public Report ensure(Collection<Topic<?>> topics, int partitions, short replicationFactor) {
    return ensure(TopicNamespace.CONTRACT, topics, partitions, replicationFactor);
  }

  /** {@link #ensure(Collection, int, short)} for the topics of {@code namespace}. */
  public Report ensure(
      TopicNamespace namespace,
      Collection<Topic<?>> topics,
      int partitions,
      short replicationFactor) {
    return ensure(namespace, topics, partitions, new Replication(replicationFactor, 1));
  }

  /**
   * {@link #ensure(Collection, int, short)} for the topics of {@code namespace}, created with
   * {@code replication}; existing ones are checked against it and their design.
   *
   * @throws IllegalStateException naming the topic and the fix, if an existing topic is not what
   *     the ledger needs
   */
  public Report ensure(
      TopicNamespace namespace,
      Collection<Topic<?>> topics,
      int partitions,
      Replication replication) {
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
    }
    List<String> created = new ArrayList<>();
    for (Topic<?> topic : topics) {
      String name = namespace.name(topic);
      Map<String, String> configs = new TreeMap<>(topic.configs());
      configs.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, String.valueOf(replication.minInsync()));
      NewTopic newTopic = new NewTopic(name, partitions, replication.factor()).configs(configs);
      try {
        admin.createTopics(List.of(newTopic)).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        created.add(name);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw new IllegalStateException(
              "cannot create topic " + name + ": " + e.getCause().getMessage(), e);
        }
      } catch (TimeoutException e) {
        throw new IllegalStateException(
            "the broker did not answer creating " + name + " within 60 s", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted creating " + name, e);
      }
    }
    Map<String, TopicDescription> descriptions =
        descriptions(topics.stream().map(namespace::name).toList());
    Map<String, Integer> counts = counts(descriptions);
    Map<Integer, List<String>> inputsByCount =
        Topics.inputs().stream()
            .map(namespace::name)
            .filter(counts::containsKey)
            .collect(Collectors.groupingBy(counts::get, TreeMap::new, Collectors.toList()));
    if (inputsByCount.size() > 1) {
      throw new IllegalStateException(
          "input topics must have the same number of partitions, found "
              + inputsByCount
              + ": the ledger reads partition n of each input together; recreate the odd ones, or"
              + " add partitions with kafka-topics --alter --partitions (before any data is on"
              + " them)");
    }
    List<Topic<?>> existing =
        topics.stream().filter(topic -> !created.contains(namespace.name(topic))).toList();
    checkExisting(namespace, existing, descriptions, replication);
    return new Report(created, counts);
  }

  /**
   * Refuses an existing topic kept otherwise than designed or with fewer replicas than set ({@code
   * descriptions}: of every topic, as {@link #ensure} read them).
   */
  private void checkExisting(
      TopicNamespace namespace,
      List<Topic<?>> topics,
      Map<String, TopicDescription> descriptions,
      Replication replication) {
    if (topics.isEmpty()) {
      return;
    }
    Map<String, Topic<?>> byName = new TreeMap<>();
    topics.forEach(topic -> byName.put(namespace.name(topic), topic));
    Map<ConfigResource, Config> configs;
    try {
      configs =
          admin
              .describeConfigs(
                  byName.keySet().stream()
                      .map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name))
                      .toList())
              .all()
              .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot describe topics " + byName.keySet() + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted describing topics", e);
    }
    List<String> problems = new ArrayList<>();
    byName.forEach(
        (name, topic) -> {
          Config config = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, name));
          String policy = value(config, TopicConfig.CLEANUP_POLICY_CONFIG);
          if (topic.cleanup() == Topic.Cleanup.RETAIN_ALL) {
            String retention = value(config, TopicConfig.RETENTION_MS_CONFIG);
            String bytes = value(config, TopicConfig.RETENTION_BYTES_CONFIG);
            if (!TopicConfig.CLEANUP_POLICY_DELETE.equals(policy)
                || !"-1".equals(retention)
                || !"-1".equals(bytes)) {
              problems.add(
                  name
                      + " is kept with cleanup.policy="
                      + policy
                      + ", retention.ms="
                      + retention
                      + ", retention.bytes="
                      + bytes
                      + ", but the ledger replays it from the beginning: keep it forever"
                      + " (kafka-configs --alter --entity-type topics --entity-name "
                      + name
                      + " --add-config cleanup.policy=delete,retention.ms=-1,retention.bytes=-1)");
            }
          } else if (policy == null || !policy.contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
            problems.add(
                name
                    + " is kept with cleanup.policy="
                    + policy
                    + ", but it holds the latest value per key: compact it (kafka-configs --alter"
                    + " --entity-type topics --entity-name "
                    + name
                    + " --add-config cleanup.policy=compact)");
          }
          TopicDescription description = descriptions.get(name);
          int replicas =
              description.partitions().stream()
                  .mapToInt(partition -> partition.replicas().size())
                  .min()
                  .orElse(0);
          if (replicas < replication.factor()) {
            problems.add(
                name
                    + " has "
                    + replicas
                    + (replicas == 1 ? " replica" : " replicas")
                    + " but "
                    + Replication.FACTOR
                    + " is "
                    + replication.factor()
                    + ": add replicas (kafka-reassign-partitions) or set "
                    + Replication.FACTOR
                    + "="
                    + replicas);
          }
        });
    if (!problems.isEmpty()) {
      throw new IllegalStateException(
          "existing topics are not what the ledger needs: " + String.join("; ", problems));
    }
  }

  private static String value(Config config, String key) {
    ConfigEntry entry = config == null ? null : config.get(key);
    return entry == null ? null : entry.value();
  }

  /**
   * Partition count of each topic among {@code topics}, by name. A topic just created may take a
   * moment to appear in the metadata every broker serves: unknown topics are asked for again, for
   * up to a minute.
   */
  public Map<String, Integer> partitionCounts(
      TopicNamespace namespace, Collection<Topic<?>> topics) {
    return counts(descriptions(topics.stream().map(namespace::name).toList()));
  }

  private static Map<String, Integer> counts(Map<String, TopicDescription> descriptions) {
    Map<String, Integer> counts = new TreeMap<>();
    descriptions.forEach((name, description) -> counts.put(name, description.partitions().size()));
    return counts;
  }

  /**
   * The descriptions of topics {@code names}, asking again for up to a minute while one is unknown
   * (just created, not yet in the metadata every broker serves).
   */
  private Map<String, TopicDescription> descriptions(List<String> names) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
    while (true) {
      try {
        return admin.describeTopics(names).allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)
            || System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "cannot describe topics " + names + ": " + e.getMessage(), e);
        }
      } catch (TimeoutException e) {
        throw new IllegalStateException("cannot describe topics " + names + ": " + e, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted describing topics", e);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted describing topics", e);
      }
    }
  }
}
