package com.portals.ledger.domain.rules;

import com.portals.ledger.domain.money.Money;
import com.portals.ledger.domain.money.Rate;
import com.portals.ledger.domain.time.SettlementCalendar;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Every tunable rule of the programme, with the defaults of docs/contract.md "Rules and their
 * defaults".
 *
 * @param sessionTtl how long a session lasts after its last click ({@code ledger.session.ttl})
 * @param defaultRate rate of a category with no rate set ({@code ledger.rate.default-bps}), never
 *     below 8%
 * @param releaseAfter how long after placement an open order is released (60 days)
 * @param releasePolicy what releasing does ({@code ledger.release.policy})
 * @param calendar settlement cycles ({@code ledger.settlement.epoch}, {@code
 *     ledger.settlement.cycle})
 * @param withdrawalMinimum the balance must exceed this ({@code ledger.withdrawal.minimum-cents})
 * @param withdrawalFee charged on every accepted withdrawal ({@code ledger.withdrawal.fee-cents})
 * @param orphanGrace how long a lifecycle event waits for its order before it is rejected ({@code
 *     ledger.orders.orphan-grace})
 */
public record LedgerRules(
    Duration sessionTtl,
    Rate defaultRate,
    Duration releaseAfter,
    ReleasePolicy releasePolicy,
    SettlementCalendar calendar,
    Money withdrawalMinimum,
    Money withdrawalFee,
    Duration orphanGrace) {

  public static final String SESSION_TTL = "ledger.session.ttl";
  public static final String DEFAULT_RATE = "ledger.rate.default-bps";
  public static final String RELEASE_POLICY = "ledger.release.policy";
  public static final String SETTLEMENT_EPOCH = "ledger.settlement.epoch";
  public static final String SETTLEMENT_CYCLE = "ledger.settlement.cycle";
  public static final String WITHDRAWAL_MINIMUM = "ledger.withdrawal.minimum-cents";
  public static final String WITHDRAWAL_FEE = "ledger.withdrawal.fee-cents";
  public static final String ORPHAN_GRACE = "ledger.orders.orphan-grace";

  public static final LedgerRules DEFAULTS =
      new LedgerRules(
          Duration.ofHours(24),
          Rate.MINIMUM,
          Duration.ofDays(60),
          ReleasePolicy.AUTO_COMPLETE,
          SettlementCalendar.DEFAULT,
          Money.cents(1600),
          Money.cents(1500),
          Duration.ofHours(24));

  public LedgerRules {
    Objects.requireNonNull(sessionTtl, "sessionTtl");
    Objects.requireNonNull(defaultRate, "defaultRate");
    Objects.requireNonNull(releaseAfter, "releaseAfter");
    Objects.requireNonNull(releasePolicy, "releasePolicy");
    Objects.requireNonNull(calendar, "calendar");
    Objects.requireNonNull(withdrawalMinimum, "withdrawalMinimum");
    Objects.requireNonNull(withdrawalFee, "withdrawalFee");
    Objects.requireNonNull(orphanGrace, "orphanGrace");
    if (sessionTtl.isNegative() || orphanGrace.isNegative() || releaseAfter.isNegative()) {
      throw new IllegalArgumentException("durations of the rules must not be negative");
    }
    if (defaultRate.isBelow(Rate.MINIMUM)) {
      throw new IllegalArgumentException(
          DEFAULT_RATE
              + " must be at least "
              + Rate.MINIMUM.basisPoints()
              + ", got "
              + defaultRate);
    }
    if (withdrawalFee.isNegative() || withdrawalMinimum.isNegative()) {
      throw new IllegalArgumentException("withdrawal minimum and fee must not be negative");
    }
  }

  /**
   * The rules with every {@code ledger.*} key of {@code settings} applied over the defaults.
   * Durations are ISO-8601 ({@code PT24H}, {@code P14D}) or {@code 24h}/{@code 14d}-style.
   *
   * @param durations parses a duration setting
   */
  public static LedgerRules from(
      Map<String, String> settings, Function<String, Duration> durations) {
    LedgerRules d = DEFAULTS;
    try {
      return new LedgerRules(
          get(settings, SESSION_TTL, durations, d.sessionTtl()),
          Rate.bps(
              Integer.parseInt(
                  settings.getOrDefault(
                      DEFAULT_RATE, String.valueOf(d.defaultRate().basisPoints())))),
          d.releaseAfter(),
          settings.containsKey(RELEASE_POLICY)
              ? ReleasePolicy.fromConfig(settings.get(RELEASE_POLICY))
              : d.releasePolicy(),
          new SettlementCalendar(
              settings.containsKey(SETTLEMENT_EPOCH)
                  ? Instant.parse(settings.get(SETTLEMENT_EPOCH))
                  : d.calendar().epoch(),
              get(settings, SETTLEMENT_CYCLE, durations, d.calendar().cycle())),
          Money.cents(
              Long.parseLong(
                  settings.getOrDefault(
                      WITHDRAWAL_MINIMUM, String.valueOf(d.withdrawalMinimum().cents())))),
          Money.cents(
              Long.parseLong(
                  settings.getOrDefault(
                      WITHDRAWAL_FEE, String.valueOf(d.withdrawalFee().cents())))),
          get(settings, ORPHAN_GRACE, durations, d.orphanGrace()));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("invalid ledger rule setting: " + e.getMessage(), e);
    }
  }

  private static Duration get(
      Map<String, String> settings,
      String key,
      Function<String, Duration> parse,
      Duration fallback) {
    String value = settings.get(key);
    return value == null ? fallback : parse.apply(value);
  }
}
