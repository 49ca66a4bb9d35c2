package com.portals.ledger.streams;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.portals.ledger.avro.ledger.Balance;
import com.portals.ledger.avro.ledger.JournalEntry;
import com.portals.ledger.avro.ledger.OrderState;
import com.portals.ledger.avro.ledger.WithdrawalDecision;
import com.portals.ledger.streams.ContractModel.Decision;
import com.portals.ledger.streams.ContractModel.Entry;
import com.portals.ledger.streams.ContractModel.Figures;
import com.portals.ledger.streams.ContractModel.Leg;
import com.portals.ledger.streams.ContractModel.OrderView;
import com.portals.ledger.streams.ContractModel.Outcome;
import com.portals.ledger.streams.ContractModel.PricedLine;
import com.portals.ledger.streams.ContractModel.Rejected;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;

/**
 * The topology against {@link ContractModel}, a second implementation of the rules written from the
 * documents and sharing no code with the production rules: fed the same history, they must write
 * the same journal (ids, kinds, legs, causes, times, cycles), balances, withdrawal decisions, order
 * states and rejections.
 *
 * <p>Histories are jqwik values built from small steps, so a failure shrinks to a few events. They
 * go where {@link Histories} does not: events published after a tick that passed them (late),
 * copies of an event id with another payload, stale ticks, line amounts up to $10,000,000,
 * quantities up to 1000, up to 100 lines, refunds up to and beyond the order amount, rates from 0
 * to 10000 bps, eight affiliates, withdrawals of the whole balance and at the very instant of a
 * posting, payouts completed and failed, cancellations, 60-day releases, ticks spanning months.
 * {@link LedgerDriver} has one partition per topic (Kafka's test driver has no more), so the many
 * affiliates share one task here; several partitions are covered by {@code
 * LedgerTopologyIntegrationTest}.
 */
class ContractModelPropertyTest {

  @Property(tries = 120, edgeCases = EdgeCasesMode.NONE, shrinking = ShrinkingMode.FULL)
  void shouldAgreeWithTheContractModel(@ForAll("histories") History history) {
    ContractModel model = new ContractModel();
    history.lines().forEach(model::publish);
    Outcome expected = model.outcome();
    collectStatistics(history, expected);

    try (LedgerDriver ledger = new LedgerDriver()) {
      history.lines().forEach(ledger::given);

      assertThat(journal(ledger)).as("journal").isEqualTo(expected.journal());
      assertThat(balances(ledger)).as("balances").isEqualTo(expected.balances());
      assertThat(decisions(ledger)).as("withdrawal decisions").isEqualTo(expected.decisions());
      assertThat(orders(ledger)).as("orders").isEqualTo(expected.orders());
      assertThat(
              ledger.rejections().stream()
                  .map(r -> new Rejected(r.getReasonCode(), r.getEventId()))
                  .toList())
          .as("rejections")
          .containsExactlyInAnyOrderElementsOf(expected.rejections());
    }
  }

  /** What the histories reach, reported with the property's result. */
  private static void collectStatistics(History history, Outcome expected) {
    java.util.Set<String> seen = new java.util.TreeSet<>();
    expected.journal().values().forEach(entries -> entries.forEach(e -> seen.add(e.kind())));
    expected
        .decisions()
        .values()
        .forEach(ds -> ds.forEach(d -> seen.add(d.status() + "/" + d.reason())));
    expected.rejections().forEach(r -> seen.add("rejected " + r.code()));
    expected.orders().values().forEach(o -> seen.add("order " + o.status()));
    for (String feature : seen) {
      net.jqwik.api.statistics.Statistics.label("features").collect(feature);
    }
    net.jqwik.api.statistics.Statistics.label("lines").collect(history.lines().size() / 20 * 20);
  }

  // --- the topology's outputs in the model's neutral form

  private static Map<String, List<Entry>> journal(LedgerDriver ledger) {
    Map<String, List<Entry>> journal = new TreeMap<>();
    for (JournalEntry e : ledger.journal()) {
      journal
          .computeIfAbsent(e.getAffiliateId(), a -> new ArrayList<>())
          .add(
              new Entry(
                  e.getEntryId(),
                  e.getKind().name(),
                  e.getLegs().stream()
                      .map(l -> new Leg(l.getAccount(), l.getAmountCents()))
                      .toList(),
                  e.getCausingEventId(),
                  e.getEffectiveAt(),
                  e.getOrderId(),
                  e.getWithdrawalId(),
                  e.getSettlementCycle()));
    }
    return journal;
  }

