package com.portals.ledger.app.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.portals.ledger.avro.events.ClockTick;
import com.portals.ledger.schemas.publish.EventPublisher;
import com.portals.ledger.schemas.serde.LedgerSerdes;
import com.portals.ledger.schemas.topics.TopicAdmin;
import com.portals.ledger.schemas.topics.TopicNamespace;
import com.portals.ledger.schemas.topics.Topics;
import com.portals.ledger.testkit.ContractExamples;
import com.portals.ledger.testkit.KafkaClusterExtension;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The clock of {@code --clock system} against a real broker: a tick at start, none while nothing
 * arrives, one soon after an event arrives (past it), and a heartbeat once the idle interval has
 * passed.
 */
@Timeout(60)
class SystemClockTickerIntegrationTest {

  private static final int PARTITIONS = 2;
  private static final Duration INTERVAL = Duration.ofMillis(100);
  private static final Duration IDLE = Duration.ofSeconds(3);

  @RegisterExtension static final KafkaClusterExtension kafka = new KafkaClusterExtension();

  private final LedgerSerdes serdes = LedgerSerdes.singleObject();

  @Test
  void shouldTickWhenInputArrivesAndOtherwiseOnlyOncePerIdleInterval() throws Exception {
    TopicNamespace namespace = TopicNamespace.prefixed(KafkaClusterExtension.uniqueName("ticker"));
    new TopicAdmin(kafka.admin()).ensure(namespace, Topics.all(), PARTITIONS, (short) 1);
    String clicks = namespace.name(Topics.CLICKS);

    try (Ticks ticks = new Ticks(namespace.name(Topics.CLOCK));
        EventPublisher upstream =
            EventPublisher.connect(kafka.bootstrapServers(), serdes, namespace);
        EventPublisher clockPublisher =
            EventPublisher.connect(kafka.bootstrapServers(), serdes, namespace)) {
      SystemClockTicker ticker =
          SystemClockTicker.start(clockPublisher, Clock.systemUTC(), INTERVAL, IDLE);
      try {
        ClockTick first = ticks.next(Duration.ofSeconds(10)).get(0);
        assertThat(first.getPositions()).containsEntry(clicks, 0L);

        assertThat(ticks.next(INTERVAL.multipliedBy(10)))
            .as("ticks while nothing arrives, within ten intervals")
            .isEmpty();

        assertThat(upstream.publish(List.of(ContractExamples.of("ClickRecorded"))).allAccepted())
            .isTrue();
        long published = System.nanoTime();
        List<ClockTick> afterClick = ticks.next(Duration.ofSeconds(10));
        assertThat(Duration.ofNanos(System.nanoTime() - published))
            .as("from the click to the tick past it")
            .isLessThan(INTERVAL.multipliedBy(10));
        assertThat(afterClick)
            .extracting(tick -> tick.getPositions().get(clicks))
            .as("every partition's tick names the end of its clicks partition")
            .contains(1L)
            .containsOnly(0L, 1L);
        Instant clickTick = afterClick.get(0).getAt();

        assertThat(ticks.next(IDLE.minus(Duration.ofSeconds(1))))
            .as("ticks before the idle interval has passed")
            .isEmpty();
        List<ClockTick> heartbeat = ticks.next(Duration.ofSeconds(10));
        assertThat(Duration.between(clickTick, heartbeat.get(0).getAt()))
            .as("a heartbeat after the idle interval")
            .isBetween(IDLE, IDLE.plusSeconds(2));
        assertThat(heartbeat)
            .extracting(ClockTick::getPositions)
            .as("with the same positions: nothing arrived")
            .containsExactlyElementsOf(afterClick.stream().map(ClockTick::getPositions).toList());
      } finally {
        ticker.close();
      }
    }
  }

  /**
   * Reads the ticks of the clock topic as they come, one tick (one record per partition) at a time.
   */
  private final class Ticks implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String topic;
    private final List<ConsumerRecord<byte[], byte[]>> read = new ArrayList<>();

    Ticks(String topic) {
      this.topic = topic;
      Properties properties = kafka.clientProperties();
      properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      consumer =
          new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
      consumer.assign(
          IntStream.range(0, PARTITIONS).mapToObj(p -> new TopicPartition(topic, p)).toList());
      consumer.seekToBeginning(consumer.assignment());
    }

    /**
     * The next tick, by partition, as soon as every partition has it; empty if it did not come
     * within {@code timeout}.
     */
    List<ClockTick> next(Duration timeout) {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!everyPartitionHasOne() && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(50)).forEach(read::add);
      }
      if (!everyPartitionHasOne()) {
        assertThat(read).as("a tick on some partitions only").isEmpty();
        return List.of();
      }
      List<ClockTick> tick = new ArrayList<>();
      for (int partition = 0; partition < PARTITIONS; partition++) {
        int p = partition;
        ConsumerRecord<byte[], byte[]> record =
            read.stream().filter(r -> r.partition() == p).findFirst().orElseThrow();
        read.remove(record);
        tick.add(Topics.CLOCK.valueSerde(serdes).deserializer().deserialize(topic, record.value()));
      }
      return tick;
    }

    private boolean everyPartitionHasOne() {
      return read.stream().map(ConsumerRecord::partition).distinct().count() == PARTITIONS;
    }

    @Override
    public void close() {
      consumer.close();
    }
  }
}
