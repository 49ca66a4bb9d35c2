package com.portals.ledger.projections.query;

import com.portals.ledger.avro.ledger.Rejection;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;

/**
 * Rejections matching a query: how many in all, how many per reason code, and the first {@code
 * limit} of them in time order. Pages of different instances (holding different partitions of
 * {@code ledger.rejections}) add up.
 *
 * @param total rejections matching the query
 * @param counts matching rejections per reason code
 * @param rejections the first of them after the query's cursor, by time then source
 * @param more whether matching rejections follow those listed
 */
public record RejectionPage(
    long total, Map<String, Long> counts, List<Row> rejections, boolean more) {

  public static final int DEFAULT_LIMIT = 100;
  public static final int MAX_LIMIT = 10_000;

  /**
   * One rejection as the API shows it: where the record came from, why it was not applied, its
   * original bytes (base64; the key also as text when it is UTF-8).
   *
   * @param at the rejection's record timestamp: the event's time, or the input record's
   */
  public record Row(
      String at,
      String sourceTopic,
      int sourcePartition,
      long sourceOffset,
      String reasonCode,
      String message,
      String eventId,
      String eventTime,
      String originalKey,
      String originalKeyBase64,
      String originalValueBase64) {

    static final Comparator<Row> ORDER =
        Comparator.comparing((Row row) -> Instant.parse(row.at()))
            .thenComparing(Row::sourceTopic)
            .thenComparingInt(Row::sourcePartition)
            .thenComparingLong(Row::sourceOffset)
            .thenComparing(Row::reasonCode);

    /** The row's place in {@link #ORDER}, as a page's cursor names it. */
    public String position() {
      return String.join(
          "\n", at, sourceTopic, "" + sourcePartition, "" + sourceOffset, reasonCode);
    }

    /** A row standing for a {@link #position()} (the fields that order rows, the rest null). */
    public static Row at(String position) {
      String[] parts = position.split("\n", -1);
      try {
        Instant.parse(parts[0]);
        return place(
            parts[0], parts[1], Integer.parseInt(parts[2]), Long.parseLong(parts[3]), parts[4]);
      } catch (RuntimeException e) {
        throw BadRequestException.invalidCursor();
      }
    }

    /** A row standing for a place in {@link #ORDER}: the fields that order rows, the rest null. */
    static Row place(String at, String topic, int partition, long offset, String reasonCode) {
      return new Row(at, topic, partition, offset, reasonCode, null, null, null, null, null, null);
    }

    static Row of(Instant at, Rejection r) {
      return new Row(
          at.toString(),
          r.getSourceTopic(),
          r.getSourcePartition(),
          r.getSourceOffset(),
          r.getReasonCode(),
          r.getMessage(),
          r.getEventId(),
          r.getEventTime() == null ? null : r.getEventTime().toString(),
          utf8(r.getOriginalKey()),
          base64(r.getOriginalKey()),
          base64(r.getOriginalValue()));
    }

    private static String base64(ByteBuffer bytes) {
      return bytes == null ? null : Base64.getEncoder().encodeToString(array(bytes));
    }

    private static String utf8(ByteBuffer bytes) {
      if (bytes == null) {
        return null;
      }
      try {
        return StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(bytes.duplicate())
            .toString();
      } catch (CharacterCodingException e) {
        return null;
      }
    }

    private static byte[] array(ByteBuffer bytes) {
      ByteBuffer copy = bytes.duplicate();
      byte[] array = new byte[copy.remaining()];
      copy.get(array);
      return array;
    }
  }

  /**
   * What to list.
   *
   * @param period on the rejection's time
   * @param reasonCode exact reason code, or null for any
   * @param sourceTopic exact source topic, or null for any
   * @param limit how many rows at most
   * @param after list the rows after this one only (null: from the first)
   */
  public record Query(Period period, String reasonCode, String sourceTopic, int limit, Row after) {

    /** The first page of a query. */
    public Query(Period period, String reasonCode, String sourceTopic, int limit) {
      this(period, reasonCode, sourceTopic, limit, null);
    }

    public static Query parse(
        String from, String to, String reasonCode, String sourceTopic, String limit) {
      return parse(from, to, reasonCode, sourceTopic, limit, null);
    }

    /** A query whose rows start after {@code after}, a row's {@link Row#position()}. */
    public static Query parse(
        String from, String to, String reasonCode, String sourceTopic, String limit, String after) {
      int rows = Limits.parse(limit, DEFAULT_LIMIT, MAX_LIMIT);
      return new Query(
          Period.parse(from, to),
          blankToNull(reasonCode),
          blankToNull(sourceTopic),
          rows,
          after == null ? null : Row.at(after));
    }

    boolean matches(Rejection r) {
      return (reasonCode == null || reasonCode.equals(r.getReasonCode()))
          && (sourceTopic == null || sourceTopic.equals(r.getSourceTopic()));
    }

    private static String blankToNull(String value) {
      return value == null || value.isBlank() ? null : value.strip();
    }
  }

  /** Two instances' pages as one, keeping the first {@code limit} rows. */
  public RejectionPage plus(RejectionPage o, int limit) {
    Map<String, Long> all = new TreeMap<>(counts);
    o.counts.forEach((code, n) -> all.merge(code, n, Long::sum));
    List<Row> rows = new ArrayList<>(rejections);
    rows.addAll(o.rejections);
    rows.sort(Row.ORDER);
    return new RejectionPage(
        total + o.total,
        Collections.unmodifiableMap(all),
        List.copyOf(rows.subList(0, Math.min(limit, rows.size()))),
        more || o.more || rows.size() > limit);
  }

  /**
   * Collects one instance's page: counts every match, keeps the first {@code limit} rows after the
   * cursor in {@link Row#ORDER} (whatever order the store hands them in: its keys order topics by
   * length first).
   */
  static final class Builder {
    private final Query query;
    private long total;
    private final Map<String, Long> counts = new TreeMap<>();
    // The head is the row that would be cut first.
    private final PriorityQueue<Row> rows;
    private boolean more;

    Builder(Query query) {
      this.query = query;
      this.rows = new PriorityQueue<>(Row.ORDER.reversed());
    }

    void add(Instant at, Rejection rejection) {
      if (!query.matches(rejection)) {
        return;
      }
      total++;
      counts.merge(rejection.getReasonCode(), 1L, Long::sum);
      Row place =
          Row.place(
              at.toString(),
              rejection.getSourceTopic(),
              rejection.getSourcePartition(),
              rejection.getSourceOffset(),
              rejection.getReasonCode());
      if (query.after() != null && Row.ORDER.compare(place, query.after()) <= 0) {
        return;
      }
      if (rows.size() == query.limit()) {
        more = true;
        if (Row.ORDER.compare(place, rows.peek()) >= 0) {
          return;
        }
        rows.poll();
      }
      rows.add(Row.of(at, rejection));
    }

    RejectionPage build() {
      List<Row> sorted = new ArrayList<>(rows);
      sorted.sort(Row.ORDER);
      return new RejectionPage(
          total, Collections.unmodifiableMap(new TreeMap<>(counts)), List.copyOf(sorted), more);
    }
  }
}
