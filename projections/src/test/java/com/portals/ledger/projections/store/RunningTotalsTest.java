package com.portals.ledger.projections.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.portals.ledger.avro.events.ClockTick;
import com.portals.ledger.avro.internal.AccountState;
import com.portals.ledger.avro.ledger.Balance;
import com.portals.ledger.avro.ledger.EntryKind;
import com.portals.ledger.avro.ledger.JournalEntry;
import com.portals.ledger.avro.ledger.JournalLeg;
import com.portals.ledger.avro.ledger.WithdrawalDecision;
import com.portals.ledger.avro.ledger.WithdrawalStatus;
import com.portals.ledger.domain.journal.LedgerAccount;
import com.portals.ledger.projections.store.RunningTotals.Total;
import com.portals.ledger.schemas.serde.LedgerSerdes;
import com.portals.ledger.schemas.topics.Topic;
import com.portals.ledger.schemas.topics.TopicNamespace;
import com.portals.ledger.schemas.topics.Topics;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The read side's running totals and findings, on the real projection topology: kept record by
 * record, they equal what a rebuild from the stores gives, and the reconciliation's findings come
 * and go as the records that cause them do.
 */
class RunningTotalsTest {

  private static final LedgerSerdes SERDES = LedgerSerdes.singleObject();
  private static final Instant T0 = Instant.parse("2026-01-10T10:00:00Z");

  @TempDir Path stateDir;

  private TopologyTestDriver driver;
  private TestInputTopic<String, SpecificRecord> journal;
  private TestInputTopic<String, SpecificRecord> balances;
  private TestInputTopic<String, SpecificRecord> decisions;
  private TestInputTopic<String, SpecificRecord> clock;
  private int entries;

  @BeforeEach
  void startDriver() {
    Properties config = new Properties();
    config.put(StreamsConfig.APPLICATION_ID_CONFIG, "running-totals-test");
    config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1");
    config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    driver =
        new TopologyTestDriver(
            ProjectionTopology.build(
                new ProjectionTopology.Config(TopicNamespace.CONTRACT, 1, SERDES)),
            config);
    journal = input(Topics.JOURNAL);
    balances = input(Topics.BALANCES);
    decisions = input(Topics.WITHDRAWAL_DECISIONS);
    clock = input(Topics.CLOCK);
  }

  @AfterEach
  void closeDriver() {
    driver.close();
  }

  @SuppressWarnings("unchecked")
  private <V extends SpecificRecord> TestInputTopic<String, SpecificRecord> input(Topic<V> topic) {
    return (TestInputTopic<String, SpecificRecord>)
        (TestInputTopic<String, ?>)
            driver.createInputTopic(
                TopicNamespace.CONTRACT.name(topic),
                new StringSerializer(),
                topic.valueSerde(SERDES).serializer());
  }

  @Test
  void shouldKeepTotalsThatARebuildFromTheStoresGivesAgain() {
    Random random = new Random(7);
    Map<String, AccountState> folded = new HashMap<>();
    for (int i = 0; i < 400; i++) {
      String affiliate = "aff-" + random.nextInt(12);
      switch (random.nextInt(5)) {
        case 0, 1 -> {
          JournalEntry entry =
              entry(
                  affiliate,
                  random.nextBoolean() ? EntryKind.COMMISSION_ACCRUED : EntryKind.BALANCE_POSTED,
                  random.nextInt(5000) + 1,
                  random.nextInt(20) == 0 ? 3 : 0);
          journal.pipeInput(affiliate, entry, T0.plusSeconds(i));
          AccountState before = folded.get(affiliate);
          folded.put(
              affiliate,
              JournalFold.fold(before == null ? JournalFold.empty(affiliate) : before, entry));
        }
        case 2 -> {
          AccountState account = folded.get(affiliate);
          // Mostly what the journal says; sometimes a figure off, or a balance ahead of it.
          long drift = random.nextInt(6) == 0 ? 1 : 0;
          balances.pipeInput(
              affiliate,
              balance(
                  affiliate,
                  account == null ? 0 : account.getPendingCents() + drift,
                  account == null ? 1 : account.getEntryCount()),
              T0.plusSeconds(i));
        }
        case 3 ->
            decisions.pipeInput(
                affiliate,
                decision(
                    affiliate,
                    "w-" + random.nextInt(6),
                    WithdrawalStatus.values()[random.nextInt(4)],
                    random.nextInt(3000) + 1600),
                T0.plusSeconds(i));
        default -> clock.pipeInput("", new ClockTick(T0.plusSeconds(i), null), T0.plusSeconds(i));
      }
    }
    long[] running = totals();
    List<String> found = findings();
    assertThat(running[Total.AFFILIATES.ordinal()]).isPositive();
    assertThat(running[Total.DIFFERENCES.ordinal()]).isEqualTo(found.size()).isPositive();

    assertThat(
            RunningTotals.entriesByKind(running).values().stream().mapToLong(Long::longValue).sum())
        .isEqualTo(running[Total.JOURNAL_ENTRIES.ordinal()]);

    // A row of an older layout (here: none at all) is built again from the stores at the next
    // record.
    KeyValueStore<String, byte[]> rows = driver.getKeyValueStore(ProjectionStores.TOTALS);
    long[] older = running.clone();
    older[Total.INITIALIZED.ordinal()] = RunningTotals.VERSION - 1;
    older[Total.AFFILIATES.ordinal()] = -1;
    rows.put(RunningTotals.key(0), RunningTotals.encode(older));
    clock.pipeInput("", new ClockTick(T0.plusSeconds(10_000), null), T0.plusSeconds(10_000));

    assertThat(totals()).containsExactly(running);
    assertThat(findings()).containsExactlyInAnyOrderElementsOf(found);
  }

