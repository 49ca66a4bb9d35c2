package com.portals.ledger.app.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.portals.ledger.projections.query.FinanceSummary;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SimulationSummaryTest {

  @Test
  void shouldSayWhereTheMoneyIsInDollars() {
    FinanceSummary money =
        new FinanceSummary(
            300, 1_526_518_900, 4_716_073, 0, 3_196_485, 430_500, 85, 7, 202, 21, 1_171_452, 0, 0);

    assertThat(SimulationSummary.line(Instant.parse("2026-12-19T07:00:43.120Z"), 123_456, money))
        .isEqualTo(
            "ledger 2026-12-19T07:00:00Z, 123456 events: pending $15,265,189.00, awaiting refresh"
                + " $47,160.73, balances $0.00, withdrawn $31,964.85 (withdrawals: 202 paid, 85"
                + " under way, 21 failed, 7 refused)");
  }

  @Test
  void shouldShowANegativeBalanceWithItsSign() {
    FinanceSummary money = new FinanceSummary(1, 0, 0, -2_050, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    assertThat(SimulationSummary.line(Instant.EPOCH, 0, money)).contains("balances -$20.50");
  }
}
