package com.portals.ledger.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.portals.ledger.schemas.json.EventJson;
import com.portals.ledger.schemas.json.EventJson.Parsed;
import com.portals.ledger.schemas.publish.EventPublisher;
import com.portals.ledger.schemas.publish.EventPublisher.RejectedLine;
import com.portals.ledger.schemas.publish.EventPublisher.Report;
import com.portals.ledger.schemas.serde.LedgerSerdes;
import com.portals.ledger.schemas.topics.TopicAdmin;
import com.portals.ledger.schemas.topics.TopicNamespace;
import com.portals.ledger.schemas.topics.Topics;
import com.portals.ledger.testkit.ContractExamples;
import com.portals.ledger.testkit.KafkaClusterExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code ledger publish}'s code path against a real broker: every example of docs/contract.md lands
 * on its topic with the contract's key and timestamp and reads back as the same event; bad lines
 * are reported by number and the good ones still go out.
 */
@Timeout(120)
class PublishIntegrationTest {

  private static final int PARTITIONS = 3;

  @RegisterExtension static final KafkaClusterExtension kafka = new KafkaClusterExtension();

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final LedgerSerdes serdes = LedgerSerdes.singleObject();

  private TopicNamespace freshTopics() {
    TopicNamespace namespace = TopicNamespace.prefixed(KafkaClusterExtension.uniqueName("publish"));
    new TopicAdmin(kafka.admin()).ensure(namespace, Topics.all(), PARTITIONS, (short) 1);
    return namespace;
  }

  @Test
  @SuppressWarnings({"unchecked", "rawtypes"})
  void shouldPublishEveryContractExampleToItsTopicAndReadItBack() throws Exception {
    TopicNamespace namespace = freshTopics();
    List<String> lines = ContractExamples.lines();

    Report report;
    try (EventPublisher publisher =
        EventPublisher.connect(kafka.bootstrapServers(), serdes, namespace)) {
      report = publisher.publish(lines);
    }

    assertThat(report.rejected()).isEmpty();
    assertThat(report.accepted()).isEqualTo(lines.size());
    Map<String, Integer> expectedPerTopic = new HashMap<>();
    for (String line : lines) {
      Parsed parsed = (Parsed) EventJson.parse(line);
      expectedPerTopic.merge(
          namespace.name(parsed.topic()), parsed.toEveryPartition() ? PARTITIONS : 1, Integer::sum);
    }
    Map<String, List<ConsumerRecord<byte[], byte[]>>> published = new HashMap<>();
    expectedPerTopic.forEach(
        (topic, count) ->
            published.put(topic, kafka.readAll(topic, count, Duration.ofSeconds(30))));
    for (String line : lines) {
      Parsed expected = (Parsed) EventJson.parse(line);
      String topic = namespace.name(expected.topic());
      assertThat(published.get(topic)).as(topic).hasSize(expectedPerTopic.get(topic));
      List<ConsumerRecord<byte[], byte[]>> copies = new ArrayList<>();
      for (ConsumerRecord<byte[], byte[]> record : published.get(topic)) {
        SpecificRecord value =
            (SpecificRecord)
                expected
                    .topic()
                    .valueSerde(serdes)
                    .deserializer()
                    .deserialize(topic, record.value());
        if (MAPPER.readTree(EventJson.toJson(value)).equals(MAPPER.readTree(line))) {
          copies.add(record);
        }
      }
      assertThat(copies).as(line).hasSize(expected.toEveryPartition() ? PARTITIONS : 1);
      for (ConsumerRecord<byte[], byte[]> record : copies) {
        assertThat(record.timestamp()).as(line).isEqualTo(expected.timestamp().toEpochMilli());
        assertThat(keyOf(record)).as(line).isEqualTo(String.valueOf(expected.key()));
      }
      if (expected.toEveryPartition()) {
        assertThat(copies.stream().map(ConsumerRecord::partition).collect(Collectors.toSet()))
            .containsExactlyInAnyOrder(0, 1, 2);
      }
    }
  }

  @Test
  void shouldReportBadLinesByNumberAndStillPublishTheGoodOnes() {
    TopicNamespace namespace = freshTopics();
    List<String> lines = new ArrayList<>();
    lines.add(ContractExamples.of("OrderCompleted"));
    lines.add(
        "{\"type\":\"OrderCompleted\",\"eventId\":\"x\",\"occurredAt\":\"2026-01-20T08:00:00Z\"}");
    lines.add("");
    lines.add(ContractExamples.of("OrderRefunded").replace("2500", "-7"));
    lines.add(ContractExamples.of("OrderCancelled"));
    // The poison event of old: pricing 9e18 cents overflowed and stopped the ledger.
    lines.add(ContractExamples.of("OrderPlaced").replace("10000", "9000000000000000000"));

    Report report;
    try (EventPublisher publisher =
        EventPublisher.connect(kafka.bootstrapServers(), serdes, namespace)) {
      report = publisher.publish(lines);
    }

    assertThat(report.accepted()).isEqualTo(2);
    assertThat(report.rejected())
        .containsExactly(
            new RejectedLine(2, "missing field 'orderId'"),
            new RejectedLine(3, "empty line"),
            new RejectedLine(4, "field 'refundCents' must be positive, got -7"),
            new RejectedLine(
                6,
                "field 'lines[0].amountCents' must be at most 100000000000,"
                    + " got 9000000000000000000"));
    assertThat(kafka.readAll(namespace.name(Topics.ORDERS), 2, Duration.ofSeconds(20))).hasSize(2);
  }

  private static String keyOf(ConsumerRecord<byte[], byte[]> record) {
    return record.key() == null ? "null" : new String(record.key(), StandardCharsets.UTF_8);
  }
}