  private static Map<String, Figures> balances(LedgerDriver ledger) {
    Map<String, Figures> balances = new TreeMap<>();
    for (Balance b : ledger.balances().values()) {
      balances.put(
          b.getAffiliateId(),
          new Figures(
              b.getPendingCents(),
              b.getAwaitingRefreshCents(),
              b.getBalanceCents(),
              b.getWithdrawnCents(),
              b.getFeesCents(),
              b.getEntryCount(),
              b.getNextRefreshAt()));
    }
    return balances;
  }

  private static Map<String, List<Decision>> decisions(LedgerDriver ledger) {
    Map<String, List<Decision>> decisions = new TreeMap<>();
    for (WithdrawalDecision d : ledger.decisions()) {
      decisions
          .computeIfAbsent(d.getAffiliateId(), a -> new ArrayList<>())
          .add(
              new Decision(
                  d.getWithdrawalId(),
                  d.getStatus().name(),
                  d.getReason(),
                  d.getRequestedAmountCents(),
                  d.getAmountCents(),
                  d.getFeeCents(),
                  d.getPayoutCents(),
                  d.getCausingEventId(),
                  d.getDecidedAt(),
                  d.getBankAccountMasked()));
    }
    return decisions;
  }

  private static Map<String, OrderView> orders(LedgerDriver ledger) {
    Map<String, OrderView> orders = new TreeMap<>();
    for (OrderState o : ledger.orderStates()) {
      orders.put(
          o.getOrderId(),
          new OrderView(
              o.getStatus(),
              o.getAmountCents(),
              o.getCommissionCents(),
              o.getReversedCents(),
              o.getRefundedCents(),
              o.getClick() == null ? null : o.getClick().getAffiliateId(),
              o.getClick() == null ? null : o.getClick().getClickId(),
              o.getCompletedAt(),
              o.getClosedAt(),
              o.getLines().stream()
                  .map(
                      l ->
                          new PricedLine(
                              l.getCategory(),
                              l.getAmountCents(),
                              l.getRateBps(),
                              l.getCommissionCents()))
                  .toList()));
    }
    return orders;
  }

  // --- histories

  /** A history's JSON lines in publish order; printed one per line when a property fails. */
  record History(List<String> lines) {
    @Override
    public String toString() {
      return "\n" + String.join("\n", lines);
    }
  }

  /** One step of a history; {@link Renderer} turns the steps into JSON lines. */
  sealed interface Step {}

  /** The clock moves on by {@code minutes} and ticks. */
  record Tick(long minutes) implements Step {}

  /** The clock moves to a cycle close ({@code cycles} closes ahead) and ticks exactly there. */
  record TickAtClose(int cycles) implements Step {}

  /** A tick {@code minutes} before the latest: not newer, so the ledger ignores it. */
  record StaleTick(long minutes) implements Step {}

  /** The clock moves on without a tick. */
  record Advance(long minutes) implements Step {}

  /**
   * An event at the clock's time plus {@code skew} minutes: negative is an event published after
   * its time (late if a tick passed it), positive one published ahead of its time. {@code target}
   * is the order, session, category or affiliate the event is about, {@code other} the session,
   * affiliate, rate or withdrawal; {@code cents} a refund per mille, a withdrawal amount, or for a
   * placement 1 + the affiliate whose click in the session comes just before it (0: none).
   */
  record Event(Kind kind, int target, int other, long cents, long skew, List<Line> lines)
      implements Step {}

  enum Kind {
    CLICK,
    PLACE,
    /** A click, the order it brings, and the order's completion a few minutes later. */
    EARN,
    COMPLETE,
    CANCEL,
    REFUND,
    RATE,
    WITHDRAW,
    WITHDRAW_AT_CLOSE,
    WITHDRAW_AFTER_REFRESH,
    /**
     * A new affiliate earns exactly 1600, 1601, 1500 or 1501 cents (8% of one line in a category no
     * rate is set for), and after the refresh asks for its balance or for 1500, 1501, 1600 or 1601:
     * the withdrawal minimum and fee at their edges.
     */
    EDGE,
    /**
     * An order of {@code cents} cents at a rate of its own ({@code other} bps), refunded a cent at
     * a time, {@code target} times: the rounding of each refund, and the cap at what is left.
     */
    CENT_REFUNDS,
    PAYOUT_COMPLETED,
    PAYOUT_FAILED
  }

