package com.portals.ledger.streams;

import com.portals.ledger.avro.ledger.Balance;
import com.portals.ledger.avro.ledger.Rejection;
import com.portals.ledger.avro.ledger.WithdrawalDecision;
import com.portals.ledger.domain.account.Account;
import com.portals.ledger.domain.account.Withdrawal;
import com.portals.ledger.domain.journal.JournalEntry;
import com.portals.ledger.streams.ReferenceModel.Rejected;
import com.portals.ledger.streams.mapping.Mapping;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The topology's output records in the shape of the reference model's result, to compare them. */
public final class Outputs {

  private Outputs() {}

  public static Map<String, List<JournalEntry>> journalByAffiliate(
      List<com.portals.ledger.avro.ledger.JournalEntry> journal) {
    return journal.stream()
        .map(Mapping::journalEntry)
        .collect(
            Collectors.groupingBy(
                JournalEntry::affiliateId, LinkedHashMap::new, Collectors.toList()));
  }

  public static Map<String, List<Withdrawal>> decisionsByAffiliate(
      List<WithdrawalDecision> decisions) {
    return decisions.stream()
        .map(Mapping::withdrawal)
        .collect(
            Collectors.groupingBy(
                Withdrawal::affiliateId, LinkedHashMap::new, Collectors.toList()));
  }

  public static List<Rejected> rejected(List<Rejection> rejections) {
    return rejections.stream().map(r -> new Rejected(r.getReasonCode(), r.getEventId())).toList();
  }

  /** Pending, awaiting refresh, balance, withdrawn, fees, entries. */
  public static List<Long> figures(Balance b) {
    return List.of(
        b.getPendingCents(),
        b.getAwaitingRefreshCents(),
        b.getBalanceCents(),
        b.getWithdrawnCents(),
        b.getFeesCents(),
        b.getEntryCount());
  }

  /** Pending, awaiting refresh, balance, withdrawn, fees, entries. */
  public static List<Long> figures(Account a) {
    return List.of(
        a.pending().cents(),
        a.awaitingRefresh().cents(),
        a.balance().cents(),
        a.withdrawn().cents(),
        a.fees().cents(),
        a.entryCount());
  }
}
