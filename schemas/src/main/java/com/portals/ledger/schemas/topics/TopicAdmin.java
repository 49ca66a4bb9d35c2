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
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Creates the ledger's topics, idempotently: a topic that exists is left as it is, a missing one is
 * created with the partition count, replication factor and configuration of its {@link Topic}.
 */
public final class TopicAdmin {

  private static final long TIMEOUT_SECONDS = 60;

  private final Admin admin;

  public TopicAdmin(Admin admin) {
    this.admin = admin;
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
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
    }
    List<String> created = new ArrayList<>();
    for (Topic<?> topic : topics) {
      String name = namespace.name(topic);
      NewTopic newTopic =
          new NewTopic(name, partitions, replicationFactor).configs(topic.configs());
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
    Map<String, Integer> counts = partitionCounts(namespace, topics);
    Map<Integer, List<String>> inputsByCount =
        Topics.inputs().stream()
            .map(namespace::name)
            .filter(counts::containsKey)
            .collect(Collectors.groupingBy(counts::get, TreeMap::new, Collectors.toList()));
    if (inputsByCount.size() > 1) {
      throw new IllegalStateException(
          "input topics must have the same number of partitions, found " + inputsByCount);
    }
    return new Report(created, counts);
  }

  /**
   * Partition count of each topic among {@code topics}, by name. A topic just created may take a
   * moment to appear in the metadata every broker serves: unknown topics are asked for again, for
   * up to a minute.
   */
  public Map<String, Integer> partitionCounts(
      TopicNamespace namespace, Collection<Topic<?>> topics) {
    List<String> names = topics.stream().map(namespace::name).toList();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
    while (true) {
      try {
        Map<String, TopicDescription> descriptions =
            admin.describeTopics(names).allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        Map<String, Integer> counts = new TreeMap<>();
        descriptions.forEach(
            (name, description) -> counts.put(name, description.partitions().size()));
        return counts;
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
