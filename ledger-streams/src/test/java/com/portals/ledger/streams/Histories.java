package com.portals.ledger.streams;

import static com.portals.ledger.streams.Json.cancelled;
import static com.portals.ledger.streams.Json.click;
import static com.portals.ledger.streams.Json.completed;
import static com.portals.ledger.streams.Json.line;
import static com.portals.ledger.streams.Json.payoutCompleted;
import static com.portals.ledger.streams.Json.payoutFailed;
import static com.portals.ledger.streams.Json.placed;
import static com.portals.ledger.streams.Json.rate;
import static com.portals.ledger.streams.Json.refunded;
import static com.portals.ledger.streams.Json.withdrawal;

import com.portals.ledger.schemas.json.EventJson;
import com.portals.ledger.schemas.json.EventJson.Parsed;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Random event histories for property tests: several affiliates, sessions and categories; orders
 * completed, cancelled, refunded (some beyond what is left), left open past 60 days, or whose
 * events arrive before them; withdrawals (some above the balance, some with a bad IBAN, some
 * re-using an id) and payout results; rates (some below 8%); exact duplicates of any event.
 *
 * <p>The publish order is shuffled between ticks and events may be published long before their
 * time, but never after a tick that passed it: ticks are watermarks, and a history that broke that
 * promise would have no single right answer.
 */
public final class Histories {

  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  private static final String[] AFFILIATES = {"aff-1", "aff-2", "aff-3"};
  private static final String[] CATEGORIES = {"electronics", "toys", "books"};
  private static final String BAD_IBAN = "DE89370400440532013001";

  private final Random random;
  private final List<Timed> events = new ArrayList<>();
  private int ids;

  private record Timed(Instant time, String line) {}

  private Histories(long seed) {
    this.random = new Random(seed);
  }

  /** The JSON lines of one random history, in publish order, ticks included. */
  public static List<String> generate(long seed) {
    return new Histories(seed).build();
  }

  private String id(String prefix) {
    return prefix + (++ids);
  }

  private Instant at(long maxDays) {
    return START.plusSeconds(random.nextLong(maxDays * 86_400)).plusMillis(random.nextInt(1000));
  }

  private void add(Instant time, String line) {
    events.add(new Timed(time, line));
  }

  private List<String> build() {
    int rateCount = random.nextInt(4);
    for (int i = 0; i < rateCount; i++) {
      Instant from = at(60);
      add(
          from,
          rate(
              id("r"),
              CATEGORIES[random.nextInt(CATEGORIES.length)],
              500 + random.nextInt(1001),
              from.toString()));
    }
    int sessions = 2 + random.nextInt(6);
    int clicks = 3 + random.nextInt(15);
    for (int i = 0; i < clicks; i++) {
      Instant time = at(90);
      add(
          time,
          click(
              id("c"),
              AFFILIATES[random.nextInt(AFFILIATES.length)],
              "s" + random.nextInt(sessions),
              time.toString()));
    }
    int orders = 4 + random.nextInt(20);
    for (int i = 0; i < orders; i++) {
      order("o" + i, sessions);
    }
    if (random.nextInt(4) == 0) {
      Instant time = at(90);
      add(time, completed(id("orphan"), "never-placed", time.toString()));
    }
    for (String affiliate : AFFILIATES) {
      withdrawals(affiliate);
    }
    if (random.nextInt(5) == 0) {
      Instant time = at(120);
      add(time, withdrawal(id("w"), "wx", "aff-unknown", 2000L, time.toString()));
    }
    return publishOrder();
  }

