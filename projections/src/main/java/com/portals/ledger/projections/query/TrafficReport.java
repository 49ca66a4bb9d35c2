package com.portals.ledger.projections.query;

import com.portals.ledger.avro.events.ClickRecorded;
import com.portals.ledger.avro.ledger.OrderState;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Traffic by one tracking field (tracking id, af, cn, cv or dp): clicks, attributed orders,
 * conversion (orders per click) and the commission those orders earn now. Clicks and orders without
 * a value for the field are counted under {@code (none)}.
 */
public final class TrafficReport {

  /** The group of clicks and orders without a value for the field. */
  public static final String NONE = "(none)";

  /** One group. {@code conversion} is orders per click, four decimals (0 without clicks). */
  public record Row(
      String group, long clicks, long orders, BigDecimal conversion, long commissionCents) {}

  private final String field;
  private final Map<String, long[]> groups = new TreeMap<>();

  public TrafficReport(String field) {
    this.field = field;
  }

  /** The tracking field of {@code groupBy} (default trackingId). */
  public static String field(String groupBy) {
    String value = groupBy == null || groupBy.isBlank() ? "trackingId" : groupBy.strip();
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "trackingid" -> "trackingId";
      case "af", "cn", "cv", "dp" -> value.toLowerCase(Locale.ROOT);
      default ->
          throw new BadRequestException(
              "'groupBy'='" + groupBy + "' must be trackingId, af, cn, cv or dp");
    };
  }

  public void addClick(ClickRecorded click) {
    String value =
        switch (field) {
          case "trackingId" -> click.getTrackingId();
          case "af" -> click.getAf();
          case "cn" -> click.getCn();
          case "cv" -> click.getCv();
          default -> click.getDp();
        };
    group(value)[0]++;
  }

  public void addOrder(OrderState order) {
    long[] group = group(OrderRows.tag(order.getClick(), field));
    group[1]++;
    group[2] += OrderRows.commissionCents(order);
  }

  private long[] group(String value) {
    return groups.computeIfAbsent(value == null ? NONE : value, v -> new long[3]);
  }

  public List<Row> rows() {
    List<Row> rows = new ArrayList<>();
    groups.forEach(
        (group, counts) ->
            rows.add(
                new Row(
                    group,
                    counts[0],
                    counts[1],
                    counts[0] == 0
                        ? BigDecimal.ZERO.setScale(4)
                        : BigDecimal.valueOf(counts[1])
                            .divide(BigDecimal.valueOf(counts[0]), 4, RoundingMode.HALF_EVEN),
                    counts[2])));
    return rows;
  }
}
