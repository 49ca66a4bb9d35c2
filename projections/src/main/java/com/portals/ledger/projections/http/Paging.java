package com.portals.ledger.projections.http;

import com.portals.ledger.projections.query.BadRequestException;
import com.portals.ledger.projections.query.Limits;
import com.portals.ledger.projections.query.ReadModel.Visitor;
import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.kafka.common.utils.Bytes;

/**
 * Cursor pagination of a list endpoint (docs/http-api.md "Pages"): {@code limit} rows from after
 * {@code cursor}, and a {@code Link: <...>; rel="next"} header (RFC 8288) naming the next page when
 * there is one. A cursor is the store key of the last row of the page before, so a page never
 * repeats or skips a row that existed when the first page was read: rows keep their keys, and a row
 * written since lands before the cursor (skipped, it was not there) or after it (read later).
 *
 * <p>A page is read twice: once, without writing, to find its last row and whether another follows
 * (the {@code Link} header goes out before the body); then streamed up to that row. Rows written
 * between the two reads after the last one wait for the next page; before it, they join this one.
 */
final class Paging {

  /** Rows of a JSON page when the request names no limit. */
  static final int DEFAULT_LIMIT = 1_000;

  /** The largest JSON page. */
  static final int MAX_LIMIT = 10_000;

  /** The largest CSV page (a CSV without {@code limit} is the whole list, streamed). */
  static final int MAX_CSV_LIMIT = 1_000_000;

  /** What a list is scanned with: its entries after a key, in key order, until told to stop. */
  interface Scan<V> {
    void scan(Bytes after, Visitor<V> visitor);
  }

  private final char list;
  private final Integer limit;
  private final Bytes after;

  private Paging(char list, Integer limit, Bytes after) {
    this.list = list;
    this.limit = limit;
    this.after = after;
  }

  /**
   * The page a request asks for. {@code list} tells the lists apart (a cursor of one is refused by
   * another); {@code prefix}, when given, is what every key of the list starts with. A CSV without
   * {@code limit} is the whole list.
   */
  static Paging of(Context ctx, char list, Bytes prefix, boolean csv) {
    Integer limit =
        Limits.parse(
            ctx.queryParam("limit"), csv ? null : DEFAULT_LIMIT, csv ? MAX_CSV_LIMIT : MAX_LIMIT);
    String cursor = ctx.queryParam("cursor");
    Bytes after = null;
    if (cursor != null && !cursor.isBlank()) {
      after = decode(cursor.strip(), list, prefix);
    }
    return new Paging(list, limit, after);
  }

  private static Bytes decode(String cursor, char list, Bytes prefix) {
    byte[] bytes;
    try {
      bytes = Base64.getUrlDecoder().decode(cursor);
    } catch (IllegalArgumentException e) {
      bytes = new byte[0];
    }
    Bytes key = bytes.length < 2 ? null : Bytes.wrap(Arrays.copyOfRange(bytes, 1, bytes.length));
    if (key == null
        || bytes[0] != (byte) list
        || (prefix != null && !startsWith(key.get(), prefix.get()))) {
      throw BadRequestException.invalidCursor();
    }
    return key;
  }

  private static boolean startsWith(byte[] key, byte[] prefix) {
    return key.length >= prefix.length
        && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
  }

  /**
   * The payload of the request's {@code cursor} for {@code list}, as {@link #next} wrote it; null
   * without one. A cursor of another list is a 400.
   */
  static byte[] cursor(Context ctx, char list) {
    String cursor = ctx.queryParam("cursor");
    return cursor == null || cursor.isBlank() ? null : decode(cursor.strip(), list, null).get();
  }

  /** Names the next page of {@code list} on {@code ctx}: it starts after {@code payload}. */
  static void next(Context ctx, char list, byte[] payload) {
    ctx.header("Link", link(ctx, encode(list, payload)));
  }

  /** The rows' keys start after this one (null: from the first). */
  Bytes after() {
    return after;
  }

  /**
   * Reads this page without writing it: the key of its last row if another row follows (then {@code
   * Link} names the next page on {@code ctx}), else empty. A page without a limit is the whole
   * list.
   */
  <V> Optional<Bytes> announce(Context ctx, Scan<V> scan, Predicate<V> matches) {
    if (limit == null) {
      return Optional.empty();
    }
    int[] seen = {0};
    Bytes[] last = {null};
    boolean[] more = {false};
    scan.scan(
        after,
        (key, value) -> {
          if (!matches.test(value)) {
            return true;
          }
          if (seen[0] == limit) {
            more[0] = true;
            return false;
          }
          seen[0]++;
          last[0] = key;
          return true;
        });
    if (!more[0]) {
      return Optional.empty();
    }
    ctx.header("Link", link(ctx, encode(last[0].get())));
    return Optional.of(last[0]);
  }

  /** Streams this page's rows to {@code sink}: after the cursor, up to {@code end} if given. */
  <V> void stream(Scan<V> scan, Predicate<V> matches, Optional<Bytes> end, Consumer<V> sink) {
    scan.scan(
        after,
        (key, value) -> {
          if (end.isPresent() && key.compareTo(end.get()) > 0) {
            return false;
          }
          if (matches.test(value)) {
            sink.accept(value);
          }
          return true;
        });
  }

  /**
   * This page of rows computed in memory, in order of their {@code key}s (a report of periods or
   * groups): the rows after the cursor, at most {@code limit}, and {@code Link} on {@code ctx} when
   * more follow.
   */
  <R> List<R> of(Context ctx, List<R> rows, Function<R, String> key) {
    List<R> page = new ArrayList<>();
    for (R row : rows) {
      Bytes rowKey = Bytes.wrap(key.apply(row).getBytes(StandardCharsets.UTF_8));
      if (after != null && rowKey.compareTo(after) <= 0) {
        continue;
      }
      if (limit != null && page.size() == limit) {
        ctx.header(
            "Link",
            link(
                ctx,
                encode(key.apply(page.get(page.size() - 1)).getBytes(StandardCharsets.UTF_8))));
        break;
      }
      page.add(row);
    }
    return page;
  }

  private String encode(byte[] key) {
    return encode(list, key);
  }

  private static String encode(char list, byte[] key) {
    ByteBuffer cursor = ByteBuffer.allocate(key.length + 1).put((byte) list).put(key);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(cursor.array());
  }

  /** The request's own path and query with {@code cursor} set: the next page, as RFC 8288 links. */
  private static String link(Context ctx, String cursor) {
    StringBuilder query = new StringBuilder();
    for (Map.Entry<String, List<String>> param : ctx.queryParamMap().entrySet()) {
      if (param.getKey().equals("cursor")) {
        continue;
      }
      for (String value : param.getValue()) {
        query.append(query.isEmpty() ? "" : "&").append(encoded(param.getKey()));
        query.append('=').append(encoded(value));
      }
    }
    query.append(query.isEmpty() ? "" : "&").append("cursor=").append(cursor);
    return "<" + ctx.path() + "?" + query + ">; rel=\"next\"";
  }

  private static String encoded(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }
}