  record Line(int category, long cents, int quantity) {}

  /** An earlier event again (by index among the events so far): the same, or another payload. */
  record Copy(int index, boolean otherPayload, long shiftMinutes) implements Step {}

  @Provide
  Arbitrary<History> histories() {
    Arbitrary<List<Step>> rates =
        Combinators.combine(
                Arbitraries.integers().between(0, CATEGORIES.length - 1), rateBps(), uniform(0, 30))
            .as((category, bps, daysBefore) -> (Step) rate(category, bps, -daysBefore * 1440))
            .list()
            .ofMaxSize(4);
    Arbitrary<List<Step>> steps =
        step().list().ofMinSize(1).ofMaxSize(60).withSizeDistribution(RandomDistribution.uniform());
    Arbitrary<Long> last = Arbitraries.of(0L, 30L * 1440, 70L * 1440, 200L * 1440);
    return Combinators.combine(rates, steps, last)
        .as(
            (initial, body, finalTick) -> {
              List<Step> all = new ArrayList<>(initial);
              all.addAll(body);
              if (finalTick > 0) {
                all.add(new Tick(finalTick));
              }
              return new History(new Renderer().render(all));
            });
  }

  /** A weighted choice for {@link Arbitraries#frequencyOf}. */
  private static <T> Tuple2<Integer, Arbitrary<? extends T>> w(
      int weight, Arbitrary<? extends T> values) {
    return Tuple.of(weight, values);
  }

  private static Event rate(int category, int bps, long skew) {
    return new Event(Kind.RATE, category, bps, 0, skew, List.of());
  }

  private static Arbitrary<Integer> rateBps() {
    return Arbitraries.frequencyOf(
        w(3, Arbitraries.of(0, 500, 799, 800, 801, 1250, 2500, 5000, 10_000)),
        w(1, Arbitraries.integers().between(0, 10_000)));
  }

  /** Longs spread evenly over the range (jqwik's default crowds them at the ends). */
  private static Arbitrary<Long> uniform(long from, long to) {
    return Arbitraries.longs().between(from, to).withDistribution(RandomDistribution.uniform());
  }

