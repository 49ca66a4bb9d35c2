package com.portals.ledger.projections.query;

import com.portals.ledger.projections.query.ReadModel.BalanceView;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.PriorityQueue;
import java.util.function.ToLongFunction;

/**
 * The affiliates first by balance or by what they have earned, at most {@code limit} of them: the
 * dashboard's league table. Each instance ranks the affiliates it holds; the parts add up by
 * merging and cutting again, which gives the same rows as one ranking of every affiliate.
 *
 * @param rows the affiliates, first the largest, ties by id
 */
public record AffiliateRanking(List<Row> rows) {

  public static final int DEFAULT_LIMIT = 20;
  public static final int MAX_LIMIT = 1_000;

  /**
   * One affiliate's account. {@code earnedCents} is every commission posted or on its way, net of
   * reversals: pending, awaiting refresh, balance, withdrawn and fees together (a withdrawal moves
   * money between them and leaves the sum alone).
   *
   * @param nextRefreshAt ISO-8601, when awaiting commission next reaches the balance
   */
  public record Row(
      String affiliateId,
      long pendingCents,
      long awaitingRefreshCents,
      long balanceCents,
      long withdrawnCents,
      long feesCents,
      long earnedCents,
      String nextRefreshAt) {

    static Row of(BalanceView view) {
      return new Row(
          view.affiliateId(),
          view.pendingCents(),
          view.awaitingRefreshCents(),
          view.balanceCents(),
          view.withdrawnCents(),
          view.feesCents(),
          Math.addExact(
              Math.addExact(
                  Math.addExact(view.pendingCents(), view.awaitingRefreshCents()),
                  Math.addExact(view.balanceCents(), view.withdrawnCents())),
              view.feesCents()),
          view.nextRefreshAt() == null ? null : view.nextRefreshAt().toString());
    }
  }

  /** What the affiliates are ranked by. */
  public enum Order {
    BALANCE(Row::balanceCents),
    EARNED(Row::earnedCents);

    private final Comparator<Row> first;

    Order(ToLongFunction<Row> key) {
      this.first = Comparator.comparingLong(key).reversed().thenComparing(Row::affiliateId);
    }

    /** Largest first, ties by affiliate id. */
    public Comparator<Row> comparator() {
      return first;
    }
  }

  /** A ranking asked for: by what, and how many rows. */
  public record Query(Order order, int limit) {

    /** {@code sort} is {@code balance} (default) or {@code earned}; {@code limit} 1 to 1,000. */
    public static Query parse(String sort, String limit) {
      Order order;
      if (sort == null || sort.isBlank()) {
        order = Order.BALANCE;
      } else {
        order =
            switch (sort.strip().toLowerCase(Locale.ROOT)) {
              case "balance" -> Order.BALANCE;
              case "earned" -> Order.EARNED;
              default ->
                  throw new BadRequestException("'sort'='" + sort + "' must be balance or earned");
            };
      }
      int rows = Limits.parse(limit, DEFAULT_LIMIT, MAX_LIMIT);
      return new Query(order, rows);
    }
  }

  /** This ranking and {@code other}'s rows together, cut again to the query's limit. */
  public AffiliateRanking plus(AffiliateRanking other, Query query) {
    Builder merged = new Builder(query);
    rows.forEach(merged::add);
    other.rows.forEach(merged::add);
    return merged.build();
  }

  /** Keeps the {@code limit} first rows of those it is given, never more in memory. */
  static final class Builder {
    private final Query query;
    private final PriorityQueue<Row> kept;

    Builder(Query query) {
      this.query = query;
      // The head is the row that would be cut first.
      this.kept = new PriorityQueue<>(query.order().comparator().reversed());
    }

    void add(BalanceView view) {
      add(Row.of(view));
    }

    void add(Row row) {
      kept.add(row);
      if (kept.size() > query.limit()) {
        kept.poll();
      }
    }

    AffiliateRanking build() {
      List<Row> rows = new ArrayList<>(kept);
      rows.sort(query.order().comparator());
      return new AffiliateRanking(List.copyOf(rows));
    }
  }
}
