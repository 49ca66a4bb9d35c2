package com.portals.ledger.schemas.publish;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.portals.ledger.avro.events.ClockTick;
import com.portals.ledger.schemas.publish.EventPublisher.RejectedLine;
import com.portals.ledger.schemas.publish.EventPublisher.Report;
import com.portals.ledger.schemas.serde.LedgerSerdes;
import com.portals.ledger.schemas.topics.Topic;
import com.portals.ledger.schemas.topics.TopicAdmin;
import com.portals.ledger.schemas.topics.TopicNamespace;
import com.portals.ledger.schemas.topics.Topics;
import com.portals.ledger.testkit.ContractExamples;
import com.portals.ledger.testkit.KafkaClusterExtension;
import java.io.BufferedReader;
import java.io.PipedReader;
import java.io.PipedWriter;
import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The publisher against a real broker.
 *
 * <p>Tick lines are barriers: the tick a publish sends to partition p of the clock carries, per
 * input topic, a position above every record of partition p that came from a line before the tick
 * line and not above any record of a line after it, whatever the broker acknowledged first, with
 * rejected lines anywhere and while another producer writes to the same partitions.
 *
 * <p>Every line of these files has an instant of its own ({@link #instantOf}), which becomes its
 * records' timestamp: a record read back names the line it came from.
 */
@Timeout(180)
class EventPublisherIntegrationTest {

  private static final int PARTITIONS = 3;
  private static final Instant BASE = Instant.parse("2026-02-01T00:00:00Z");
  private static final List<Topic<?>> INPUTS =
      List.of(Topics.CLICKS, Topics.ORDERS, Topics.COMMISSION_RATES, Topics.WITHDRAWALS);
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension static final KafkaClusterExtension kafka = new KafkaClusterExtension();

  private final LedgerSerdes serdes = LedgerSerdes.singleObject();

  @Test
  void shouldPlaceEveryTickBetweenTheLinesBeforeAndAfterItOnEveryPartition() throws Exception {
    TopicNamespace namespace = freshTopics();
    Random random = new Random(7);
    List<String> lines = new ArrayList<>();
    Set<Long> rejected = new TreeSet<>();
    lines.add(tick(1));
    while (lines.size() < 12_000) {
      long number = lines.size() + 1;
      double draw = random.nextDouble();
      if (draw < 0.01 || number == 5_000 || number == 5_001) {
        lines.add(tick(number));
      } else if (draw < 0.03) {
        lines.add("{\"type\":\"OrderCompleted\",\"eventId\":\"bad-" + number + "\"}");
        rejected.add(number);
      } else {
        lines.add(event(number, random));
      }
    }
    // Rejected lines around a tick, and a tick as the last line.
    lines.add("not json");
    rejected.add((long) lines.size());
    lines.add(tick(lines.size() + 1));
    lines.add("");
    rejected.add((long) lines.size());
    lines.add(tick(lines.size() + 1));

    Report report;
    int foreignClicks;
    AtomicBoolean publishing = new AtomicBoolean(true);
    try (EventPublisher publisher = connect(namespace);
        EventPublisher other = connect(namespace)) {
      CompletableFuture<Integer> meanwhile =
          CompletableFuture.supplyAsync(() -> publishUntil(other, publishing));
      report = publisher.publish(lines);
      publishing.set(false);
      foreignClicks = meanwhile.get();
    }

    assertThat(report.rejected())
        .extracting(RejectedLine::line)
        .containsExactlyElementsOf(rejected);
    assertThat(report.accepted()).isEqualTo(lines.size() - rejected.size());
    assertThat(foreignClicks).as("clicks of another producer meanwhile").isPositive();
    assertBarriers(namespace, lines, foreignClicks);
  }

  @Test
  void shouldStartEveryPublishAfreshAndKeepTickAtReadingTheBrokersEnds() throws Exception {
    TopicNamespace namespace = freshTopics();
    Random random = new Random(11);
    List<String> first = new ArrayList<>();
    for (long number = 1; number <= 300; number++) {
      first.add(number % 100 == 0 ? tick(number) : event(number, random));
    }
    List<String> second = new ArrayList<>();
    for (long number = 301; number <= 600; number++) {
      second.add(number == 450 ? tick(number) : event(number, random));
    }
    second.add("{\"type\":\"ClickRecorded\"}");

    try (EventPublisher publisher = connect(namespace)) {
      assertThat(publisher.publish(first).allAccepted()).isTrue();
      Report report =
          publisher.publish(new BufferedReader(new StringReader(String.join("\n", second))));
      assertThat(report.rejected()).extracting(RejectedLine::line).containsExactly(301L);
      assertThat(publisher.tick(instantOf(1_000)).allAccepted()).isTrue();
    }

    List<String> lines = new ArrayList<>(first);
    lines.addAll(second);
    lines.set(lines.size() - 1, "rejected");
    lines.add(tick(1_000));
    Map<TopicPartition, Long> ends = new HashMap<>();
    kafka
        .admin()
        .listOffsets(
            inputPartitions(namespace).stream()
                .collect(
                    Collectors.toMap(partition -> partition, partition -> OffsetSpec.latest())),
            new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
        .all()
        .get()
        .forEach((partition, info) -> ends.put(partition, info.offset()));
    List<ConsumerRecord<byte[], byte[]>> ticks = assertBarriers(namespace, lines, 0);
    for (ConsumerRecord<byte[], byte[]> record : ticks) {
      if (record.timestamp() == instantOf(1_000).toEpochMilli()) {
        for (Topic<?> input : INPUTS) {
          String name = namespace.name(input);
          assertThat(decodeTick(namespace, record).getPositions().get(name))
              .as("tick --at on %s-%d", name, record.partition())
              .isEqualTo(ends.get(new TopicPartition(name, record.partition())));
        }
      }
    }
  }

  @Test
  void shouldSendWhatAnInputHasSoFarWithoutWaitingForMore() throws Exception {
    TopicNamespace namespace = freshTopics();
    PipedWriter writer = new PipedWriter();
    BufferedReader reader = new BufferedReader(new PipedReader(writer));
    try (EventPublisher publisher = connect(namespace)) {
      CompletableFuture<Report> publishing =
          CompletableFuture.supplyAsync(() -> publisher.publish(reader));
      writer.write(click("own-1", "session-1").put("occurredAt", instantOf(1).toString()) + "\n");
      writer.write(tick(2) + "\n");
      writer.flush();

      assertThat(kafka.readAll(namespace.name(Topics.CLOCK), PARTITIONS, Duration.ofSeconds(30)))
          .as("the tick of line 2, published while the input stays open")
          .hasSize(PARTITIONS);
      assertThat(publishing).isNotDone();
      writer.close();
      assertThat(publishing.get().accepted()).isEqualTo(2);
    }
  }

  /**
   * Checks every tick of {@code lines} on every clock partition against every record of the lines
   * on the input topics (where another producer wrote {@code foreignClicks} clicks too); returns
   * the ticks read.
   */
  private List<ConsumerRecord<byte[], byte[]>> assertBarriers(
      TopicNamespace namespace, List<String> lines, int foreignClicks) {
    Map<String, Long> expected = new HashMap<>();
    long tickLines = 0;
    for (String line : lines) {
      if (line.contains("\"ClockTick\"")) {
        tickLines++;
      } else if (line.startsWith("{\"type\":\"") && line.contains("\"own-")) {
        expected.merge(topicOf(namespace, line), 1L, Long::sum);
      }
    }
    List<ConsumerRecord<byte[], byte[]>> inputs = new ArrayList<>();
    for (Topic<?> input : INPUTS) {
      String name = namespace.name(input);
      int count = expected.getOrDefault(name, 0L).intValue();
      int foreign = input.equals(Topics.CLICKS) ? foreignClicks : 0;
      List<ConsumerRecord<byte[], byte[]>> read =
          kafka.readAll(name, count + foreign, Duration.ofSeconds(60)).stream()
              .filter(record -> lineOf(record) > 0)
              .toList();
      assertThat(read).as(name).hasSize(count);
      inputs.addAll(read);
    }
    List<ConsumerRecord<byte[], byte[]>> ticks =
        kafka.readAll(
            namespace.name(Topics.CLOCK),
            (int) tickLines * PARTITIONS,
            Duration.ofSeconds(60),
            Duration.ofMillis(500));
    assertThat(ticks).hasSize((int) tickLines * PARTITIONS);

    Map<Integer, List<ConsumerRecord<byte[], byte[]>>> ticksByPartition =
        ticks.stream().collect(Collectors.groupingBy(ConsumerRecord::partition));
    for (int partition = 0; partition < PARTITIONS; partition++) {
      List<ConsumerRecord<byte[], byte[]>> own = ticksByPartition.get(partition);
      assertThat(own).as("ticks on clock partition %d", partition).hasSize((int) tickLines);
      assertThat(own)
          .as("ticks in the order of their lines")
          .isSortedAccordingTo(Comparator.comparingLong(ConsumerRecord::offset))
          .extracting(EventPublisherIntegrationTest::lineOf)
          .isSorted();
    }
    List<String> violations = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record : ticks) {
      long tickLine = lineOf(record);
      Map<String, Long> positions = decodeTick(namespace, record).getPositions();
      assertThat(positions.keySet())
          .containsExactlyInAnyOrderElementsOf(
              INPUTS.stream().map(namespace::name).collect(Collectors.toList()));
      for (ConsumerRecord<byte[], byte[]> input : inputs) {
        long position = positions.get(input.topic());
        boolean before = lineOf(input) < tickLine;
        if (input.partition() == record.partition() && before != input.offset() < position) {
          violations.add(
              "line %d at %s-%d@%d is on the wrong side of the tick of line %d (position %d)"
                  .formatted(
                      lineOf(input),
                      input.topic(),
                      input.partition(),
                      input.offset(),
                      tickLine,
                      position));
        }
      }
    }
    assertThat(violations).isEmpty();
    return ticks;
  }

  private TopicNamespace freshTopics() {
    TopicNamespace namespace = TopicNamespace.prefixed(KafkaClusterExtension.uniqueName("barrier"));
    new TopicAdmin(kafka.admin()).ensure(namespace, Topics.all(), PARTITIONS, (short) 1);
    return namespace;
  }

  private EventPublisher connect(TopicNamespace namespace) {
    return EventPublisher.connect(kafka.bootstrapServers(), serdes, namespace);
  }

  private Set<TopicPartition> inputPartitions(TopicNamespace namespace) {
    Set<TopicPartition> partitions = new TreeSet<>(Comparator.comparing(TopicPartition::toString));
    for (Topic<?> input : INPUTS) {
      for (int partition = 0; partition < PARTITIONS; partition++) {
        partitions.add(new TopicPartition(namespace.name(input), partition));
      }
    }
    return partitions;
  }

  /** Clicks of another upstream system, before the lines' instants, until told to stop. */
  private static int publishUntil(EventPublisher other, AtomicBoolean publishing) {
    int sent = 0;
    while (publishing.get() || sent == 0) {
      ObjectNode click = click("foreign-" + sent, "foreign-session-" + sent);
      click.put("occurredAt", BASE.minusSeconds(3_600).plusMillis(sent).toString());
      sent += (int) other.publish(List.of(click.toString())).accepted();
    }
    return sent;
  }

  /** The instant of line {@code number}. */
  private static Instant instantOf(long number) {
    return BASE.plusMillis(number);
  }

  /** The line a record came from; 0 for records of another producer. */
  private static long lineOf(ConsumerRecord<byte[], byte[]> record) {
    return Math.max(0, record.timestamp() - BASE.toEpochMilli());
  }

  private static String tick(long number) {
    return JSON.createObjectNode()
        .put("type", "ClockTick")
        .put("at", instantOf(number).toString())
        .toString();
  }

  /** An event of one of the four input topics, keyed so that it may land on any partition. */
  private static String event(long number, Random random) {
    String id = "own-" + number;
    String at = instantOf(number).toString();
    double draw = random.nextDouble();
    if (draw < 0.6) {
      return click(id, "session-" + random.nextInt(40)).put("occurredAt", at).toString();
    } else if (draw < 0.85) {
      return example("OrderCompleted", id)
          .put("orderId", "order-" + random.nextInt(40))
          .put("occurredAt", at)
          .toString();
    } else if (draw < 0.9) {
      return example("CommissionRateSet", id)
          .put("category", "category-" + random.nextInt(5))
          .put("effectiveFrom", at)
          .toString();
    }
    return example("WithdrawalRequested", id)
        .put("withdrawalId", "w-" + number)
        .put("affiliateId", "aff-" + random.nextInt(40))
        .put("occurredAt", at)
        .toString();
  }

  private static ObjectNode click(String id, String session) {
    return example("ClickRecorded", id).put("sessionId", session);
  }

  /** The contract's example of {@code type}, with event id {@code id}. */
  private static ObjectNode example(String type, String id) {
    try {
      return ((ObjectNode) JSON.readTree(ContractExamples.of(type))).put("eventId", id);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String topicOf(TopicNamespace namespace, String line) {
    if (line.contains("\"ClickRecorded\"")) {
      return namespace.name(Topics.CLICKS);
    } else if (line.contains("\"CommissionRateSet\"")) {
      return namespace.name(Topics.COMMISSION_RATES);
    } else if (line.contains("\"WithdrawalRequested\"")) {
      return namespace.name(Topics.WITHDRAWALS);
    }
    return namespace.name(Topics.ORDERS);
  }

  private ClockTick decodeTick(TopicNamespace namespace, ConsumerRecord<byte[], byte[]> record) {
    return Topics.CLOCK
        .valueSerde(serdes)
        .deserializer()
        .deserialize(namespace.name(Topics.CLOCK), record.value());
  }
}