  private Arbitrary<Step> step() {
    // Eight affiliates, three of them busy: withdrawals find commission to take often enough.
    Arbitrary<Integer> affiliate =
        Arbitraries.frequencyOf(
            w(4, Arbitraries.integers().between(0, 2)), w(1, Arbitraries.integers().between(3, 7)));
    Arbitrary<Integer> session = Arbitraries.integers().between(0, 7);
    Arbitrary<Integer> order = Arbitraries.integers().between(0, 9);
    Arbitrary<Integer> withdrawal = Arbitraries.integers().between(0, 2);
    Arbitrary<Long> skew =
        Arbitraries.frequencyOf(
            w(12, Arbitraries.just(0L)),
            w(3, uniform(-600, -1)),
            w(2, uniform(-40L * 1440, -601)),
            w(2, uniform(1, 3000)));
    return Arbitraries.frequencyOf(
        w(
            6,
            Combinators.combine(affiliate, session, skew)
                .as((a, s, k) -> (Step) new Event(Kind.CLICK, s, a, 0, k, List.of()))),
        w(
            7,
            Combinators.combine(
                    order,
                    Arbitraries.integers().between(-1, 7),
                    Arbitraries.frequencyOf(w(1, Arbitraries.just(-1)), w(3, affiliate)),
                    lines(),
                    skew)
                .as((o, s, a, l, k) -> (Step) new Event(Kind.PLACE, o, s, a + 1, k, l))),
        w(
            2,
            Combinators.combine(
                    Arbitraries.of(20_000L, 20_013L, 18_750L, 18_763L),
                    Arbitraries.of(0L, 1_500L, 1_501L, 1_600L, 1_601L))
                .as(
                    (line, cents) ->
                        (Step)
                            new Event(Kind.EDGE, 0, 0, cents, 0, List.of(new Line(0, line, 1))))),
        w(
            1,
            Combinators.combine(
                    Arbitraries.integers().between(1, 12),
                    Arbitraries.integers().between(5_000, 10_000),
                    uniform(2, 20))
                .as(
                    (count, bps, cents) ->
                        (Step) new Event(Kind.CENT_REFUNDS, count, bps, cents, 0, List.of()))),
        w(
            4,
            Combinators.combine(order, Arbitraries.integers().between(0, 7), affiliate, lines())
                .as((o, s, a, l) -> (Step) new Event(Kind.EARN, o, s, a + 1, 0, l))),
        w(
            4,
            Combinators.combine(order, Arbitraries.of(Kind.COMPLETE, Kind.CANCEL), skew)
                .as((o, kind, k) -> (Step) new Event(kind, o, 0, 0, k, List.of()))),
        w(
            3,
            Combinators.combine(order, refundPerMille(), skew)
                .as(
                    (o, perMille, k) ->
                        (Step) new Event(Kind.REFUND, o, 0, perMille, k, List.of()))),
        w(
            1,
            Combinators.combine(
                    Arbitraries.integers().between(0, CATEGORIES.length - 1), rateBps(), skew)
                .as((c, bps, k) -> (Step) rate(c, bps, k))),
        w(
            4,
            Combinators.combine(
                    affiliate,
                    withdrawal,
                    withdrawalCents(),
                    Arbitraries.frequencyOf(
                        w(8, Arbitraries.of(0, 4, 5)), w(1, Arbitraries.of(1, 2, 3))),
                    Arbitraries.of(
                        Kind.WITHDRAW, Kind.WITHDRAW_AT_CLOSE, Kind.WITHDRAW_AFTER_REFRESH),
                    skew)
                .as(
                    (a, w, cents, bank, kind, k) ->
                        (Step) new Event(kind, a, w * BANKS.length + bank, cents, k, List.of()))),
        w(
            3,
            Combinators.combine(
                    affiliate,
                    withdrawal,
                    Arbitraries.of(
                        Kind.PAYOUT_COMPLETED, Kind.PAYOUT_COMPLETED, Kind.PAYOUT_FAILED),
                    skew)
                .as((a, w, kind, k) -> (Step) new Event(kind, a, w, w == 2 ? 0 : 1, k, List.of()))),
        w(
            2,
            Combinators.combine(
                    Arbitraries.integers().between(0, 1000),
                    Arbitraries.of(false, true),
                    uniform(-3000, 3000))
                .as((i, other, shift) -> (Step) new Copy(i, other, shift))),
        w(
            5,
            Arbitraries.frequencyOf(
                    w(4, uniform(0, 180)),
                    w(3, uniform(60, 48 * 60)),
                    w(2, uniform(1440, 20 * 1440)),
                    w(1, Arbitraries.of(60L * 1440, 60L * 1440 + 1)))
                .map(minutes -> (Step) new Tick(minutes))),
        w(3, Arbitraries.integers().between(0, 2).map(c -> (Step) new TickAtClose(c))),
        w(1, uniform(0, 600).map(m -> (Step) new StaleTick(m))),
        w(
            5,
            Arbitraries.frequencyOf(w(3, uniform(0, 120)), w(1, uniform(120, 10 * 1440)))
                .map(m -> (Step) new Advance(m))));
  }

  private static Arbitrary<List<Line>> lines() {
    Arbitrary<Long> cents =
        Arbitraries.frequencyOf(
            w(10, uniform(1_000, 200_000)),
            w(5, uniform(1, 1_000)),
            w(3, uniform(1, MAX_LINE_CENTS)),
            // 8% of these: 1600, 1500, 1601, 1501, 500 (the withdrawal minimum and fee).
            w(3, Arbitraries.of(20_000L, 18_750L, 20_013L, 18_763L, 6_250L)),
            w(1, Arbitraries.of(1L, MAX_LINE_CENTS)));
    Arbitrary<Line> line =
        Combinators.combine(
                Arbitraries.integers().between(0, CATEGORIES.length - 1),
                cents,
                Arbitraries.frequencyOf(
                    w(5, Arbitraries.just(1)), w(1, Arbitraries.integers().between(1, 1000))))
            .as(Line::new);
    return Arbitraries.frequencyOf(
        w(12, line.list().ofMinSize(1).ofMaxSize(3)),
        w(1, line.list().ofMinSize(1).ofMaxSize(100)));
  }

