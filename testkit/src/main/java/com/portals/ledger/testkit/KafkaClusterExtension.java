package com.portals.ledger.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import kafka.server.BrokerServer;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.test.JaasUtils;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.common.MetadataVersion;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real single-node KRaft Kafka broker (combined broker and controller) in the test JVM, shared by
 * the tests of one class:
 *
 * <pre>{@code
 * @RegisterExtension static final KafkaClusterExtension kafka = new KafkaClusterExtension();
 * }</pre>
 *
 * <p>The broker runs the latest production metadata version with every replication factor and
 * minimum ISR at 1, so transactions (exactly-once) work on one node. Tests share the broker, not
 * names: {@link #uniqueName(String)} gives each test its own topics and application ids.
 */
public final class KafkaClusterExtension implements BeforeAllCallback, AfterAllCallback {

  private static final AtomicInteger SEQUENCE = new AtomicInteger();

  private final Map<String, String> brokerConfig = new HashMap<>();
  private int brokers = 1;
  private boolean sasl;
  private KafkaClusterTestKit cluster;
  private Admin admin;

  public KafkaClusterExtension() {
    brokerConfig.put("offsets.topic.replication.factor", "1");
    brokerConfig.put("offsets.topic.num.partitions", "4");
    brokerConfig.put("transaction.state.log.replication.factor", "1");
    brokerConfig.put("transaction.state.log.min.isr", "1");
    brokerConfig.put("transaction.state.log.num.partitions", "4");
    brokerConfig.put("share.coordinator.state.topic.replication.factor", "1");
    brokerConfig.put("share.coordinator.state.topic.min.isr", "1");
    brokerConfig.put("default.replication.factor", "1");
    brokerConfig.put("min.insync.replicas", "1");
    brokerConfig.put("group.initial.rebalance.delay.ms", "0");
    brokerConfig.put("auto.create.topics.enable", "false");
  }

  /**
   * A cluster of {@code count} brokers (the first also the KRaft controller); call before the
   * extension starts. Internal topics keep one replica, as on a single broker.
   */
  public KafkaClusterExtension withBrokers(int count) {
    brokers = count;
    return this;
  }

  /**
   * Brokers that take clients only over SASL/PLAIN (user {@code plain-admin}), as a secured
   * production cluster would; call before the extension starts. {@link #clientSettings()} has what
   * a client needs.
   */
  public KafkaClusterExtension withSasl() {
    sasl = true;
    // The test kit puts an authorizer on a SASL cluster: the nodes (on the plaintext controller
    // listener, as ANONYMOUS) and the client's user act as super users.
    brokerConfig.put("super.users", "User:ANONYMOUS;User:" + JaasUtils.KAFKA_PLAIN_ADMIN);
    return this;
  }

  /**
   * The security settings a client of this cluster needs: none, or SASL/PLAIN's with {@link
   * #withSasl()}.
   */
  public Map<String, String> clientSettings() {
    if (!sasl) {
      return Map.of();
    }
    return Map.of(
        CommonClientConfigs.SECURITY_PROTOCOL_CONFIG,
        SecurityProtocol.SASL_PLAINTEXT.name,
        SaslConfigs.SASL_MECHANISM,
        "PLAIN",
        SaslConfigs.SASL_JAAS_CONFIG,
        "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
            + JaasUtils.KAFKA_PLAIN_ADMIN
            + "\" password=\""
            + JaasUtils.KAFKA_PLAIN_ADMIN_PASSWORD
            + "\";");
  }

  /** Adds or overrides a broker setting; call before the extension starts. */
  public KafkaClusterExtension withBrokerConfig(String key, String value) {
    brokerConfig.put(key, value);
    return this;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    start();
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    stop();
  }

  /** Starts the broker (the extension does this before the first test of the class). */
  public void start() throws Exception {
    if (cluster != null) {
      return;
    }
    TestKitNodes nodes =
        new TestKitNodes.Builder()
            .setCombined(true)
            .setNumBrokerNodes(brokers)
            .setBrokerSecurityProtocol(
                sasl ? SecurityProtocol.SASL_PLAINTEXT : SecurityProtocol.PLAINTEXT)
            .setNumControllerNodes(1)
            .setBootstrapMetadataVersion(MetadataVersion.latestProduction())
            .build();
    KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes);
    brokerConfig.forEach(builder::setConfigProp);
    KafkaClusterTestKit started = builder.build();
    try {
      started.format();
      started.startup();
      started.waitForReadyBrokers();
    } catch (Exception e) {
      started.close();
      throw e;
    }
    cluster = started;
    admin = Admin.create(clientProperties());
  }

  /** Stops the broker and deletes its data. */
  public void stop() throws Exception {
    if (admin != null) {
      admin.close(Duration.ofSeconds(10));
      admin = null;
    }
    if (cluster != null) {
      cluster.close();
      cluster = null;
    }
  }

  /**
   * Stops and starts the broker process in place, keeping its data (for restart tests); returns
   * once the broker leads its partitions again (see {@link #awaitPartitionLeaders()}).
   */
  public void restartBroker() throws Exception {
    requireStarted();
    cluster.brokers().values().forEach(broker -> broker.shutdown());
    cluster.brokers().values().forEach(broker -> broker.awaitShutdown());
    cluster.brokers().values().forEach(broker -> broker.startup());
    cluster.waitForReadyBrokers();
    awaitPartitionLeaders();
  }

  /**
   * Stops one broker that is not the KRaft controller, as if its machine died; returns its id. The
   * others go on; {@link #startBroker} brings it back with its data.
   */
  public int stopBroker() {
    requireStarted();
    int id =
        cluster.brokers().keySet().stream()
            .filter(node -> !cluster.controllers().containsKey(node))
            .max(Integer::compare)
            .orElseThrow(() -> new IllegalStateException("every broker is also the controller"));
    cluster.brokers().get(id).shutdown();
    cluster.brokers().get(id).awaitShutdown();
    return id;
  }

  /**
   * Starts broker {@code id} again after {@link #stopBroker}; returns once every partition is led
   * again (see {@link #awaitPartitionLeaders()}).
   */
  public void startBroker(int id) throws Exception {
    requireStarted();
    cluster.brokers().get(id).startup();
    cluster.waitForReadyBrokers();
    awaitPartitionLeaders();
  }

  /**
   * Waits until every partition has a leader and that broker's replica manager acts as its leader,
   * so that a produce request to any partition is taken. A (re)started broker is ready for the test
   * kit once it is unfenced, but the controller's leader elections that follow reach its replica
   * manager only later: until then it answers NOT_LEADER_OR_FOLLOWER. A new idempotent producer
   * whose first request to a partition is answered so while its next request is appended loses the
   * first batch: Kafka 4.3's broker accepts any first sequence from a producer it has no state for
   * on the partition ({@code ProducerAppendInfo.checkSequence}), so the retried batch (sequence 0)
   * is out of order for good and the client retries it until it expires.
   */
  private void awaitPartitionLeaders() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    List<TopicPartition> waiting = partitionsWithoutServingLeader();
    while (!waiting.isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "partitions without a serving leader after 60 s: " + waiting);
      }
      Thread.sleep(50);
      waiting = partitionsWithoutServingLeader();
    }
  }

  /**
   * The partitions without a leader, or whose leader's replica manager has no leader log for them
   * yet ({@code ReplicaManager.getLogEndOffset} is defined exactly when {@code
   * Partition.leaderLogIfLocal} is, which a produce request needs).
   */
  private List<TopicPartition> partitionsWithoutServingLeader() throws Exception {
    Set<String> topics =
        admin
            .listTopics(new ListTopicsOptions().listInternal(true))
            .names()
            .get(30, TimeUnit.SECONDS);
    Map<String, TopicDescription> descriptions =
        admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS);
    List<TopicPartition> waiting = new ArrayList<>();
    for (TopicDescription topic : descriptions.values()) {
      topic
          .partitions()
          .forEach(
              partition -> {
                TopicPartition topicPartition =
                    new TopicPartition(topic.name(), partition.partition());
                Node leader = partition.leader();
                BrokerServer broker = leader == null ? null : cluster.brokers().get(leader.id());
                // Defined once the broker's partition has its leader log, as a produce needs.
                if (broker == null
                    || broker.replicaManager().getLogEndOffset(topicPartition).isEmpty()) {
                  waiting.add(topicPartition);
                }
              });
    }
    return waiting;
  }

  public String bootstrapServers() {
    requireStarted();
    return cluster.bootstrapServers();
  }

  /** An admin client on the broker, owned by the extension. */
  public Admin admin() {
    requireStarted();
    return admin;
  }

  /** {@code prefix} made unique in this JVM and across runs on the same broker. */
  public static String uniqueName(String prefix) {
    return prefix
        + "-"
        + SEQUENCE.incrementAndGet()
        + "-"
        + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Creates topics with {@code partitions} partitions each, waiting until they exist. */
  public void createTopics(int partitions, String... names) throws Exception {
    List<NewTopic> topics = new ArrayList<>();
    for (String name : names) {
      topics.add(new NewTopic(name, partitions, (short) 1));
    }
    admin().createTopics(topics).all().get(60, TimeUnit.SECONDS);
  }

  /** Client properties pointing at this broker, to be extended by the test. */
  public Properties clientProperties() {
    Properties properties = new Properties();
    properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    properties.putAll(clientSettings());
    return properties;
  }

  /**
   * Reads every committed record of {@code topic} from the beginning until {@code expected} records
   * arrived or {@code timeout} passed; returns what it read.
   */
  public List<ConsumerRecord<byte[], byte[]>> readAll(
      String topic, int expected, Duration timeout) {
    return readAll(topic, expected, timeout, Duration.ZERO);
  }

  /**
   * Like {@link #readAll(String, int, Duration)}, and once {@code expected} records arrived, goes
   * on reading for {@code linger}, so that a test sees records beyond those it expected.
   */
  public List<ConsumerRecord<byte[], byte[]>> readAll(
      String topic, int expected, Duration timeout, Duration linger) {
    Properties properties = clientProperties();
    properties.put(ConsumerConfig.GROUP_ID_CONFIG, uniqueName("reader"));
    properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + timeout.toNanos();
      while (records.size() < expected && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
      long lingerDeadline = System.nanoTime() + linger.toNanos();
      while (System.nanoTime() < lingerDeadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
    }
    return records;
  }

  private void requireStarted() {
    if (cluster == null) {
      throw new IllegalStateException(
          "the Kafka broker is not running: register KafkaClusterExtension with"
              + " @RegisterExtension on a static field");
    }
  }
}
