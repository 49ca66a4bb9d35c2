package com.portals.ledger.projections.payout;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Payout rows of one or more instances, each holding those of its partitions; {@link #plus} joins
 * two instances' parts. Rows are in a fixed order (batch, affiliate, withdrawal: none of which
 * changes when a payout is settled), so that a batch and its bank file come out the same from any
 * instance.
 */
public record PayoutRows(List<PayoutRow> rows) {

  static final Comparator<PayoutRow> ORDER =
      Comparator.comparing((PayoutRow r) -> r.batchId() == null ? "" : r.batchId())
          .thenComparing(PayoutRow::affiliateId)
          .thenComparing(PayoutRow::withdrawalId);

  public PayoutRows {
    List<PayoutRow> sorted = new ArrayList<>(rows);
    sorted.sort(ORDER);
    rows = List.copyOf(sorted);
  }

  public PayoutRows plus(PayoutRows other) {
    List<PayoutRow> all = new ArrayList<>(rows);
    all.addAll(other.rows);
    return new PayoutRows(all);
  }
}