  /** Per mille of the order amount (above 1000: more than the order); 0 means one cent. */
  private static Arbitrary<Long> refundPerMille() {
    return Arbitraries.frequencyOf(
        w(3, uniform(0, 1000)),
        w(2, Arbitraries.of(500L, 1000L)),
        w(1, uniform(1001, 1300)),
        w(1, Arbitraries.just(REFUND_MAXIMUM)));
  }

  /** A withdrawal amount; 0 means none, i.e. the whole balance. */
  private static Arbitrary<Long> withdrawalCents() {
    return Arbitraries.frequencyOf(
        w(3, Arbitraries.just(0L)),
        w(4, uniform(1_000, 8_000)),
        w(2, Arbitraries.of(1_500L, 1_501L, 1_600L, 1_601L)),
        w(1, uniform(8_000, 10_000_000_000L)));
  }

  static final long MAX_LINE_CENTS = 1_000_000_000L;

  /** The largest refund intake accepts: refund per mille of this value means exactly it. */
  static final long REFUND_MAXIMUM = 100_000_000_000L;

  static final String[] CATEGORIES = {"electronics", "toys", "books", "garden"};

  /** IBAN and SWIFT: valid, bad check digits, wrong length, bad SWIFT, valid GB, valid NL. */
  static final String[][] BANKS = {
    {"DE89370400440532013000", "COBADEFFXXX"},
    {"DE89370400440532013001", "COBADEFFXXX"},
    {"DE8937040044053201300", "COBADEFFXXX"},
    {"DE89370400440532013000", "COB1DEFF"},
    {"GB82WEST12345698765432", "NWBKGB2L"},
    {"NL91ABNA0417164300", "ABNANL2A"},
  };

  /** Turns steps into JSON lines, keeping the clock and what each order amounts to. */
  static final class Renderer {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration CYCLE = Duration.ofDays(14);
    private static final Instant EPOCH = Instant.parse("1970-01-05T00:00:00Z");

    private final List<String> lines = new ArrayList<>();
    private final List<ObjectNode> events = new ArrayList<>();
    private final Map<String, Long> orderAmounts = new TreeMap<>();
    private final List<String[]> withdrawals = new ArrayList<>();
    private Instant clock = START;
    private int ids;

    List<String> render(List<Step> steps) {
      for (Step step : steps) {
        if (step instanceof Tick t) {
          clock = clock.plus(Duration.ofMinutes(t.minutes()));
          tick(clock);
        } else if (step instanceof TickAtClose t) {
          clock = nextClose(clock).plus(CYCLE.multipliedBy(t.cycles()));
          tick(clock);
        } else if (step instanceof StaleTick t) {
          tick(clock.minus(Duration.ofMinutes(t.minutes())));
        } else if (step instanceof Advance a) {
          clock = clock.plus(Duration.ofMinutes(a.minutes()));
        } else if (step instanceof Event e) {
          emit(event(e));
        } else {
          copy((Copy) step);
        }
      }
      return lines;
    }

    private static Instant nextClose(Instant at) {
      long cycle = Math.floorDiv(at.toEpochMilli() - EPOCH.toEpochMilli(), CYCLE.toMillis());
      return EPOCH.plus(CYCLE.multipliedBy(cycle + 1));
    }

    private void tick(Instant at) {
      lines.add(
          JSON.createObjectNode().put("type", "ClockTick").put("at", at.toString()).toString());
    }

    private void emit(ObjectNode event) {
      events.add(event);
      lines.add(event.toString());
    }

