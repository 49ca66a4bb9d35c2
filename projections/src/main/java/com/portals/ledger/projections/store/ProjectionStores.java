package com.portals.ledger.projections.store;

import com.portals.ledger.avro.ledger.JournalEntry;
import com.portals.ledger.avro.ledger.Rejection;
import com.portals.ledger.schemas.keys.Keys;
import java.time.Instant;
import org.apache.kafka.common.utils.Bytes;

/**
 * Names and keys of the read side's query stores. Every store is keyed by affiliate first, so all
 * of an affiliate's data lives in one task, on one instance, and a range scan over the affiliate's
 * prefix reads it in order.
 */
public final class ProjectionStores {

  /** Latest account figures per affiliate (key: affiliateId). */
  public static final String ACCOUNTS = "projection-accounts";

  /** Account figures after every journal entry (key: affiliate, effective time, entry number). */
  public static final String BALANCE_HISTORY = "projection-balance-history";

  /** Journal entries in the order they were written (key: affiliate, entry number). */
  public static final String JOURNAL = "projection-journal";

  /** Latest decision of every withdrawal (key: affiliate, withdrawal row). */
  public static final String WITHDRAWALS = "projection-withdrawals";

  /** Orders attributed to an affiliate (key: affiliate, order time, orderId); "" holds the rest. */
  public static final String ORDERS = "projection-orders";

  /** Clicks on an affiliate's links (key: affiliate, click time, clickId). */
  public static final String CLICKS = "projection-clicks";

  /**
   * The write side's latest balance per affiliate, as on {@code ledger.balances} (key:
   * affiliateId): what reconciliation holds the journal's figures against.
   */
  public static final String LEDGER_BALANCES = "projection-ledger-balances";

  /**
   * Records the ledger did not apply, as on {@code ledger.rejections} (key: rejection time, source
   * topic, partition, offset, reason code).
   */
  public static final String REJECTIONS = "projection-rejections";

  /** Finance's running totals, a row per task ({@link RunningTotals}). */
  public static final String TOTALS = "projection-totals";

  /**
   * What the reconciliation's checks find, kept as records arrive (key: affiliate and "a" for an
   * account's findings, or affiliate, "e" and the entry for an unbalanced entry; value: {@link
   * Findings}).
   */
  public static final String DIFFERENCES = "projection-differences";

  /**
   * Per affiliate, the amounts and fees of its withdrawals accepted or paid (two longs), for the
   * reconciliation's checks as records arrive.
   */
  public static final String WITHDRAWN = "projection-withdrawn";

  /** The ledger's time: the latest clock tick (key: {@value #NOW}). */
  public static final String CLOCK = "projection-clock";

  /**
   * The withdrawals a payout batch may take and those batches hold: the latest decision of every
   * accepted withdrawal with a bank account and no batch, under {@link #payableKey}, and of every
   * withdrawal in a batch, under {@link #batchedKey}. Both are found by a range scan, without
   * reading the withdrawals that are neither.
   */
  public static final String PAYOUTS = "projection-payouts";

  /** Per payout batch, this task's part of its summary ({@code BatchSummary}, by batch id). */
  public static final String PAYOUT_BATCHES = "projection-payout-batches";

  public static final String NOW = "now";

  /** Owner of orders that are attributed to no affiliate. */
  public static final String UNATTRIBUTED = "";

  private ProjectionStores() {}

  /** Every key of {@code affiliateId} starts with this. */
  public static Bytes prefix(String affiliateId) {
    return Keys.builder().string(affiliateId).build();
  }

  /** The first key of {@code affiliateId} at or after {@code at} in a time-keyed store. */
  public static Bytes at(String affiliateId, Instant at) {
    return Keys.builder().string(affiliateId).instant(at).build();
  }

  public static Bytes historyKey(String affiliateId, Instant effectiveAt, long entryNumber) {
    return Keys.builder().string(affiliateId).instant(effectiveAt).signedLong(entryNumber).build();
  }

  public static Bytes rejectionKey(Instant at, Rejection rejection) {
    return Keys.builder()
        .instant(at)
        .string(rejection.getSourceTopic())
        .signedLong(rejection.getSourcePartition())
        .signedLong(rejection.getSourceOffset())
        .tail(rejection.getReasonCode())
        .build();
  }

  /** The first rejection key at or after {@code at}. */
  public static Bytes rejectionsFrom(Instant at) {
    return Keys.builder().instant(at).build();
  }

  public static Bytes journalKey(String affiliateId, long entryNumber) {
    return Keys.builder().string(affiliateId).signedLong(entryNumber).build();
  }

  public static Bytes withdrawalKey(String affiliateId, String row) {
    return Keys.builder().string(affiliateId).tail(row).build();
  }

  public static Bytes orderKey(String affiliateId, Instant placedAt, String orderId) {
    return Keys.builder().string(affiliateId).instant(placedAt).tail(orderId).build();
  }

  public static Bytes clickKey(String affiliateId, Instant occurredAt, String clickId) {
    return Keys.builder().string(affiliateId).instant(occurredAt).tail(clickId).build();
  }

  /** Key of an accepted withdrawal in no batch yet, in {@link #PAYOUTS}. */
  public static Bytes payableKey(String affiliateId, String withdrawalId) {
    return Keys.builder().string(PAYABLE).string(affiliateId).tail(withdrawalId).build();
  }

  /** Every {@link #payableKey} starts with this. */
  public static Bytes payable() {
    return Keys.builder().string(PAYABLE).build();
  }

  /** Key of a withdrawal in batch {@code batchId}, in {@link #PAYOUTS}. */
  public static Bytes batchedKey(String batchId, String withdrawalId) {
    return Keys.builder().string(BATCHED).string(batchId).tail(withdrawalId).build();
  }

  /** Every {@link #batchedKey} of {@code batchId} starts with this; all of them, if null. */
  public static Bytes batched(String batchId) {
    Keys.Builder key = Keys.builder().string(BATCHED);
    return batchId == null ? key.build() : key.string(batchId).build();
  }

  private static final String PAYABLE = "p";
  private static final String BATCHED = "b";

  /** The key of an affiliate's account findings. */
  public static Bytes accountFindingsOf(String affiliateId) {
    return Keys.builder().string(affiliateId).string("a").build();
  }

  public static Bytes entryFindingKey(AffiliateChecks.Finding finding, JournalEntry entry) {
    return Keys.builder()
        .string(finding.affiliateId())
        .string("e")
        .tail(entry.getEntryId())
        .build();
  }
}
