package com.portals.ledger.app.audit;

import com.portals.ledger.avro.internal.AccountState;
import com.portals.ledger.avro.internal.CycleAmount;
import com.portals.ledger.avro.ledger.Balance;
import com.portals.ledger.avro.ledger.JournalEntry;
import com.portals.ledger.avro.ledger.JournalLeg;
import com.portals.ledger.projections.store.JournalFold;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Compares a live ledger with its replay and checks the live ledger on its own:
 *
 * <ul>
 *   <li>every live entry's legs sum to zero, and no entry id appears twice;
 *   <li>the live journal equals the replayed one, entry by entry, for every entry effective before
 *       the replay's watermark (the ledger's time when the replay started: later entries depend on
 *       ticks the replay did not read);
 *   <li>each live balance equals the sum of its journal's legs (withdrawn and fees from the
 *       withdrawal entries);
 *   <li>every withdrawal put into a payout batch before the watermark is in the same batch in the
 *       replay ({@link #payoutBatches}).
 * </ul>
 *
 * Every finding names the affiliate, the entry and what was expected and found.
 */
public final class Verifier {

  /** One thing that differs. */
  public record Difference(
      String affiliateId, String entryId, String problem, String expected, String found) {
    @Override
    public String toString() {
      return affiliateId
          + "  "
          + entryId
          + "  "
          + problem
          + (expected == null && found == null
              ? ""
              : "\n    expected: " + expected + "\n    found:    " + found);
    }
  }

  /** What the comparison found. */
  /**
   * @param batched withdrawals in a payout batch whose batch was compared (live or replayed)
   */
  public record Report(
      List<Difference> differences, int compared, int liveEntries, int balances, int batched) {
    public boolean identical() {
      return differences.isEmpty();
    }
  }

  private Verifier() {}

  /**
   * @param replayed the replay's journal
   * @param live the live journal, in the order of its topic's partitions
   * @param balances the latest live balance of every affiliate
   * @param watermark entries effective before it are compared; null compares them all
   */
  public static Report verify(
      List<JournalEntry> replayed,
      List<JournalEntry> live,
      Map<String, Balance> balances,
      Instant watermark) {
    List<Difference> differences = new ArrayList<>();
    Map<String, JournalEntry> liveById = new LinkedHashMap<>();
    for (JournalEntry entry : live) {
      long sum = entry.getLegs().stream().mapToLong(JournalLeg::getAmountCents).sum();
      if (sum != 0) {
        differences.add(
            new Difference(
                entry.getAffiliateId(),
                entry.getEntryId(),
                "legs sum to " + sum + ", not 0",
                null,
                null));
      }
      JournalEntry first = liveById.putIfAbsent(entry.getEntryId(), entry);
      if (first != null) {
        differences.add(
            new Difference(
                entry.getAffiliateId(),
                entry.getEntryId(),
                "appears more than once in the live journal",
                JournalDigest.canonical(first),
                JournalDigest.canonical(entry)));
      }
    }
    Map<String, JournalEntry> replayById = new LinkedHashMap<>();
    for (JournalEntry entry : replayed) {
      if (compared(entry, watermark)) {
        replayById.put(entry.getEntryId(), entry);
      }
    }
    Set<String> ids = new TreeSet<>(replayById.keySet());
    liveById.values().stream()
        .filter(e -> compared(e, watermark))
        .forEach(e -> ids.add(e.getEntryId()));
    for (String id : ids) {
      JournalEntry expected = replayById.get(id);
      JournalEntry found = liveById.get(id);
      if (found == null) {
        differences.add(
            new Difference(
                expected.getAffiliateId(),
                id,
                "missing from the live journal",
                JournalDigest.canonical(expected),
                "(none)"));
      } else if (expected == null) {
        if (compared(found, watermark)) {
          differences.add(
              new Difference(
                  found.getAffiliateId(),
                  id,
                  "not in the replayed journal",
                  "(none)",
                  JournalDigest.canonical(found)));
        }
      } else if (!expected.equals(found)) {
        differences.add(
            new Difference(
                found.getAffiliateId(),
                id,
                "differs",
                JournalDigest.canonical(expected),
                JournalDigest.canonical(found)));
      }
    }
    differences.addAll(balancesAgainstJournal(live, balances));
    return new Report(differences, replayById.size(), live.size(), balances.size(), 0);
  }

  /**
   * The payout batches of the replay against the live ones: each withdrawal put into a batch before
   * the watermark is in the same batch in both ("affiliate withdrawal" to batch id).
   */
  public static List<Difference> payoutBatches(
      SortedMap<String, String> replayed, SortedMap<String, String> live) {
    List<Difference> differences = new ArrayList<>();
    SortedSet<String> withdrawals = new TreeSet<>(replayed.keySet());
    withdrawals.addAll(live.keySet());
    for (String withdrawal : withdrawals) {
      String expected = replayed.get(withdrawal);
      String found = live.get(withdrawal);
      if (!Objects.equals(expected, found)) {
        String[] affiliateAndId = withdrawal.split(" ", 2);
        differences.add(
            new Difference(
                affiliateAndId[0],
                "(withdrawal " + affiliateAndId[1] + ")",
                "is not in the payout batch the replay puts it in",
                expected == null ? "(no batch)" : expected,
                found == null ? "(no batch)" : found));
      }
    }
    return differences;
  }

  private static boolean compared(JournalEntry entry, Instant watermark) {
    return watermark == null || entry.getEffectiveAt().isBefore(watermark);
  }

  /** Each balance's figures against the sums of its affiliate's journal legs. */
  static List<Difference> balancesAgainstJournal(
      List<JournalEntry> journal, Map<String, Balance> balances) {
    Map<String, AccountState> folded = new HashMap<>();
    for (JournalEntry entry : journal) {
      AccountState before = folded.get(entry.getAffiliateId());
      folded.put(
          entry.getAffiliateId(),
          JournalFold.fold(
              before == null ? JournalFold.empty(entry.getAffiliateId()) : before, entry));
    }
    List<Difference> differences = new ArrayList<>();
    Set<String> affiliates = new HashSet<>(folded.keySet());
    affiliates.addAll(balances.keySet());
    for (String affiliate : new TreeSet<>(affiliates)) {
      Balance balance = balances.get(affiliate);
      AccountState sums = folded.get(affiliate);
      if (balance == null) {
        differences.add(
            new Difference(
                affiliate,
                "(balance)",
                "has journal entries but no balance",
                "a balance",
                "(none)"));
        continue;
      }
      if (sums == null) {
        differences.add(
            new Difference(
                affiliate,
                "(balance)",
                "has a balance but no journal entry",
                "(none)",
                balance.toString()));
        continue;
      }
      String expected =
          figures(
              sums.getPendingCents(),
              awaiting(sums),
              sums.getBalanceCents(),
              sums.getWithdrawnCents(),
              sums.getFeesCents(),
              sums.getEntryCount());
      String found =
          figures(
              balance.getPendingCents(),
              balance.getAwaitingRefreshCents(),
              balance.getBalanceCents(),
              balance.getWithdrawnCents(),
              balance.getFeesCents(),
              balance.getEntryCount());
      if (!expected.equals(found)) {
        differences.add(
            new Difference(
                affiliate,
                "(balance)",
                "the balance is not the sum of its journal legs",
                expected,
                found));
      }
    }
    return differences;
  }

  private static long awaiting(AccountState state) {
    return state.getAwaiting().stream().mapToLong(CycleAmount::getCents).sum();
  }

  private static String figures(
      long pending, long awaiting, long balance, long withdrawn, long fees, long entries) {
    return "pending="
        + pending
        + " awaitingRefresh="
        + awaiting
        + " balance="
        + balance
        + " withdrawn="
        + withdrawn
        + " fees="
        + fees
        + " entries="
        + entries;
  }
}
