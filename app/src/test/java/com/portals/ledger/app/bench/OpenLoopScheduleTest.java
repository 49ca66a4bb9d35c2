package com.portals.ledger.app.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OpenLoopScheduleTest {

  private static final long MS = 1_000_000;
  private static final long T0 = 5_000 * MS;

  /** 1,000 events a second: one due every millisecond from T0, numbered from 101. */
  private final OpenLoopSchedule schedule = new OpenLoopSchedule(T0, 1000, 101, 500);

  @Test
  void shouldDueEachEventAtItsPlaceInTheRate() {
    assertThat(schedule.dueAt(101)).isEqualTo(T0);
    assertThat(schedule.dueAt(102)).isEqualTo(T0 + MS);
    assertThat(schedule.dueAt(600)).isEqualTo(T0 + 499 * MS);
    assertThat(new OpenLoopSchedule(T0, 3, 1, 10).dueAt(2)).isEqualTo(T0 + 333_333_333);
  }

  @Test
  void shouldSayWhichEventsAreDue() {
    assertThat(schedule.dueBy(T0 - 1)).as("none before the start").isEqualTo(101);
    assertThat(schedule.dueBy(T0)).as("the first at the start").isEqualTo(102);
    assertThat(schedule.dueBy(T0 + MS - 1)).isEqualTo(102);
    assertThat(schedule.dueBy(T0 + MS)).isEqualTo(103);
    assertThat(schedule.dueBy(T0 + 10 * MS + 5)).isEqualTo(112);
    assertThat(schedule.dueBy(T0 + 3_600_000 * MS)).as("never past the end").isEqualTo(601);
    for (long now = T0 - MS; now < T0 + 600 * MS; now += 777_777) {
      long due = schedule.dueBy(now);
      assertThat(due == 101 || schedule.dueAt(due - 1) <= now).isTrue();
      assertThat(due == 601 || schedule.dueAt(due) > now).isTrue();
    }
  }

  @Test
  void shouldMeasureFromWhenAnEventWasDueNotWhenItWasSent() {
    // The publisher stalled for a second at T0: events 101 to 1100 all went out at T0 + 1 s and
    // came back 5 ms later. Measured from their sending, all would show 5 ms; from when they were
    // due, the first waited the whole second and the last hardly at all.
    OpenLoopSchedule stalled = new OpenLoopSchedule(T0, 1000, 101, 1000);
    long read = T0 + 1000 * MS + 5 * MS;

    assertThat(stalled.latency(101, read)).isEqualTo(1005 * MS);
    assertThat(stalled.latency(600, read)).isEqualTo(506 * MS);
    assertThat(stalled.latency(1100, read)).isEqualTo(6 * MS);
  }

  @Test
  void shouldKnowItsEvents() {
    assertThat(schedule.end()).isEqualTo(601);
    assertThat(schedule.contains(100)).isFalse();
    assertThat(schedule.contains(101)).isTrue();
    assertThat(schedule.contains(600)).isTrue();
    assertThat(schedule.contains(601)).isFalse();
  }

  @Test
  void shouldRefuseANonPositiveRate() {
    assertThatThrownBy(() -> new OpenLoopSchedule(T0, 0, 1, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new OpenLoopSchedule(T0, Double.NaN, 1, 1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
