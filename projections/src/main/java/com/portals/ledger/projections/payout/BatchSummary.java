package com.portals.ledger.projections.payout;

import com.portals.ledger.avro.ledger.WithdrawalDecision;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * A payout batch summed up: its withdrawals, amounts and payments by status. The read side keeps
 * one per batch and instance ({@code projection-payout-batches}), adjusted by every decision of a
 * batched withdrawal, so that the list of batches reads one row per batch, not every payment ever
 * made; {@link #plus} adds two instances' parts of a batch ({@link BatchSummaries}).
 *
 * @param createdAtMillis when the batch was made (its withdrawals' {@code batchedAt})
 */
public record BatchSummary(
    String batchId,
    long createdAtMillis,
    long withdrawals,
    long totalCents,
    long payoutCents,
    long open,
    long paid,
    long failed) {

  /** The part {@code decision} (a batched withdrawal's) adds, {@code sign} 1, or takes, -1. */
  public static BatchSummary of(WithdrawalDecision decision, int sign) {
    String status = decision.getStatus().name();
    return new BatchSummary(
        decision.getBatchId(),
        decision.getBatchedAt().toEpochMilli(),
        sign,
        sign * decision.getAmountCents(),
        sign * decision.getPayoutCents(),
        status.equals("ACCEPTED") ? sign : 0,
        status.equals("PAID") ? sign : 0,
        status.equals("FAILED") ? sign : 0);
  }

  /** The summary of batch {@code batchId} from its rows (every instance's). */
  public static BatchSummary of(String batchId, List<PayoutRow> rows) {
    BatchSummary sum = new BatchSummary(batchId, Long.MAX_VALUE, 0, 0, 0, 0, 0, 0);
    for (PayoutRow row : rows) {
      sum =
          sum.plus(
              new BatchSummary(
                  batchId,
                  row.batchedAtMillis() == null ? 0 : row.batchedAtMillis(),
                  1,
                  row.amountCents(),
                  row.payoutCents(),
                  row.status().equals("ACCEPTED") ? 1 : 0,
                  row.status().equals("PAID") ? 1 : 0,
                  row.status().equals("FAILED") ? 1 : 0));
    }
    return sum;
  }

  public BatchSummary plus(BatchSummary other) {
    return new BatchSummary(
        batchId,
        Math.min(createdAtMillis, other.createdAtMillis),
        withdrawals + other.withdrawals,
        Math.addExact(totalCents, other.totalCents),
        Math.addExact(payoutCents, other.payoutCents),
        open + other.open,
        paid + other.paid,
        failed + other.failed);
  }

  /** As stored: the figures, the batch id being the key. */
  public byte[] encode() {
    return ByteBuffer.allocate(7 * Long.BYTES)
        .putLong(createdAtMillis)
        .putLong(withdrawals)
        .putLong(totalCents)
        .putLong(payoutCents)
        .putLong(open)
        .putLong(paid)
        .putLong(failed)
        .array();
  }

  public static BatchSummary decode(String batchId, byte[] stored) {
    ByteBuffer in = ByteBuffer.wrap(stored);
    return new BatchSummary(
        batchId,
        in.getLong(),
        in.getLong(),
        in.getLong(),
        in.getLong(),
        in.getLong(),
        in.getLong(),
        in.getLong());
  }
}
