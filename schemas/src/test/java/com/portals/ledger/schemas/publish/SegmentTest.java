package com.portals.ledger.schemas.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class SegmentTest {

  private static final TopicPartition CLICKS_0 = new TopicPartition("portals.clicks", 0);
  private static final TopicPartition CLICKS_1 = new TopicPartition("portals.clicks", 1);

  @Test
  void shouldBeDoneOnlyOnceClosedAndEveryRecordSettled() {
    Segment segment = new Segment();
    segment.sent();
    segment.sent();
    segment.acknowledged(CLICKS_0, 4);
    segment.close();
    assertThat(segment.isDone()).isFalse();

    segment.failed();

    assertThat(segment.isDone()).isTrue();
  }

  @Test
  void shouldNotBeDoneWhileOpenEvenWithEveryRecordAcknowledged() {
    Segment segment = new Segment();
    segment.sent();
    segment.acknowledged(CLICKS_0, 0);

    assertThat(segment.isDone()).isFalse();
  }

  @Test
  void shouldBeDoneWhenClosedWithoutRecords() {
    Segment segment = new Segment();
    segment.close();

    assertThat(segment.isDone()).isTrue();
    assertThat(segment.ends()).isEmpty();
  }

  @Test
  void shouldEndEachPartitionAfterItsHighestAcknowledgedOffsetInWhateverOrderAcksCome() {
    Segment segment = new Segment();
    for (int i = 0; i < 4; i++) {
      segment.sent();
    }
    segment.acknowledged(CLICKS_0, 7);
    segment.acknowledged(CLICKS_1, 2);
    segment.acknowledged(CLICKS_0, 5);
    segment.failed();
    segment.close();

    assertThat(segment.isDone()).isTrue();
    assertThat(segment.ends()).isEqualTo(Map.of(CLICKS_0, 8L, CLICKS_1, 3L));
  }
}
