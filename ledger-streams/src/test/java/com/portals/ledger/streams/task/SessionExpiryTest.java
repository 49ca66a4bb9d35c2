package com.portals.ledger.streams.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.junit.jupiter.api.Test;

class SessionExpiryTest {

  /** A window of 6,400 ms: buckets of 100 ms. */
  private final SessionExpiry expiry = new SessionExpiry(6_400);

  private static Bytes key(String session) {
    return Bytes.wrap(session.getBytes(StandardCharsets.UTF_8));
  }

  private List<String> expire(long horizon) {
    List<String> forgotten = new ArrayList<>();
    expiry.expire(horizon, k -> forgotten.add(new String(k.get(), StandardCharsets.UTF_8)));
    return forgotten;
  }

  @Test
  void forgetsTheSessionsOfTheBucketsThatEndedBeforeTheHorizon() {
    expiry.touch(key("a"), 10);
    expiry.touch(key("b"), 150);
    expiry.touch(key("c"), 250);

    assertThat(expire(99)).isEmpty();
    assertThat(expire(200)).containsExactlyInAnyOrder("a", "b");
    assertThat(expiry.size()).isEqualTo(1);
    assertThat(expire(300)).containsExactly("c");
    assertThat(expiry.size()).isZero();
  }

  @Test
  void aSessionClickedAgainExpiresFromItsLastClick() {
    expiry.touch(key("a"), 10);
    expiry.touch(key("a"), 450);

    assertThat(expire(400)).isEmpty();
    assertThat(expiry.size()).isEqualTo(1);
    assertThat(expire(500)).containsExactly("a");
  }

  @Test
  void theBucketTheHorizonFallsInWaitsForALaterSweep() {
    expiry.touch(key("a"), 110);
    expiry.touch(key("b"), 190);

    // The horizon is inside the bucket [100, 200): neither is forgotten yet, though "a" could be.
    assertThat(expire(150)).isEmpty();
    assertThat(expire(200)).containsExactlyInAnyOrder("a", "b");
  }

  @Test
  void aSessionMovedBackToAnEarlierBucketIsForgottenOnce() {
    expiry.touch(key("a"), 350);
    expiry.touch(key("a"), 120);

    assertThat(expire(200)).containsExactly("a");
    assertThat(expire(1_000)).isEmpty();
  }

  @Test
  void aSessionTouchedAfterItWasForgottenIsKeptAgain() {
    expiry.touch(key("a"), 10);
    assertThat(expire(100)).containsExactly("a");

    expiry.touch(key("a"), 700);
    assertThat(expire(600)).isEmpty();
    assertThat(expire(800)).containsExactly("a");
  }
}
