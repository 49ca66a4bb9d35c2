package com.portals.ledger.streams.task;

import com.portals.ledger.avro.internal.Buffered;
import com.portals.ledger.streams.stage.Events;
import com.portals.ledger.streams.stage.Rejections;
import com.portals.ledger.streams.state.WriteBackStore;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.utils.Bytes;

/**
 * A stage that applies its inputs in the order of their ordering instants, whatever order they
 * arrived in (DESIGN principle 3): inputs wait in the buffer store, keyed by (instant, priority,
 * id, where read), and a drain applies those before the stage's frontier together with the stage's
 * scheduled actions up to it, an action before the inputs of its own instant. Whether the frontier
 * moves in small steps (live) or in one leap (a replay), the same inputs and actions are applied in
 * the same order.
 *
 * <p>An input whose arithmetic would overflow (an amount beyond a long, which the bounds at intake
 * leave possible only through sums of many events) is rejected, alone, with {@link
 * Rejections#AMOUNT_OUT_OF_RANGE}: the domain computes an outcome before a stage writes anything,
 * so the input changes nothing, and a replay rejects it the same way.
 */
abstract class OrderedStage {

  private static final int FIRST_CHUNK = 16;
  private static final int CHUNK = 1024;

  private final byte stage;
  protected final WriteBackStore<Buffered> buffer;
  protected final Schedule schedule;
  protected final Outbox outbox;
  private Bytes floor;

  OrderedStage(byte stage, WriteBackStore<Buffered> buffer, Schedule schedule, Outbox outbox) {
    this.stage = stage;
    this.buffer = buffer;
    this.schedule = schedule;
    this.outbox = outbox;
    this.floor = StoreKeys.stage(stage);
  }

  void resetFloor() {
    floor = StoreKeys.stage(stage);
  }

  /** Buffers an input under {@code key} (never used before). */
  protected void enqueue(Bytes key, Buffered input) {
    if (key.compareTo(floor) < 0) {
      floor = key;
    }
    buffer.putNew(key, input);
  }

  /** Whether a buffered input can be applied now; a drain stops at the first that cannot. */
  protected boolean ready(Buffered input) {
    return true;
  }

  /** Applies one input, in order. */
  protected abstract void apply(Buffered input, long orderAt);

  /** Runs one due action. */
  protected abstract void act(Bytes key, byte[] payload, long at, int kind);

  /**
   * Applies the buffered inputs ordered before {@code limit} and the actions due at or before it;
   * returns {@code limit}, or the ordering instant of the first input that was not ready.
   */
  long drain(long limit) {
    Bytes inputsTo = StoreKeys.stageAt(stage, limit);
    try (Schedule.Window actions = schedule.open(stage, limit)) {
      // A small first chunk: a drain often stops at once (nothing due, or an order still waiting
      // for its attribution) and should not read ahead for nothing.
      int size = FIRST_CHUNK;
      List<WriteBackStore<Buffered>.Entry> chunk = buffer.list(floor, inputsTo, size);
      int next = 0;
      while (true) {
        if (next == chunk.size() && chunk.size() == size) {
          size = Math.min(CHUNK, size * 4);
          chunk = buffer.list(StoreKeys.successor(chunk.get(next - 1).key()), inputsTo, size);
          next = 0;
        }
        WriteBackStore<Buffered>.Entry input = next < chunk.size() ? chunk.get(next) : null;
        long inputAt = input == null ? 0L : StoreKeys.orderAtOf(input.key());
        Map.Entry<Bytes, byte[]> action = actions.first();
        if (action != null && (input == null || StoreKeys.actionAt(action.getKey()) <= inputAt)) {
          actions.take(action.getKey());
          act(
              action.getKey(),
              action.getValue(),
              StoreKeys.actionAt(action.getKey()),
              StoreKeys.actionKind(action.getKey()));
          continue;
        }
        if (input == null) {
          floor = inputsTo;
          return limit;
        }
        if (!ready(input.value())) {
          floor = input.key();
          return inputAt;
        }
        buffer.delete(input.key());
        next++;
        applyInRange(input.value(), inputAt);
      }
    }
  }

  private void applyInRange(Buffered input, long orderAt) {
    try {
      apply(input, orderAt);
    } catch (ArithmeticException e) {
      if (input.getOrigin() == null) {
        // a movement of commission the ledger computed itself: a sum beyond 2^63 cents in one
        // account. Not an event to reject; stop rather than lose the movement.
        throw e;
      }
      Object body = input.getBody();
      outbox.reject(
          input.getOrigin(),
          Rejections.AMOUNT_OUT_OF_RANGE,
          "applying this event would take an amount beyond what the ledger can hold ("
              + e.getMessage()
              + ")",
          Events.idOf(body),
          Events.timeOf(body));
    }
  }

  /** The key the last drain stopped at: the first input that was not ready, or the limit. */
  protected Bytes floor() {
    return floor;
  }
}
