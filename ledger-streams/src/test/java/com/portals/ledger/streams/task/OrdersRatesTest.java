package com.portals.ledger.streams.task;

import static org.assertj.core.api.Assertions.assertThat;

import com.portals.ledger.avro.events.CommissionRateSet;
import com.portals.ledger.avro.internal.Buffered;
import com.portals.ledger.avro.internal.OrderRecord;
import com.portals.ledger.domain.money.Rate;
import com.portals.ledger.domain.rules.LedgerRules;
import com.portals.ledger.schemas.serde.LedgerSerdes;
import com.portals.ledger.streams.state.Codec;
import com.portals.ledger.streams.state.TestStores;
import com.portals.ledger.streams.state.WriteBackStore;
import java.time.Instant;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/** Rates are kept in the task's meta store and read back when the task starts again. */
class OrdersRatesTest {

  private final LedgerSerdes serdes = LedgerSerdes.singleObject();
  private final KeyValueStore<Bytes, byte[]> metaStore = TestStores.inMemory("meta");

  private Orders orders(WriteBackStore<byte[]> meta) {
    WriteBackStore<Buffered> buffer =
        new WriteBackStore<>(
            TestStores.inMemory("buffer"), Codec.avro(serdes.internal(Buffered.class)), 0);
    WriteBackStore<OrderRecord> records =
        new WriteBackStore<>(
            TestStores.inMemory("orders"), Codec.avro(serdes.internal(OrderRecord.class)), 0);
    Orders orders =
        new Orders(
            0,
            1,
            LedgerRules.DEFAULTS,
            records,
            meta,
            buffer,
            new Schedule(new WriteBackStore<>(TestStores.inMemory("schedule"), Codec.bytes(), 0)),
            null);
    orders.init();
    return orders;
  }

  @Test
  void shouldPriceWithTheRatesKnownBeforeARestart() {
    WriteBackStore<byte[]> meta = new WriteBackStore<>(metaStore, Codec.bytes(), 0);
    Orders before = orders(meta);
    Instant january = Instant.parse("2026-01-01T00:00:00Z");
    Instant march = Instant.parse("2026-03-01T00:00:00Z");
    before.rate(new CommissionRateSet("r1", "toys", 900, january), january.toEpochMilli());
    // A rate that came after the ledger had ordered things up to March applies from March.
    before.rate(
        new CommissionRateSet("r2", "toys", 1200, Instant.parse("2026-02-01T00:00:00Z")),
        march.toEpochMilli());
    meta.flush();

    Orders after = orders(new WriteBackStore<>(metaStore, Codec.bytes(), 0));

    assertThat(after.rateOf("toys", Instant.parse("2026-02-15T00:00:00Z"))).contains(Rate.bps(900));
    assertThat(after.rateOf("toys", march)).contains(Rate.bps(1200));
    assertThat(after.rateOf("books", march)).isEmpty();
  }
}
