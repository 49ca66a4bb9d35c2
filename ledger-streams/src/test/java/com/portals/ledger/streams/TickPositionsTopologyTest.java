package com.portals.ledger.streams;

import static com.portals.ledger.streams.Json.click;
import static com.portals.ledger.streams.Json.line;
import static com.portals.ledger.streams.Json.placed;
import static org.assertj.core.api.Assertions.assertThat;

import com.portals.ledger.avro.ledger.JournalEntry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A tick names where the input topics ended when it was sent; the ledger places every record on the
 * side of the tick those positions say, whatever order its consumer happened to read them in. These
 * are the races a live run has and a replay does not.
 */
class TickPositionsTopologyTest {

  private static final String CLICK = click("e1", "aff-1", "s1", "2026-01-10T10:00:00Z");
  private static final String ORDER =
      placed("e2", "o1", "s1", "2026-01-10T10:05:00Z", line("toys", 10000));

  @Test
  void shouldWaitForTheRecordsATickComesAfterWhenTheTickIsReadFirst() {
    List<JournalEntry> inOrder;
    try (LedgerDriver ledger = new LedgerDriver()) {
      ledger.given(CLICK, ORDER).tick("2026-01-10T11:00:00Z");
      inOrder = ledger.journal();
    }

    try (LedgerDriver ledger = new LedgerDriver()) {
      ledger.tickAfter("2026-01-10T11:00:00Z", Map.of("portals.clicks", 1L, "portals.orders", 1L));
      ledger.given(CLICK);
      assertThat(ledger.journal()).as("the tick still waits for the order").isEmpty();

      ledger.given(ORDER);

      assertThat(inOrder).hasSize(1);
      assertThat(ledger.journal()).isEqualTo(inOrder);
      assertThat(ledger.order("o1").getClick().getAffiliateId()).isEqualTo("aff-1");
      assertThat(ledger.rejections()).isEmpty();
    }
  }

  @Test
  void shouldKeepARecordPublishedAfterATickOnItsSideEvenWhenReadBeforeIt() {
    try (LedgerDriver ledger = new LedgerDriver()) {
      // The order was published after the 11:00 tick (orders ended at 0 then), but is read
      // before the click the tick does come after.
      ledger.tickAfter("2026-01-10T11:00:00Z", Map.of("portals.clicks", 1L, "portals.orders", 0L));
      ledger.given(ORDER);
      ledger.given(CLICK);

      assertThat(ledger.journal()).as("the order belongs to the next tick").isEmpty();

      ledger.tickAfter("2026-01-10T12:00:00Z", Map.of("portals.clicks", 1L, "portals.orders", 1L));

      assertThat(ledger.order("o1").getClick().getAffiliateId()).isEqualTo("aff-1");
      assertThat(ledger.order("o1").getCommissionCents()).isEqualTo(800);
      assertThat(ledger.journal()).hasSize(1);
      assertThat(ledger.rejections()).isEmpty();
    }
  }

  @Test
  void shouldIgnoreATickNotNewerThanTheLastAndKeepReleasingInOrder() {
    try (LedgerDriver ledger = new LedgerDriver()) {
      ledger.given(CLICK, ORDER);
      ledger.tickAfter("2026-01-10T11:00:00Z", Map.of("portals.clicks", 1L, "portals.orders", 1L));
      ledger.tickAfter("2026-01-10T10:30:00Z", Map.of("portals.clicks", 1L, "portals.orders", 1L));

      assertThat(ledger.journal()).hasSize(1);
      assertThat(ledger.journal().get(0).getEffectiveAt()).hasToString("2026-01-10T10:05:00Z");
    }
  }
}
