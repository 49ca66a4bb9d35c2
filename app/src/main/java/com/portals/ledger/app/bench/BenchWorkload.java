package com.portals.ledger.app.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;

/**
 * The events {@code ledger bench} publishes: realistic affiliate traffic in the JSON form of
 * CONTRACT.md, the same for the same seed and size, cut into batches that each end with a clock
 * tick.
 *
 * <p>In: the number of events, a seed and a batch size. Out: {@link #batches()}, in event-time
 * order. The traffic: the commission rates of four categories, then visits spread evenly over
 * {@link #SPAN} of event time from {@link #START}. A visit is a click on an affiliate link (an
 * affiliate drawn with a skew, so that a few affiliates get most of the traffic); 30% of visits
 * place an order of one to three lines in the click's session, one minute to two hours later, so
 * that every order is attributed; of the orders, 80% complete within 1 to 30 days (6% of those are
 * then partly or fully refunded within 10 days), 12% are cancelled within 5 days and 8% stay open
 * (the ledger's 60-day release takes them). One visit in a hundred, once the affiliate has an order
 * and at least five weeks have passed (so that balances have been posted), comes with a withdrawal
 * request, of the whole balance or of an amount that may be too small or too large: the ledger
 * accepts some and rejects others, as it would in production.
 *
 * <p>Event times strictly increase from one event to the next (events that would share a
 * millisecond are moved apart by one), so that the tick after a batch, one millisecond after its
 * last event, is later than every event of the batch and not later than any event of the next one:
 * each tick releases exactly its own batch, as the live ticker releases what came before it. Events
 * still scheduled when the count is reached (completions of the last orders, say) are left out; the
 * orders concerned stay open.
 */
public final class BenchWorkload {

  /** Event time of the first event. */
  public static final Instant START = Instant.parse("2026-01-05T00:00:00Z");

  /** Event time the visits are spread over, whatever the number of events. */
  public static final Duration SPAN = Duration.ofDays(120);

  /** The affiliate of the warm-up batch, whose outputs are not counted. */
  public static final String WARM_UP_AFFILIATE = "bench-aff-warmup";

