package com.portals.ledger.projections.payout;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The payout batches one or more instances hold parts of, one summary per batch, the newest first
 * (then by id); {@link #plus} adds another instance's parts.
 */
public record BatchSummaries(List<BatchSummary> batches) {

  public BatchSummaries {
    Map<String, BatchSummary> byBatch = new TreeMap<>();
    batches.forEach(part -> byBatch.merge(part.batchId(), part, BatchSummary::plus));
    List<BatchSummary> merged = new ArrayList<>(byBatch.values());
    merged.removeIf(batch -> batch.withdrawals() == 0);
    merged.sort(
        Comparator.comparingLong(BatchSummary::createdAtMillis)
            .reversed()
            .thenComparing(BatchSummary::batchId, Comparator.reverseOrder()));
    batches = List.copyOf(merged);
  }

  public BatchSummaries plus(BatchSummaries other) {
    List<BatchSummary> all = new ArrayList<>(batches);
    all.addAll(other.batches);
    return new BatchSummaries(all);
  }
}
