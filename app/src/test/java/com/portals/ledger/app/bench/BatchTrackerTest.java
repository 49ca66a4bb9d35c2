package com.portals.ledger.app.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BatchTrackerTest {

  private static final long PATIENCE = Duration.ofSeconds(10).toNanos();

  @Test
  void shouldCompleteABatchOnceSentAndEveryExpectedOutputArrived() {
    BatchTracker tracker = new BatchTracker(new int[] {1, 2, 0}, 1);

    tracker.arrived(1, 5);
    assertThat(tracker.completed()).isZero();
    tracker.sent(0, 1);
    tracker.arrived(0, 2);
    assertThat(tracker.completed()).as("batch 1 not sent yet").isEqualTo(1);
    tracker.sent(1, 3);
    assertThat(tracker.completed()).isEqualTo(1);
    tracker.arrived(1, 9);
    tracker.sent(2, 10);
    assertThat(tracker.completed()).isEqualTo(3);
    assertThat(tracker.outstanding()).isZero();
  }

  @Test
  void shouldMeasureOnlyFromTheFirstMeasuredBatch() {
    BatchTracker tracker = new BatchTracker(new int[] {1, 1, 1}, 1);
    tracker.sent(0, 100);
    tracker.sample(0, 150);
    tracker.arrived(0, 150);
    tracker.sent(1, 200);
    tracker.sent(2, 300);
    tracker.sample(2, 350);
    tracker.arrived(2, 350);
    tracker.sample(1, 400);
    tracker.arrived(1, 400);

    assertThat(tracker.latencies()).containsExactly(50, 200);
    assertThat(tracker.lastArrival()).isEqualTo(400);
  }

  @Test
  void shouldRefuseMoreOutputsThanExpected() {
    BatchTracker tracker = new BatchTracker(new int[] {1}, 0);
    tracker.arrived(0, 1);

    assertThatThrownBy(() -> tracker.arrived(0, 2)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void shouldKeepAtMostTheWindowOfMeasuredBatchesInFlight() throws Exception {
    int batches = 10;
    int inFlight = 3;
    int[] expected = new int[batches];
    Arrays.fill(expected, 1);
    BatchTracker tracker = new BatchTracker(expected, 1);
    // Reads each batch back a little after it was sent, so that the publisher has to wait.
    Thread reader =
        new Thread(
            () -> {
              try {
                for (int i = 0; i < batches; i++) {
                  while (!sent(tracker, i)) {
                    Thread.sleep(1);
                  }
                  Thread.sleep(5);
                  tracker.arrived(i, System.nanoTime());
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    reader.setDaemon(true);
    reader.start();
    List<Integer> onTheirWay = new ArrayList<>();

    tracker.drive(inFlight, PATIENCE, () -> {}, i -> onTheirWay.add(i + 1 - tracker.completed()));

    reader.join();
    assertThat(tracker.completed()).isEqualTo(batches);
    assertThat(onTheirWay.get(0)).as("the warm-up goes alone").isEqualTo(1);
    assertThat(onTheirWay.get(1)).as("and is complete before the first measured one").isEqualTo(1);
    assertThat(onTheirWay).allSatisfy(n -> assertThat(n).isBetween(1, inFlight));
    assertThat(onTheirWay).as("the window is used").contains(inFlight);
  }

  private static boolean sent(BatchTracker tracker, int batch) {
    synchronized (tracker) {
      return tracker.completed() > batch || tracker.sentAt(batch) != 0;
    }
  }

  @Test
  void shouldGiveUpWhenNothingArrivesForTooLong() {
    BatchTracker tracker = new BatchTracker(new int[] {1, 1}, 1);

    assertThatThrownBy(() -> tracker.drive(1, Duration.ofMillis(300).toNanos(), () -> {}, i -> {}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("without progress")
        .hasMessageContaining("batch 0 of 2 still misses 1");
  }

  @Test
  void shouldStopWaitingWhenTheCheckFails() {
    BatchTracker tracker = new BatchTracker(new int[] {1}, 0);

    assertThatThrownBy(
            () ->
                tracker.drive(
                    1,
                    PATIENCE,
                    () -> {
                      throw new IllegalStateException("the ledger stopped");
                    },
                    i -> {}))
        .hasMessage("the ledger stopped");
  }
}
