package com.portals.ledger.domain.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AttributionTest {

  private static final Duration TTL = Duration.ofHours(24);
  private static final Instant T = Instant.parse("2026-01-10T10:00:00Z");

  private static Click click(String id, String affiliate, Instant at) {
    return new Click(id, affiliate, "s1", at, Tracking.NONE);
  }

  @Test
  void shouldAttributeAnOrderToTheLastClickOfItsSession() {
    List<Click> clicks = List.of(click("k1", "aff-1", T), click("k2", "aff-2", T.plusSeconds(60)));

    assertThat(Attribution.attribute(clicks, T.plusSeconds(300), TTL))
        .map(Click::affiliateId)
        .contains("aff-2");
  }

  @Test
  void shouldIgnoreClicksAfterTheOrder() {
    List<Click> clicks = List.of(click("k1", "aff-1", T), click("k2", "aff-2", T.plusSeconds(600)));

    assertThat(Attribution.attribute(clicks, T.plusSeconds(300), TTL))
        .map(Click::clickId)
        .contains("k1");
  }

  @Test
  void shouldNotAttributeWithoutAClick() {
    assertThat(Attribution.attribute(List.of(), T, TTL)).isEmpty();
  }

  @Test
  void shouldNotAttributeOnceTheSessionExpired() {
    List<Click> clicks = List.of(click("k1", "aff-1", T));

    assertThat(Attribution.attribute(clicks, T.plus(TTL), TTL)).isPresent();
    assertThat(Attribution.attribute(clicks, T.plus(TTL).plusMillis(1), TTL)).isEmpty();
  }

  @Test
  void shouldCountAClickAtTheOrdersInstant() {
    assertThat(Attribution.attribute(List.of(click("k1", "aff-1", T)), T, TTL)).isPresent();
  }

  @Test
  void shouldBreakTiesAtTheSameInstantByClickId() {
    List<Click> clicks = List.of(click("k9", "aff-9", T), click("k1", "aff-1", T));

    assertThat(Attribution.attribute(clicks, T, TTL)).map(Click::clickId).contains("k9");
  }
}
