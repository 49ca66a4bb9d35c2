package com.portals.ledger.streams.task;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FrontiersTest {

  @Test
  void shouldPromiseNothingUntilEveryTaskSpoke() {
    Frontiers frontiers = new Frontiers(0, 3);
    frontiers.setOwnIntake(100);
    frontiers.observe(1, 200, 150);

    assertThat(frontiers.intakeLow()).isEqualTo(Frontiers.NONE);

    frontiers.observe(2, 120, 90);
    assertThat(frontiers.intakeLow()).isEqualTo(100);
    assertThat(frontiers.ordersLow())
        .as("own orders frontier not set yet")
        .isEqualTo(Frontiers.NONE);
  }

  @Test
  void shouldOnlyMoveForward() {
    Frontiers frontiers = new Frontiers(1, 2);
    assertThat(frontiers.observe(0, 200, 100)).isTrue();
    assertThat(frontiers.observe(0, 150, 50)).isFalse();
    frontiers.setOwnIntake(300);
    frontiers.setOwnIntake(250);

    assertThat(frontiers.intake(0)).isEqualTo(200);
    assertThat(frontiers.ownIntake()).isEqualTo(300);
  }

  @Test
  void shouldIgnoreWhatATaskSaysOfItselfThroughOthersOrOfUnknownPartitions() {
    Frontiers frontiers = new Frontiers(0, 2);

    assertThat(frontiers.observe(0, 500, 500)).isFalse();
    assertThat(frontiers.observe(7, 500, 500)).isFalse();
    assertThat(frontiers.ownIntake()).isEqualTo(Frontiers.NONE);
  }

  @Test
  void shouldTellATaskOnlyWhatItHasNotBeenTold() {
    Frontiers frontiers = new Frontiers(0, 3);
    assertThat(frontiers.staleFor(1)).as("nothing to tell before the first tick").isFalse();

    frontiers.setOwnIntake(100);
    assertThat(frontiers.staleFor(0)).as("never itself").isFalse();
    assertThat(frontiers.staleFor(1)).isTrue();
    frontiers.told(1);
    assertThat(frontiers.staleFor(1)).isFalse();
    assertThat(frontiers.staleFor(2)).isTrue();

    frontiers.setOwnOrders(50);
    assertThat(frontiers.staleFor(1)).isTrue();
  }

  @Test
  void shouldComeBackFromItsEncoding() {
    Frontiers frontiers = new Frontiers(0, 2);
    frontiers.setOwnIntake(100);
    frontiers.setOwnOrders(90);
    frontiers.observe(1, 80, 70);

    Frontiers restored = new Frontiers(0, 2);
    restored.decode(frontiers.encode());

    assertThat(restored.intakeLow()).isEqualTo(80);
    assertThat(restored.ordersLow()).isEqualTo(70);
    assertThat(restored.staleFor(1)).as("after a restart, tell everyone again").isTrue();

    Frontiers otherCount = new Frontiers(0, 3);
    otherCount.decode(frontiers.encode());
    assertThat(otherCount.intakeLow())
        .as("partition count changed: start over")
        .isEqualTo(Frontiers.NONE);
  }
}
