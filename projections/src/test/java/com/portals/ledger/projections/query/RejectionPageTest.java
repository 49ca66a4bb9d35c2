package com.portals.ledger.projections.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.portals.ledger.avro.ledger.Rejection;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RejectionPageTest {

  @Test
  void shouldCountEveryMatchButListOnlyTheFirstRows() {
    RejectionPage.Builder page =
        new RejectionPage.Builder(RejectionPage.Query.parse(null, null, null, null, "2"));

    page.add(Instant.parse("2026-01-01T00:00:00Z"), rejection("A", 1));
    page.add(Instant.parse("2026-01-02T00:00:00Z"), rejection("B", 2));
    page.add(Instant.parse("2026-01-03T00:00:00Z"), rejection("A", 3));
    RejectionPage built = page.build();

    assertThat(built.total()).isEqualTo(3);
    assertThat(built.counts()).containsEntry("A", 2L).containsEntry("B", 1L);
    assertThat(built.rejections())
        .extracting(RejectionPage.Row::sourceOffset)
        .containsExactly(1L, 2L);
    assertThat(built.rejections().get(0).originalKey()).isEqualTo("key-1");
  }

  @Test
  void shouldMergeTwoInstancesInTimeOrder() {
    RejectionPage.Query query = RejectionPage.Query.parse(null, null, "A", null, "2");
    RejectionPage.Builder one = new RejectionPage.Builder(query);
    one.add(Instant.parse("2026-01-01T10:00:00.500Z"), rejection("A", 1));
    one.add(Instant.parse("2026-01-01T10:00:01Z"), rejection("B", 9));
    RejectionPage.Builder two = new RejectionPage.Builder(query);
    two.add(Instant.parse("2026-01-01T10:00:00Z"), rejection("A", 2));
    two.add(Instant.parse("2026-01-01T10:00:02Z"), rejection("A", 3));

    RejectionPage merged = one.build().plus(two.build(), query.limit());

    assertThat(merged.total()).isEqualTo(3);
    assertThat(merged.counts()).containsOnlyKeys("A");
    assertThat(merged.rejections())
        .extracting(RejectionPage.Row::sourceOffset)
        .containsExactly(2L, 1L);
  }

  @Test
  void shouldRefuseALimitOutOfRange() {
    assertThatThrownBy(() -> RejectionPage.Query.parse(null, null, null, null, "0"))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("limit");
    assertThatThrownBy(() -> RejectionPage.Query.parse(null, null, null, null, "many"))
        .isInstanceOf(BadRequestException.class);
    assertThat(RejectionPage.Query.parse(null, null, " ", null, null).limit())
        .isEqualTo(RejectionPage.DEFAULT_LIMIT);
  }

  @Test
  void shouldPageInRowOrderWhateverOrderTheStoreHandsRowsIn() {
    Instant at = Instant.parse("2026-01-01T00:00:00Z");
    // The store's keys put the shorter topic first; rows are ordered by topic name.
    Rejection orders = rejection("A", 7);
    Rejection rates = rejection("B", 3);
    rates.setSourceTopic("portals.commission-rates");
    List<String> walked = new java.util.ArrayList<>();
    String after = null;
    for (int page = 0; page < 3; page++) {
      RejectionPage.Builder builder =
          new RejectionPage.Builder(RejectionPage.Query.parse(null, null, null, null, "1", after));
      builder.add(at, orders);
      builder.add(at, rates);
      RejectionPage built = builder.build();
      assertThat(built.total()).isEqualTo(2);
      if (built.rejections().isEmpty()) {
        break;
      }
      walked.add(built.rejections().get(0).sourceTopic());
      after = built.rejections().get(0).position();
      assertThat(built.more()).isEqualTo(walked.size() == 1);
    }
    assertThat(walked).containsExactly("portals.commission-rates", "portals.orders");
  }

  private static Rejection rejection(String code, long offset) {
    return Rejection.newBuilder()
        .setSourceTopic("portals.orders")
        .setSourcePartition(0)
        .setSourceOffset(offset)
        .setOriginalKey(ByteBuffer.wrap(("key-" + offset).getBytes(StandardCharsets.UTF_8)))
        .setOriginalValue(ByteBuffer.wrap(new byte[] {(byte) 0xC3, 0x01}))
        .setReasonCode(code)
        .setMessage("because")
        .build();
  }
}