    private ObjectNode event(Event e) {
      Instant at = clock.plus(Duration.ofMinutes(e.skew()));
      String time = at.toString();
      String eventId = "e" + (++ids);
      String orderId = "o" + e.target();
      return switch (e.kind()) {
        case CLICK ->
            node("ClickRecorded", eventId)
                .put("clickId", "k" + ids)
                .put("affiliateId", "aff-" + e.other())
                .put("trackingId", "blog")
                .put("sessionId", "s" + e.target())
                .put("af", "sub7")
                .put("occurredAt", time);
        case CENT_REFUNDS -> {
          String category = "cents" + ids;
          emit(
              node("CommissionRateSet", eventId + "r")
                  .put("category", category)
                  .put("rateBps", e.other())
                  .put("effectiveFrom", at.minus(Duration.ofDays(1)).toString()));
          emit(
              node("ClickRecorded", eventId + "c")
                  .put("clickId", "k" + ids)
                  .put("affiliateId", "aff-0")
                  .put("sessionId", category)
                  .put("occurredAt", time));
          ObjectNode placed =
              node("OrderPlaced", eventId).put("orderId", category).put("sessionId", category);
          placed
              .putArray("lines")
              .addObject()
              .put("productId", "p0")
              .put("category", category)
              .put("amountCents", e.cents())
              .put("quantity", 1);
          emit(placed.put("occurredAt", time));
          for (int i = 1; i < e.target(); i++) {
            emit(
                node("OrderRefunded", eventId + "f" + i)
                    .put("orderId", category)
                    .put("refundCents", 1)
                    .put("occurredAt", at.plus(Duration.ofMinutes(i)).toString()));
          }
          yield node("OrderRefunded", eventId + "f0")
              .put("orderId", category)
              .put("refundCents", 1)
              .put("occurredAt", at.plus(Duration.ofMinutes(e.target())).toString());
        }
        case EDGE -> {
          String affiliate = "aff-edge" + ids;
          emit(
              node("ClickRecorded", eventId + "c")
                  .put("clickId", "k" + ids)
                  .put("affiliateId", affiliate)
                  .put("sessionId", "edge" + ids)
                  .put("occurredAt", time));
          ObjectNode placed =
              node("OrderPlaced", eventId)
                  .put("orderId", "edge" + ids)
                  .put("sessionId", "edge" + ids);
          placed
              .putArray("lines")
              .addObject()
              .put("productId", "p0")
              .put("category", "gift-cards")
              .put("amountCents", e.lines().get(0).cents())
              .put("quantity", 1);
          emit(placed.put("occurredAt", time));
          emit(
              node("OrderCompleted", eventId + "d")
                  .put("orderId", "edge" + ids)
                  .put("occurredAt", time));
          clock = nextClose(nextClose(clock)).plusSeconds(60);
          tick(clock);
          ObjectNode request =
              node("WithdrawalRequested", eventId + "w")
                  .put("withdrawalId", "w-edge" + ids)
                  .put("affiliateId", affiliate);
          if (e.cents() > 0) {
            request.put("amountCents", e.cents());
          }
          request
              .putObject("bankAccount")
              .put("iban", BANKS[0][0])
              .put("swift", BANKS[0][1])
              .put("holder", "Jane Doe");
          yield request.put("occurredAt", clock.toString());
        }
        case EARN -> {
          emit(event(new Event(Kind.PLACE, e.target(), e.other(), e.cents(), e.skew(), e.lines())));
          yield node("OrderCompleted", "e" + (++ids))
              .put("orderId", orderId)
              .put("occurredAt", at.plus(Duration.ofMinutes(1 + e.target())).toString());
        }
        case PLACE -> {
          if (e.other() >= 0 && e.cents() > 0) {
            // The buyer came through an affiliate link of the session a moment before.
            emit(
                node("ClickRecorded", eventId + "c")
                    .put("clickId", "k" + ids)
                    .put("affiliateId", "aff-" + (e.cents() - 1))
                    .put("sessionId", "s" + e.other())
                    .put("occurredAt", at.minus(Duration.ofMinutes(e.target() * 7L)).toString()));
          }
          ObjectNode node = node("OrderPlaced", eventId).put("orderId", orderId);
          if (e.other() >= 0) {
            node.put("sessionId", "s" + e.other());
          }
          ArrayNode array = node.putArray("lines");
          long amount = 0;
          for (int i = 0; i < e.lines().size(); i++) {
            Line line = e.lines().get(i);
            amount += line.cents();
            array
                .addObject()
                .put("productId", "p" + i)
                .put("category", CATEGORIES[line.category()])
                .put("amountCents", line.cents())
                .put("quantity", line.quantity());
          }
          orderAmounts.putIfAbsent(orderId, amount);
          yield node.put("occurredAt", time);
        }
        case COMPLETE ->
            node("OrderCompleted", eventId).put("orderId", orderId).put("occurredAt", time);
        case CANCEL ->
            node("OrderCancelled", eventId).put("orderId", orderId).put("occurredAt", time);
        case REFUND -> {
          long amount = orderAmounts.getOrDefault(orderId, 10_000L);
          long cents =
              e.cents() == REFUND_MAXIMUM
                  ? REFUND_MAXIMUM
                  : Math.max(1, Math.multiplyExact(amount, e.cents()) / 1000);
          yield node("OrderRefunded", eventId)
              .put("orderId", orderId)
              .put("refundCents", cents)
              .put("occurredAt", time);
        }
        case RATE ->
            node("CommissionRateSet", eventId)
                .put("category", CATEGORIES[e.target()])
                .put("rateBps", e.other())
                .put("effectiveFrom", time);
        case WITHDRAW, WITHDRAW_AT_CLOSE, WITHDRAW_AFTER_REFRESH -> {
          if (e.kind() == Kind.WITHDRAW_AFTER_REFRESH) {
            // Past the next posting of what completed so far, and a tick after it.
            clock = nextClose(nextClose(clock)).plus(Duration.ofMinutes(1 + Math.abs(e.skew())));
            tick(clock);
            at = clock;
          }
          String[] bank = BANKS[e.other() % BANKS.length];
          ObjectNode node =
              node("WithdrawalRequested", eventId)
                  .put("withdrawalId", "w" + e.target() + "-" + e.other() / BANKS.length)
                  .put("affiliateId", "aff-" + e.target());
          withdrawals.add(
              new String[] {node.get("withdrawalId").asText(), node.get("affiliateId").asText()});
          if (e.cents() > 0) {
            node.put("amountCents", e.cents());
          }
          node.putObject("bankAccount")
              .put("iban", bank[0])
              .put("swift", bank[1])
              .put("holder", "Jane Doe");
          // At a cycle close: the same instant as the posting of that close.
          yield node.put(
              "occurredAt",
              (e.kind() == Kind.WITHDRAW_AT_CLOSE ? nextClose(clock) : at).toString());
        }
        case PAYOUT_COMPLETED, PAYOUT_FAILED -> {
          // Mostly the result of a withdrawal requested before, else of one that may not exist.
          String[] requested =
              e.cents() > 0 && !withdrawals.isEmpty()
                  ? withdrawals.get((e.target() * 3 + e.other()) % withdrawals.size())
                  : new String[] {"w" + e.target() + "-" + e.other(), "aff-" + e.target()};
          ObjectNode node =
              node(e.kind() == Kind.PAYOUT_COMPLETED ? "PayoutCompleted" : "PayoutFailed", eventId)
                  .put("withdrawalId", requested[0])
                  .put("affiliateId", requested[1]);
          if (e.kind() == Kind.PAYOUT_FAILED) {
            node.put("reason", "account closed");
          }
          yield node.put("occurredAt", time);
        }
      };
    }