  @Test
  void shouldFindADisagreeingBalanceAndForgetItOnceItAgrees() {
    journal.pipeInput("aff-1", entry("aff-1", EntryKind.COMMISSION_ACCRUED, 1000, 0), T0);
    balances.pipeInput("aff-1", balance("aff-1", 999, 1), T0);

    assertThat(findings()).containsExactly("aff-1 BALANCE_pendingCents 1000 999");
    assertThat(totals()[Total.DIFFERENCES.ordinal()]).isEqualTo(1);
    assertThat(totals()[Total.JOURNAL_PENDING.ordinal()]).isEqualTo(1000);
    assertThat(totals()[Total.BALANCES_PENDING.ordinal()]).isEqualTo(999);

    balances.pipeInput("aff-1", balance("aff-1", 1000, 1), T0);

    assertThat(findings()).isEmpty();
    assertThat(totals()[Total.DIFFERENCES.ordinal()]).isZero();
    assertThat(totals()[Total.BALANCES_PENDING.ordinal()]).isEqualTo(1000);
    assertThat(totals()[Total.RECONCILED_AFFILIATES.ordinal()]).isEqualTo(1);
  }

  @Test
  void shouldKeepAnUnbalancedEntryAndCountWithdrawalsByTheirLatestDecision() {
    journal.pipeInput("aff-1", entry("aff-1", EntryKind.COMMISSION_ACCRUED, 1000, 5), T0);
    journal.pipeInput("aff-1", entry("aff-1", EntryKind.COMMISSION_ACCRUED, 500, 0), T0);
    balances.pipeInput("aff-1", balance("aff-1", 1495, 2), T0);
    decisions.pipeInput("aff-1", decision("aff-1", "w-1", WithdrawalStatus.ACCEPTED, 2000), T0);
    decisions.pipeInput("aff-1", decision("aff-1", "w-1", WithdrawalStatus.PAID, 2000), T0);

    assertThat(findings())
        .contains("aff-1 UNBALANCED_ENTRY 0 5")
        .contains("aff-1 WITHDRAWN 0 2000");
    long[] totals = totals();
    assertThat(totals[Total.ACCEPTED_COUNT.ordinal()]).isZero();
    assertThat(totals[Total.ACCEPTED_PAYOUT.ordinal()]).isZero();
    assertThat(totals[Total.PAID_COUNT.ordinal()]).isEqualTo(1);
    assertThat(totals[Total.PAID_AMOUNT.ordinal()]).isEqualTo(2000);
    assertThat(totals[Total.PAID_PAYOUT.ordinal()]).isEqualTo(500);
    assertThat(RunningTotals.entriesByKind(totals))
        .containsExactly(Map.entry(EntryKind.COMMISSION_ACCRUED, 2L));
  }

  private long[] totals() {
    long[] sum = RunningTotals.empty();
    KeyValueStore<String, byte[]> rows = driver.getKeyValueStore(ProjectionStores.TOTALS);
    try (KeyValueIterator<String, byte[]> it = rows.all()) {
      while (it.hasNext()) {
        sum = RunningTotals.plus(sum, RunningTotals.decode(it.next().value));
      }
    }
    return sum;
  }

  /** The findings kept, as "affiliate check expected found". */
  private List<String> findings() {
    List<String> found = new ArrayList<>();
    KeyValueStore<Bytes, String> store = driver.getKeyValueStore(ProjectionStores.DIFFERENCES);
    try (KeyValueIterator<Bytes, String> it = store.all()) {
      it.forEachRemaining(
          entry -> {
            for (AffiliateChecks.Finding f : Findings.decodeAll(entry.value)) {
              found.add(f.affiliateId() + " " + f.check() + " " + f.expected() + " " + f.found());
            }
          });
    }
    return found;
  }

  /**
   * An entry moving {@code cents} into the affiliate's pending or balance; {@code off} unbalances
   * it.
   */
  private JournalEntry entry(String affiliate, EntryKind kind, long cents, long off) {
    String to =
        kind == EntryKind.BALANCE_POSTED
            ? LedgerAccount.balance(affiliate)
            : LedgerAccount.pending(affiliate);
    return JournalEntry.newBuilder()
        .setEntryId("entry-" + entries++)
        .setAffiliateId(affiliate)
        .setKind(kind)
        .setLegs(
            List.of(
                new JournalLeg(LedgerAccount.COMMISSION_EXPENSE, cents),
                new JournalLeg(to, -cents + off)))
        .setCausingEventId("e")
        .setEffectiveAt(T0)
        .setSettlementCycle(null)
        .build();
  }

  private static Balance balance(String affiliate, long pending, long entryCount) {
    return Balance.newBuilder()
        .setAffiliateId(affiliate)
        .setCurrency("USD")
        .setPendingCents(pending)
        .setAwaitingRefreshCents(0)
        .setBalanceCents(0)
        .setWithdrawnCents(0)
        .setFeesCents(0)
        .setNextRefreshAt(null)
        .setAsOf(T0)
        .setLastEntryId(null)
        .setEntryCount(entryCount)
        .build();
  }

  private static WithdrawalDecision decision(
      String affiliate, String id, WithdrawalStatus status, long amount) {
    return WithdrawalDecision.newBuilder()
        .setWithdrawalId(id)
        .setAffiliateId(affiliate)
        .setCausingEventId("e-" + id + "-" + status)
        .setStatus(status)
        .setRequestedAmountCents(amount)
        .setAmountCents(amount)
        .setFeeCents(1500)
        .setPayoutCents(amount - 1500)
        .setReason(null)
        .setMessage(null)
        .setBankAccountMasked(null)
        .setDecidedAt(T0)
        .build();
  }
}
