package com.portals.ledger.streams.task;

import static org.assertj.core.api.Assertions.assertThat;

import com.portals.ledger.streams.state.Codec;
import com.portals.ledger.streams.state.TestStores;
import com.portals.ledger.streams.state.WriteBackStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.utils.Bytes;
import org.junit.jupiter.api.Test;

class ScheduleTest {

  private final WriteBackStore<byte[]> store =
      new WriteBackStore<>(TestStores.inMemory("schedule-test"), Codec.bytes(), 16);
  private final Schedule schedule = new Schedule(store);

  private List<String> drain(long limit, Runnable whileFirst) {
    List<String> ran = new ArrayList<>();
    try (Schedule.Window window = schedule.open(StoreKeys.ORDERS, limit)) {
      boolean first = true;
      for (Map.Entry<Bytes, byte[]> due = window.first(); due != null; due = window.first()) {
        window.take(due.getKey());
        ran.add(new String(due.getValue(), StandardCharsets.UTF_8));
        if (first) {
          whileFirst.run();
          first = false;
        }
      }
    }
    return ran;
  }

  private void add(long at, String id) {
    schedule.addNew(StoreKeys.ORDERS, at, Orders.RELEASE, id, id.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void shouldRunWhatIsDueInOrderOfInstantThenKindThenId() {
    add(30, "c");
    add(10, "b");
    add(10, "a");
    schedule.addNew(
        StoreKeys.ORDERS, 10, Orders.ORPHAN, "0", "orphan".getBytes(StandardCharsets.UTF_8));
    add(50, "late");

    assertThat(drain(30, () -> {})).containsExactly("a", "b", "orphan", "c");
    assertThat(drain(100, () -> {})).containsExactly("late");
    assertThat(drain(1000, () -> {})).isEmpty();
  }

  @Test
  void shouldRunAnActionScheduledDuringTheDrainIfItIsDueWithinIt() {
    add(10, "first");

    List<String> ran = drain(100, () -> add(60, "added within"));

    assertThat(ran).containsExactly("first", "added within");
  }

  @Test
  void shouldNotRunAnActionRemovedDuringTheDrain() {
    add(10, "first");
    add(20, "removed");

    List<String> ran =
        drain(100, () -> schedule.remove(StoreKeys.ORDERS, 20, Orders.RELEASE, "removed"));

    assertThat(ran).containsExactly("first");
  }

  @Test
  void shouldFindAnActionAddedBeforeTheFloorOfAnEarlierDrain() {
    add(10, "a");
    assertThat(drain(100, () -> {})).containsExactly("a");

    add(50, "back in time");

    assertThat(drain(200, () -> {})).containsExactly("back in time");
  }

  @Test
  void shouldReadThroughManyChunks() {
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      String id = String.format("%05d", i);
      add(i, id);
      expected.add(id);
    }
    store.flush();

    assertThat(drain(5000, () -> {})).containsExactlyElementsOf(expected);
  }
}