  private void order(String orderId, int sessions) {
    Instant placedAt = at(90);
    String session = random.nextInt(10) == 0 ? null : "s" + random.nextInt(sessions);
    if (session != null && random.nextInt(5) > 0) {
      // The visitor came through an affiliate link: mostly within the session's day, sometimes not.
      Instant clickAt =
          placedAt.minusSeconds(random.nextInt(random.nextInt(6) == 0 ? 40 * 3600 : 20 * 3600));
      add(
          clickAt,
          click(
              id("c"), AFFILIATES[random.nextInt(AFFILIATES.length)], session, clickAt.toString()));
    }
    int lineCount = 1 + random.nextInt(3);
    Json.Line[] lines = new Json.Line[lineCount];
    long amount = 0;
    for (int i = 0; i < lineCount; i++) {
      lines[i] = line(CATEGORIES[random.nextInt(CATEGORIES.length)], 50 + random.nextInt(60_000));
      amount += lines[i].cents();
    }
    add(placedAt, placed(id("p"), orderId, session, placedAt.toString(), lines));
    if (random.nextInt(12) == 0) {
      Instant again = placedAt.plusSeconds(random.nextInt(3600));
      add(again, placed(id("p"), orderId, session, again.toString(), line("toys", 999)));
    }
    int fate = random.nextInt(10);
    if (fate < 5) {
      Instant done =
          skewed(placedAt.plus(Duration.ofMinutes(random.nextInt(70 * 24 * 60))), placedAt);
      add(done, completed(id("d"), orderId, done.toString()));
    } else if (fate < 7) {
      Instant cancel =
          skewed(placedAt.plus(Duration.ofMinutes(random.nextInt(10 * 24 * 60))), placedAt);
      add(cancel, cancelled(id("x"), orderId, cancel.toString()));
    }
    int refunds = random.nextInt(3);
    for (int i = 0; i < refunds; i++) {
      Instant when = placedAt.plus(Duration.ofMinutes(random.nextInt(80 * 24 * 60)));
      long cents = 1 + random.nextLong(random.nextInt(4) == 0 ? amount + 5000 : amount / 2 + 1);
      add(when, refunded(id("f"), orderId, cents, when.toString()));
    }
  }

  /**
   * Mostly {@code time}; sometimes a little before the order was placed (the order system's clock
   * is behind: the event waits for its order), rarely more than a day before (it never finds it).
   */
  private Instant skewed(Instant time, Instant placedAt) {
    int draw = random.nextInt(20);
    if (draw < 3) {
      return placedAt.minusSeconds(1 + random.nextInt(600));
    }
    if (draw == 3) {
      return placedAt.minus(Duration.ofHours(25));
    }
    return time;
  }

  private void withdrawals(String affiliate) {
    int requests = random.nextInt(6);
    List<String> withdrawalIds = new ArrayList<>();
    for (int i = 0; i < requests; i++) {
      Instant time = START.plus(Duration.ofDays(40)).plusSeconds(random.nextLong(120L * 86_400));
      String withdrawalId =
          !withdrawalIds.isEmpty() && random.nextInt(8) == 0
              ? withdrawalIds.get(0)
              : id("w-" + affiliate + "-");
      withdrawalIds.add(withdrawalId);
      Long cents = random.nextInt(3) == 0 ? null : (long) (1000 + random.nextInt(6_000));
      String iban = random.nextInt(10) == 0 ? BAD_IBAN : Json.IBAN;
      add(time, withdrawal(id("q"), withdrawalId, affiliate, cents, iban, time.toString()));
      if (random.nextInt(3) > 0) {
        Instant settled = time.plus(Duration.ofHours(1 + random.nextInt(72)));
        add(
            settled,
            random.nextInt(4) == 0
                ? payoutFailed(
                    id("pf"), withdrawalId, affiliate, "account closed", settled.toString())
                : payoutCompleted(id("pc"), withdrawalId, affiliate, settled.toString()));
      }
    }
    if (random.nextInt(6) == 0) {
      Instant time = at(150);
      add(time, payoutCompleted(id("pc"), "no-such-withdrawal", affiliate, time.toString()));
    }
  }

  /** Ticks at random instants; between two ticks, what is due before the next one, shuffled. */
  private List<String> publishOrder() {
    List<Instant> ticks = new ArrayList<>();
    int tickCount = 2 + random.nextInt(6);
    for (int i = 0; i < tickCount; i++) {
      ticks.add(at(200));
    }
    Collections.sort(ticks);
    if (random.nextBoolean()) {
      ticks.add(START.plus(Duration.ofDays(260)));
    }
    List<Timed> remaining = new ArrayList<>(events);
    remaining.sort(Comparator.comparing(Timed::time));
    List<String> published = new ArrayList<>();
    List<String> duplicates = new ArrayList<>();
    for (Instant tick : ticks) {
      List<String> batch = new ArrayList<>();
      remaining.removeIf(
          event -> {
            boolean due = event.time().isBefore(tick) || random.nextInt(8) == 0;
            if (due) {
              batch.add(event.line());
            }
            return due;
          });
      batch.addAll(duplicates);
      duplicates.clear();
      Collections.shuffle(batch, random);
      for (String line : batch) {
        published.add(line);
        if (random.nextInt(15) == 0) {
          duplicates.add(line);
        }
      }
      published.add("{\"type\":\"ClockTick\",\"at\":\"" + tick + "\"}");
    }
    remaining.forEach(event -> published.add(event.line()));
    return published;
  }

  /** The event time of a published line (its record timestamp). */
  public static Instant timeOf(String line) {
    return ((Parsed) EventJson.parse(line)).timestamp();
  }
}