  /** Affiliates the visits are spread over. */
  static final int AFFILIATES = 40;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] CATEGORIES = {"electronics", "fashion", "home", "toys"};
  private static final int[] CATEGORY_RATES_BPS = {900, 1000, 800, 1200};
  private static final String[] PROMOTION_TYPES = {
    "TEXT_LINK", "BANNER", "DATA_FEED", "PRODUCT_LINK", "API", "OTHER"
  };
  private static final String[] TRACKING_IDS = {"blog", "social", "newsletter", "video"};
  private static final String[] IBANS = {
    "DE89370400440532013000", "GB29NWBK60161331926819", "FR1420041010050500013M02606"
  };
  private static final double ORDER_PER_VISIT = 0.30;
  private static final double WITHDRAWAL_PER_VISIT = 0.01;
  private static final Duration WITHDRAWALS_FROM = Duration.ofDays(35);

  /**
   * Events per visit on average (1 click + 0.3 × (placement + 0.8 × (completion + 0.06 refund) +
   * 0.12 cancellation) + a little for withdrawals), which spaces the visits so that the events fill
   * about {@link #SPAN}.
   */
  private static final double EVENTS_PER_VISIT = 1.6;

  /** What an event is, and so what the ledger makes of it. */
  public enum Kind {
    RATE_SET,
    CLICK,
    ORDER_PLACED,
    ORDER_COMPLETED,
    ORDER_CANCELLED,
    ORDER_REFUNDED,
    WITHDRAWAL_REQUESTED;

    /**
     * Whether the ledger journals an entry caused by every event of this kind: the workload's
     * orders are all attributed and earn a commission, so each of their events moves money.
     * Withdrawal requests move money only when accepted.
     */
    public boolean alwaysJournaled() {
      return this == ORDER_PLACED
          || this == ORDER_COMPLETED
          || this == ORDER_CANCELLED
          || this == ORDER_REFUNDED;
    }
  }

  /**
   * One event.
   *
   * @param kind what it is
   * @param eventId its {@code eventId}
   * @param at its event time ({@code occurredAt}, or {@code effectiveFrom} for a rate)
   * @param json its JSON line
   * @param orderId the order's id for an order event, else null
   * @param withdrawalId the withdrawal's id for a withdrawal request, else null
   */
  public record Event(
      Kind kind, String eventId, Instant at, String json, String orderId, String withdrawalId) {}

  /**
   * Events published together, then released by one tick.
   *
   * @param index position among the batches, from 0
   * @param events the events, in event-time order
   * @param tickAt the tick published after them: one millisecond after the last event
   */
  public record Batch(int index, List<Event> events, Instant tickAt) {
    public Batch {
      events = List.copyOf(events);
    }
  }

  private final long seed;
  private final List<Batch> batches;
  private final int eventCount;

  private BenchWorkload(long seed, List<Batch> batches, int eventCount) {
    this.seed = seed;
    this.batches = batches;
    this.eventCount = eventCount;
  }

  /**
   * The workload of {@code events} events for {@code seed}, in batches of {@code batchSize} (the
   * last one may be smaller).
   *
   * @throws IllegalArgumentException if {@code events} or {@code batchSize} is below 1
   */
  public static BenchWorkload generate(int events, long seed, int batchSize) {
    if (events < 1) {
      throw new IllegalArgumentException("the number of events must be at least 1, got " + events);
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("the batch size must be at least 1, got " + batchSize);
    }
    List<Event> all = new Generator(seed, events).run();
    List<Batch> batches = new ArrayList<>();
    for (int from = 0; from < all.size(); from += batchSize) {
      List<Event> slice = all.subList(from, Math.min(all.size(), from + batchSize));
      Instant last = slice.get(slice.size() - 1).at();
      batches.add(new Batch(batches.size(), slice, last.plusMillis(1)));
    }
    return new BenchWorkload(seed, List.copyOf(batches), all.size());
  }

  /**
   * The warm-up batch, index −1: a click and an attributed order of an affiliate of its own, two
   * hours and ninety minutes before {@link #START}, and a tick one hour before it. Published and
   * awaited before the measured batches, so that these do not pay for first connections, the first
   * transactions and a cold JVM; not counted among the events.
   */
  public Batch warmUp() {
    String prefix = "bench-" + seed + "-warmup-";
    Instant clickAt = START.minus(Duration.ofHours(2));
    Instant orderAt = START.minus(Duration.ofMinutes(90));
    ObjectNode click =
        JSON.createObjectNode()
            .put("type", "ClickRecorded")
            .put("eventId", prefix + "click")
            .put("clickId", prefix + "k")
            .put("affiliateId", WARM_UP_AFFILIATE)
            .put("sessionId", prefix + "s")
            .put("occurredAt", clickAt.toString());
    ObjectNode order =
        JSON.createObjectNode()
            .put("type", "OrderPlaced")
            .put("eventId", prefix + "order")
            .put("orderId", prefix + "o")
            .put("sessionId", prefix + "s");
    order
        .putArray("lines")
        .addObject()
        .put("productId", "p-0")
        .put("category", CATEGORIES[0])
        .put("amountCents", 10_000)
        .put("quantity", 1);
    order.put("occurredAt", orderAt.toString());
    return new Batch(
        -1,
        List.of(
            new Event(Kind.CLICK, prefix + "click", clickAt, click.toString(), null, null),
            new Event(
                Kind.ORDER_PLACED,
                prefix + "order",
                orderAt,
                order.toString(),
                prefix + "o",
                null)),
        START.minus(Duration.ofHours(1)));
  }

  public long seed() {
    return seed;
  }

  public List<Batch> batches() {
    return batches;
  }

  /**
   * The warm-up batch, then the measured ones: a tracker's batch index is the measured batch's
   * index + 1.
   */
  public List<Batch> warmUpThenBatches() {
    List<Batch> all = new ArrayList<>();
    all.add(warmUp());
    all.addAll(batches);
    return all;
  }

  /** Number of events, ticks not counted. */
  public int eventCount() {
    return eventCount;
  }

  /** Number of events of each kind. */
  public Map<Kind, Integer> countsByKind() {
    Map<Kind, Integer> counts = new EnumMap<>(Kind.class);
    for (Kind kind : Kind.values()) {
      counts.put(kind, 0);
    }
    for (Batch batch : batches) {
      for (Event event : batch.events()) {
        counts.merge(event.kind(), 1, Integer::sum);
      }
    }
    return Collections.unmodifiableMap(counts);
  }

  /** Event time of the last tick. */
  public Instant end() {
    return batches.get(batches.size() - 1).tickAt();
  }

  /** Schedules visits and their consequences, and hands events out in event-time order. */
  private static final class Generator {

    private record Scheduled(Instant at, long order, Kind kind, ObjectNode body, String subject) {}

    private final Random random;
    private final long seed;
    private final int wanted;
    private final List<Event> events = new ArrayList<>();
    private final PriorityQueue<Scheduled> future =
        new PriorityQueue<>(
            Comparator.comparing(Scheduled::at).thenComparingLong(Scheduled::order));
    private final Set<String> affiliatesWithOrders = new HashSet<>();
    private long sequence;
    private Instant previous;

    Generator(long seed, int wanted) {
      this.random = new Random(seed);
      this.seed = seed;
      this.wanted = wanted;
    }

    List<Event> run() {
      for (int i = 0; i < CATEGORIES.length; i++) {
        ObjectNode rate =
            JSON.createObjectNode()
                .put("type", "CommissionRateSet")
                .put("eventId", id("r"))
                .put("category", CATEGORIES[i])
                .put("rateBps", CATEGORY_RATES_BPS[i]);
        schedule(START, Kind.RATE_SET, rate, null);
      }
      double visits = Math.max(1, wanted / EVENTS_PER_VISIT);
      double gapMillis = SPAN.toMillis() / visits;
      for (long visit = 0; events.size() < wanted; visit++) {
        // The first visit comes after the rates, so that every order finds its category's rate.
        Instant at =
            START.plusMillis(
                1 + (long) (visit * gapMillis) + (long) (random.nextDouble() * gapMillis));
        emitUntil(at);
        if (events.size() < wanted) {
          visit(at);
        }
      }
      return events;
    }

    /** Hands out every scheduled event at or before {@code until}, up to the wanted count. */
    private void emitUntil(Instant until) {
      while (!future.isEmpty() && !future.peek().at().isAfter(until) && events.size() < wanted) {
        emit(future.poll());
      }
    }

    private void emit(Scheduled scheduled) {
      Instant at = scheduled.at();
      if (previous != null && !at.isAfter(previous)) {
        at = previous.plusMillis(1);
      }
      previous = at;
      ObjectNode body = scheduled.body();
      body.put(scheduled.kind() == Kind.RATE_SET ? "effectiveFrom" : "occurredAt", at.toString());
      if (scheduled.kind() == Kind.ORDER_PLACED) {
        affiliatesWithOrders.add(scheduled.subject());
      }
      events.add(
          new Event(
              scheduled.kind(),
              body.get("eventId").textValue(),
              at,
              body.toString(),
              body.has("orderId") ? body.get("orderId").textValue() : null,
              body.has("withdrawalId") ? body.get("withdrawalId").textValue() : null));
    }

    private void visit(Instant clickAt) {
      String session = id("s");
      String affiliate = affiliate();
      ObjectNode click =
          event("ClickRecorded")
              .put("clickId", id("k"))
              .put("affiliateId", affiliate)
              .put("trackingId", TRACKING_IDS[random.nextInt(TRACKING_IDS.length)])
              .put("sessionId", session)
              .put("af", "sub" + random.nextInt(8))
              .put("cn", "campaign-" + random.nextInt(4))
              .put("cv", "creative-" + random.nextInt(6))
              .put("dp", "page-" + random.nextInt(10))
              .put("promotionType", PROMOTION_TYPES[random.nextInt(PROMOTION_TYPES.length)])
              .put("productId", "p-" + random.nextInt(500));
      schedule(clickAt, Kind.CLICK, click, affiliate);
      if (random.nextDouble() < ORDER_PER_VISIT) {
        order(clickAt.plusSeconds(60 + random.nextInt(2 * 3600)), session, affiliate);
      }
      if (random.nextDouble() < WITHDRAWAL_PER_VISIT
          && !clickAt.isBefore(START.plus(WITHDRAWALS_FROM))
          && affiliatesWithOrders.contains(affiliate)) {
        withdrawal(clickAt.plusSeconds(random.nextInt(6 * 3600)), affiliate);
      }
    }

    /** Affiliates 1 to {@link #AFFILIATES}, the first ones far more often than the last. */
    private String affiliate() {
      double r = random.nextDouble();
      return String.format(Locale.ROOT, "bench-aff-%02d", 1 + (int) (AFFILIATES * r * r));
    }

    private void order(Instant placedAt, String session, String affiliate) {
      String orderId = id("o");
      ObjectNode placed =
          event("OrderPlaced")
              .put("orderId", orderId)
              .put("sessionId", session)
              .put("buyerId", "buyer-" + random.nextInt(50_000));
      ArrayNode lines = placed.putArray("lines");
      int lineCount = 1 + random.nextInt(3);
      long total = 0;
      for (int i = 0; i < lineCount; i++) {
        int quantity = 1 + random.nextInt(2);
        long amount = quantity * (500L + random.nextInt(20_000));
        total += amount;
        lines
            .addObject()
            .put("productId", "p-" + random.nextInt(500))
            .put("category", CATEGORIES[random.nextInt(CATEGORIES.length)])
            .put("amountCents", amount)
            .put("quantity", quantity);
      }
      schedule(placedAt, Kind.ORDER_PLACED, placed, affiliate);
      double fate = random.nextDouble();
      if (fate < 0.80) {
        Instant completedAt = placedAt.plus(Duration.ofHours(24 + random.nextInt(24 * 30)));
        schedule(
            completedAt,
            Kind.ORDER_COMPLETED,
            event("OrderCompleted").put("orderId", orderId),
            affiliate);
        if (random.nextDouble() < 0.06) {
          // At least a tenth of the order, so that the commission reversed is at least a cent.
          long refund = total / 10 + (long) (random.nextDouble() * (total - total / 10));
          schedule(
              completedAt.plus(Duration.ofHours(1 + random.nextInt(24 * 10))),
              Kind.ORDER_REFUNDED,
              event("OrderRefunded").put("orderId", orderId).put("refundCents", refund),
              affiliate);
        }
      } else if (fate < 0.92) {
        schedule(
            placedAt.plus(Duration.ofHours(1 + random.nextInt(24 * 5))),
            Kind.ORDER_CANCELLED,
            event("OrderCancelled").put("orderId", orderId).put("reason", "buyer"),
            affiliate);
      }
    }

    private void withdrawal(Instant requestedAt, String affiliate) {
      ObjectNode requested =
          event("WithdrawalRequested").put("withdrawalId", id("w")).put("affiliateId", affiliate);
      if (random.nextBoolean()) {
        requested.put("amountCents", 1_000 + random.nextInt(40_000));
      }
      requested
          .putObject("bankAccount")
          .put("iban", IBANS[random.nextInt(IBANS.length)])
          .put("swift", "COBADEFFXXX")
          .put("holder", "Affiliate " + affiliate);
      schedule(requestedAt, Kind.WITHDRAWAL_REQUESTED, requested, affiliate);
    }

    private ObjectNode event(String type) {
      return JSON.createObjectNode().put("type", type).put("eventId", id("e"));
    }

    private String id(String kind) {
      return "bench-" + seed + "-" + kind + (++sequence);
    }

    private void schedule(Instant at, Kind kind, ObjectNode body, String subject) {
      future.add(new Scheduled(at, ++sequence, kind, body, subject));
    }
  }
}
