package com.portals.ledger.streams.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.junit.jupiter.api.Test;

/** When a stream thread commits at once instead of at the end of the commit interval. */
class ColocationTest {

  private final Colocation group = Colocation.of("handover-" + UUID.randomUUID(), 3);
  private final MockProcessorContext<Object, Object> context = new MockProcessorContext<>();

  @Test
  void shouldCommitOnceTheTasksAppliedATickThatCameAtALivePace() {
    group.enter(context);
    try {
      group.ticked(1_000, 50_000);
      group.drained(1_000);
      assertThat(context.committed()).as("the first tick: no pace known yet").isFalse();

      group.ticked(1_100, 50_100); // 100 ms of ledger time in 100 ms
      group.drained(1_050);
      assertThat(context.committed()).as("not yet applied").isFalse();
      group.drained(1_100);
      assertThat(context.committed()).isTrue();

      context.resetCommit();
      group.drained(1_100);
      assertThat(context.committed()).as("once per tick").isFalse();
    } finally {
      group.exit();
    }
  }

  @Test
  void shouldLeaveCommitsToTheIntervalWhileCatchingUp() {
    group.enter(context);
    try {
      group.ticked(0, 50_000);
      for (int hour = 1; hour <= 24; hour++) {
        group.ticked(hour * 3_600_000L, 50_000 + hour); // an hour of ledger time a millisecond
        group.drained(hour * 3_600_000L);
      }
      assertThat(context.committed()).isFalse();

      // A heartbeat after a quiet spell: ten minutes of ledger time in ten minutes.
      group.ticked(24 * 3_600_000L + 600_000, 50_024 + 600_000);
      group.drained(24 * 3_600_000L + 600_000);
      assertThat(context.committed()).isTrue();
    } finally {
      group.exit();
    }
  }
}
