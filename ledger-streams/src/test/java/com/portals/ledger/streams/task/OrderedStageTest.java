package com.portals.ledger.streams.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.portals.ledger.avro.events.OrderCompleted;
import com.portals.ledger.avro.internal.Buffered;
import com.portals.ledger.avro.internal.Origin;
import com.portals.ledger.schemas.serde.LedgerSerdes;
import com.portals.ledger.streams.stage.Events;
import com.portals.ledger.streams.stage.Rejections;
import com.portals.ledger.streams.state.Codec;
import com.portals.ledger.streams.state.TestStores;
import com.portals.ledger.streams.state.WriteBackStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.utils.Bytes;
import org.junit.jupiter.api.Test;

/** An input whose arithmetic overflows is rejected alone; the stage goes on with the next one. */
class OrderedStageTest {

  private static final Instant AT = Instant.parse("2026-01-10T10:00:00Z");

  private final List<String> rejected = new ArrayList<>();
  private final List<String> applied = new ArrayList<>();

  private final Outbox recorder =
      new Outbox() {
        @Override
        public void reject(
            Origin origin, String code, String message, String eventId, Instant eventTime) {
          rejected.add(code + " " + eventId + " @" + origin.getOffset());
        }

        @Override
        public void output(Output output, String key, SpecificRecord value, long timestamp) {}

        @Override
        public void handover(int to, long orderAt, SpecificRecord body) {}
      };

  /** A stage whose rule overflows on the event "e-huge", as a sum beyond a long would. */
  private final class Stage extends OrderedStage {
    Stage() {
      super(
          StoreKeys.ORDERS,
          new WriteBackStore<>(
              TestStores.inMemory("buffer"),
              Codec.avro(LedgerSerdes.singleObject().internal(Buffered.class)),
              0),
          new Schedule(new WriteBackStore<>(TestStores.inMemory("schedule"), Codec.bytes(), 0)),
          recorder);
    }

    void give(String eventId, long offset, boolean withOrigin) {
      Origin origin =
          withOrigin ? Rejections.origin("portals.orders", 0, offset, null, new byte[] {1}) : null;
      enqueue(
          StoreKeys.input(StoreKeys.ORDERS, AT.toEpochMilli(), 1, eventId, null),
          new Buffered(origin, new OrderCompleted(eventId, "o1", AT), true, null));
    }

    @Override
    protected void apply(Buffered input, long orderAt) {
      String eventId = Events.idOf(input.getBody());
      if (eventId.equals("e-huge")) {
        applied.add("sum " + Math.addExact(Long.MAX_VALUE - 1, 2));
      }
      applied.add(eventId);
    }

    @Override
    protected void act(Bytes key, byte[] payload, long at, int kind) {}
  }

  @Test
  void shouldRejectAnEventWhoseArithmeticOverflowsAndApplyTheNext() {
    Stage stage = new Stage();
    stage.give("e-a", 1, true);
    stage.give("e-huge", 2, true);
    stage.give("e-z", 3, true);

    stage.drain(AT.toEpochMilli() + 1);

    assertThat(rejected).containsExactly(Rejections.AMOUNT_OUT_OF_RANGE + " e-huge @2");
    assertThat(applied).containsExactly("e-a", "e-z");
  }

  @Test
  void shouldStopOnAnOverflowOfWhatTheLedgerComputedItself() {
    Stage stage = new Stage();
    stage.give("e-huge", 2, false);

    assertThatThrownBy(() -> stage.drain(AT.toEpochMilli() + 1))
        .isInstanceOf(ArithmeticException.class);
    assertThat(rejected).isEmpty();
  }
}
