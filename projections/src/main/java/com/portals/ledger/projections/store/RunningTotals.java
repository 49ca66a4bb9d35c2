package com.portals.ledger.projections.store;

import com.portals.ledger.avro.ledger.EntryKind;
import java.nio.ByteBuffer;
import java.util.EnumMap;
import java.util.Map;

/**
 * The figures finance's summary and reconciliation show, kept up to date by the read side as each
 * record arrives instead of summed over every affiliate on every request. Each task keeps its own
 * row in {@link ProjectionStores#TOTALS} (key {@code totals/<partition>}); an instance adds up the
 * rows of the tasks it holds, the API adds up the instances.
 *
 * <p>A row is a fixed sequence of longs, one per {@link Total}, then one per journal entry kind
 * (how many entries of each kind the task's affiliates have, {@link #kindIndex}). A row written
 * before a figure existed reads it as 0; {@link Total#INITIALIZED} tells a task whose row was built
 * from its stores (which happens once, at its first record, for stores that predate the row) from
 * one that was not.
 */
public final class RunningTotals {

  /** One figure of a row. */
  public enum Total {
    /** Affiliates with at least one journal entry. */
    AFFILIATES,
    JOURNAL_PENDING,
    JOURNAL_AWAITING,
    JOURNAL_BALANCE,
    JOURNAL_WITHDRAWN,
    JOURNAL_FEES,
    JOURNAL_ENTRIES,
    BALANCES_PENDING,
    BALANCES_AWAITING,
    BALANCES_BALANCE,
    BALANCES_WITHDRAWN,
    BALANCES_FEES,
    BALANCES_ENTRIES,
    /** Affiliates with a journal entry or a balance on {@code ledger.balances}. */
    RECONCILED_AFFILIATES,
    ACCEPTED_COUNT,
    ACCEPTED_AMOUNT,
    ACCEPTED_FEE,
    ACCEPTED_PAYOUT,
    PAID_COUNT,
    PAID_AMOUNT,
    PAID_FEE,
    PAID_PAYOUT,
    FAILED_COUNT,
    FAILED_AMOUNT,
    FAILED_FEE,
    FAILED_PAYOUT,
    REJECTED_COUNT,
    REJECTED_AMOUNT,
    REJECTED_FEE,
    REJECTED_PAYOUT,
    UNATTRIBUTED_ORDERS,
    UNATTRIBUTED_AMOUNT,
    /** Findings of the reconciliation's checks ({@link ProjectionStores#DIFFERENCES}). */
    DIFFERENCES,
    /**
     * The {@link #VERSION} of the row's layout once it holds everything of the task's stores; a row
     * of an older layout (or none) is built again from them.
     */
    INITIALIZED
  }

  /**
   * The layout of a row: 2 added the journal entries by kind, 3 the withdrawal sums per affiliate
   * ({@link ProjectionStores#WITHDRAWN}) and one key per affiliate's account findings.
   */
  public static final long VERSION = 3;

  private static final Total[] TOTALS = Total.values();
  private static final EntryKind[] KINDS = EntryKind.values();

  /** Where the count of journal entries of {@code kind} sits in a row. */
  public static int kindIndex(EntryKind kind) {
    return TOTALS.length + kind.ordinal();
  }

  /** The journal entries of a row, by kind (kinds without an entry left out). */
  public static Map<EntryKind, Long> entriesByKind(long[] row) {
    Map<EntryKind, Long> counts = new EnumMap<>(EntryKind.class);
    for (EntryKind kind : KINDS) {
      if (row[kindIndex(kind)] != 0) {
        counts.put(kind, row[kindIndex(kind)]);
      }
    }
    return counts;
  }

  private RunningTotals() {}

  /** The row's key for the task of {@code partition}. */
  public static String key(int partition) {
    return "totals/" + partition;
  }

  /** A row with every figure 0. */
  public static long[] empty() {
    return new long[TOTALS.length + KINDS.length];
  }

  /** The stored form of a row. */
  public static byte[] encode(long[] row) {
    ByteBuffer bytes = ByteBuffer.allocate(Long.BYTES * row.length);
    for (long value : row) {
      bytes.putLong(value);
    }
    return bytes.array();
  }

  /** A stored row (figures it does not hold are 0); an empty row for null. */
  public static long[] decode(byte[] stored) {
    return decode(stored, TOTALS.length + KINDS.length);
  }

  /** Stored longs as an array of {@code length} (0 where it holds none). */
  public static long[] decode(byte[] stored, int length) {
    long[] row = new long[length];
    if (stored != null) {
      ByteBuffer bytes = ByteBuffer.wrap(stored);
      for (int i = 0; i < row.length && bytes.remaining() >= Long.BYTES; i++) {
        row[i] = bytes.getLong();
      }
    }
    return row;
  }

  /** Two rows added up. */
  public static long[] plus(long[] a, long[] b) {
    long[] sum = empty();
    for (int i = 0; i < sum.length; i++) {
      sum[i] = Math.addExact(a[i], b[i]);
    }
    return sum;
  }
}
