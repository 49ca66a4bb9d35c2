package com.portals.ledger.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.portals.ledger.app.bench.Workload.Kind;
import org.junit.jupiter.api.Test;

class ExpectationsTest {

  private static final String PREFIX = "bench-1-";

  private static BenchEvent event(Kind kind, long number, long order) {
    return new BenchEvent(PREFIX, kind, number, 1000 + number, 0, order, 0, 0, 0);
  }

  /** A click (1), order 0 placed (2) and completed (4), order 1 placed (3), a withdrawal (5). */
  private static Expectations expectations() {
    Expectations expectations = new Expectations(PREFIX);
    expectations.expect(event(Kind.CLICK, 1, -1));
    expectations.expect(event(Kind.ORDER_PLACED, 2, 0));
    expectations.expect(event(Kind.ORDER_PLACED, 3, 1));
    expectations.expect(event(Kind.ORDER_COMPLETED, 4, 0));
    expectations.expect(event(Kind.WITHDRAWAL_REQUESTED, 5, -1));
    return expectations;
  }

  @Test
  void shouldOweAnOutputForEveryOrderEventAndWithdrawalButNotForClicks() {
    Expectations expectations = expectations();

    assertThat(expectations.expected()).isEqualTo(4);
    assertThat(expectations.outstanding()).isEqualTo(4);
    assertThat(expectations.owedBetween(1, 3)).isEqualTo(1);
    assertThat(expectations.owedBetween(1, 6)).isEqualTo(4);
    assertThat(expectations.someAwaited(2))
        .containsExactly("bench-1-e000000002", "bench-1-e000000003");
  }

  @Test
  void shouldAccountForAnEventByItsFirstOutputOnly() {
    Expectations expectations = expectations();

    assertThat(expectations.accountFor("bench-1-e000000004", 7_000)).isEqualTo(4);
    assertThat(expectations.accountFor("bench-1-e000000004", 8_000)).isEqualTo(-1);
    assertThat(expectations.accountFor("bench-1-e000000001", 9_000)).as("a click").isEqualTo(-1);
    assertThat(expectations.accountFor("bench-1-live-e000000002", 9_000)).isEqualTo(-1);
    assertThat(expectations.accountFor("release:bench-1-o0", 9_000)).isEqualTo(-1);
    assertThat(expectations.accountFor("bench-1-e000000005", 6_000)).isEqualTo(5);

    assertThat(expectations.accounted()).isEqualTo(2);
    assertThat(expectations.firstArrival()).isEqualTo(7_000);
    assertThat(expectations.lastArrival()).isEqualTo(7_000);
    assertThat(expectations.anyAwaited(4, 6)).isFalse();
    assertThat(expectations.anyAwaited(1, 6)).isTrue();
    assertThat(expectations.awaitedBetween(1, 6)).isEqualTo(2);
  }

  @Test
  void shouldAccountForTheEventsOfAnOrderWithoutCommissionAsWrong() {
    Expectations expectations = expectations();
    expectations.accountFor("bench-1-e000000002", 1_000);

    expectations.withoutCommission("bench-1-o0", 2_000);
    expectations.withoutCommission("bench-1-o0", 3_000);
    expectations.withoutCommission("bench-1-o99", 3_000);

    assertThat(expectations.unattributedOrders()).isEqualTo(1);
    assertThat(expectations.withoutCommission()).as("its completion only").isEqualTo(1);
    assertThat(expectations.outstanding()).isEqualTo(2);
    assertThat(expectations.someAwaited(5))
        .containsExactly("bench-1-e000000003", "bench-1-e000000005 (withdrawal)");
  }

  @Test
  void shouldAccountForARejectedEventAsWrong() {
    Expectations expectations = expectations();

    expectations.rejected("bench-1-e000000003", 1_000);
    expectations.rejected("bench-1-e000000001", 1_000);

    assertThat(expectations.rejected()).isEqualTo(1);
    assertThat(expectations.outstanding()).isEqualTo(3);
  }

  @Test
  void shouldReadOnlyNumbersAfterThePrefix() {
    assertThat(Expectations.parseAfter("p-e", "p-e000000042")).isEqualTo(42);
    assertThat(Expectations.parseAfter("p-e", "p-e")).isEqualTo(-1);
    assertThat(Expectations.parseAfter("p-e", "p-ex1")).isEqualTo(-1);
    assertThat(Expectations.parseAfter("p-e", "q-e1")).isEqualTo(-1);
    assertThat(Expectations.parseAfter("p-e", null)).isEqualTo(-1);
  }
}
