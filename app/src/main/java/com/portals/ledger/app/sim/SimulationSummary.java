package com.portals.ledger.app.sim;

import com.portals.ledger.projections.query.FinanceSummary;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * The line {@code run --simulate} prints every few seconds: the ledger's time, how many events the
 * simulator has published, and where the programme's money is.
 */
public final class SimulationSummary {

  private SimulationSummary() {}

  /** {@code ledger 2026-12-19T07:00Z, 12345 events: pending $1,234.56, ...}. */
  public static String line(Instant ledgerTime, long events, FinanceSummary money) {
    return String.format(
        Locale.ROOT,
        "ledger %s, %d events: pending %s, awaiting refresh %s, balances %s, withdrawn %s"
            + " (withdrawals: %d paid, %d under way, %d failed, %d refused)",
        ledgerTime.truncatedTo(ChronoUnit.MINUTES),
        events,
        dollars(money.pendingCents()),
        dollars(money.awaitingRefreshCents()),
        dollars(money.balanceCents()),
        dollars(money.withdrawnCents()),
        money.withdrawalsPaid(),
        money.withdrawalsAccepted(),
        money.withdrawalsFailed(),
        money.withdrawalsRejected());
  }

  private static String dollars(long cents) {
    String sign = cents < 0 ? "-" : "";
    long magnitude = Math.abs(cents);
    return String.format(Locale.ROOT, "%s$%,d.%02d", sign, magnitude / 100, magnitude % 100);
  }
}