    private static ObjectNode node(String type, String eventId) {
      return JSON.createObjectNode().put("type", type).put("eventId", eventId);
    }

    /**
     * The same event again, or its id with another payload: another time, and another amount, rate
     * or click id where it has one.
     */
    private void copy(Copy c) {
      if (events.isEmpty()) {
        return;
      }
      ObjectNode copy = events.get(c.index() % events.size()).deepCopy();
      if (c.otherPayload()) {
        String field = copy.has("effectiveFrom") ? "effectiveFrom" : "occurredAt";
        copy.put(
            field,
            Instant.parse(copy.get(field).asText())
                .plus(Duration.ofMinutes(c.shiftMinutes()))
                .toString());
        if (copy.has("refundCents")) {
          copy.put("refundCents", copy.get("refundCents").asLong() + 1);
        }
        if (copy.has("rateBps")) {
          copy.put("rateBps", (copy.get("rateBps").asInt() + 700) % 10_001);
        }
        if (copy.has("clickId")) {
          copy.put("clickId", copy.get("clickId").asText() + "b");
        }
        if (copy.has("lines")) {
          ObjectNode first = (ObjectNode) copy.get("lines").get(0);
          first.put("amountCents", first.get("amountCents").asLong() % MAX_LINE_CENTS + 1);
        }
      }
      emit(copy);
    }
  }
}
