package com.portals.ledger.projections.payout;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class BatchSummariesTest {

  private static BatchSummary part(String batch, long created, long n, long open, long paid) {
    return new BatchSummary(batch, created, n, n * 3000, n * 1500, open, paid, 0);
  }

  @Test
  void shouldAddEveryInstancesPartsOfABatchAndListTheNewestFirst() {
    BatchSummaries first =
        new BatchSummaries(List.of(part("PB-1", 1000, 2, 2, 0), part("PB-2", 2000, 1, 0, 1)));
    BatchSummaries second = new BatchSummaries(List.of(part("PB-1", 1000, 3, 1, 2)));

    List<BatchSummary> merged = first.plus(second).batches();

    assertThat(merged).extracting(BatchSummary::batchId).containsExactly("PB-2", "PB-1");
    BatchSummary pb1 = merged.get(1);
    assertThat(pb1.withdrawals()).isEqualTo(5);
    assertThat(pb1.payoutCents()).isEqualTo(7500);
    assertThat(pb1.open()).isEqualTo(3);
    assertThat(pb1.paid()).isEqualTo(2);
  }

  @Test
  void shouldKeepAStoredSummaryAsItWasAndDropABatchWithNothingLeft() {
    BatchSummary summary = part("PB-1", 1000, 4, 3, 1);

    assertThat(BatchSummary.decode("PB-1", summary.encode())).isEqualTo(summary);
    assertThat(
            new BatchSummaries(
                    List.of(summary, new BatchSummary("PB-1", 1000, -4, -12000, -6000, -3, -1, 0)))
                .batches())
        .isEmpty();
  }
}
