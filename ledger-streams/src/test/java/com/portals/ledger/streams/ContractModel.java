package com.portals.ledger.streams;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The ledger written a second time, from the documents alone (docs/contract.md's rules and
 * defaults, the rules made exact in {@code docs/event-catalogue.md}, the ordering of {@code
 * docs/architecture.md}), so that a rule the production code gets wrong is not wrong here too. It
 * shares no code with {@code domain}, with the streams module's mapping or with {@link
 * ReferenceModel}: plain maps, longs, and {@link BigDecimal} with {@link RoundingMode#HALF_EVEN}
 * for the two roundings. It reads the JSON lines of a history in publish order (ticks included) and
 * answers, in a neutral form, what the topology should have written by the last tick.
 *
 * <p>Where the documents leave a detail open, the behaviour was read from the implementation and
 * written again here; each such place is marked "Docs silent".
 */
final class ContractModel {

  // --- the rules: docs/contract.md "Rules and their defaults"

  static final Duration SESSION_TTL = Duration.ofHours(24);
  static final int RATE_FLOOR_BPS = 800;
  static final int DEFAULT_RATE_BPS = 800;
  static final Duration RELEASE_AFTER = Duration.ofDays(60);
  static final Instant CYCLE_EPOCH = Instant.parse("1970-01-05T00:00:00Z");
  static final Duration CYCLE = Duration.ofDays(14);
  static final long WITHDRAWAL_MINIMUM_CENTS = 1600;
  static final long WITHDRAWAL_FEE_CENTS = 1500;
  static final Duration ORPHAN_GRACE = Duration.ofHours(24);

  private static final String EXPENSE = "platform:commission-expense";
  private static final String PAYABLE = "platform:payouts-payable";
  private static final String FEE_REVENUE = "platform:fee-revenue";
  private static final String BANK = "platform:bank";

  // --- what the model answers, in a form neither side's classes share

  /** One leg of a journal entry: debits positive, credits negative. */
  record Leg(String account, long cents) {}

  record Entry(
      String id,
      String kind,
      List<Leg> legs,
      String cause,
      Instant effectiveAt,
      String orderId,
      String withdrawalId,
      Long cycle) {}

  record Figures(
      long pending,
      long awaitingRefresh,
      long balance,
      long withdrawn,
      long fees,
      long entries,
      Instant nextRefreshAt) {}

  record Decision(
      String withdrawalId,
      String status,
      String reason,
      Long requested,
      long amount,
      long fee,
      long payout,
      String causingEventId,
      Instant decidedAt,
      String bankAccountMasked) {}

  record PricedLine(String category, long amount, int rateBps, long commission) {}

  record OrderView(
      String status,
      long amount,
      long commission,
      long reversed,
      long refunded,
      String affiliateId,
      String clickId,
      Instant completedAt,
      Instant closedAt,
      List<PricedLine> lines) {}

  record Rejected(String code, String eventId) {}

  record Outcome(
      Map<String, List<Entry>> journal,
      Map<String, Figures> balances,
      Map<String, List<Decision>> decisions,
      Map<String, OrderView> orders,
      List<Rejected> rejections) {}

  // --- the events, as read from JSON

  private sealed interface Event permits Click, Placed, Lifecycle, RateSet, Request, Payout {
    String eventId();

    Instant at();
  }

  private record Click(
      String eventId, String clickId, String affiliateId, String sessionId, Instant at)
      implements Event {}

  private record Line(String category, long amount) {}

  private record Placed(
      String eventId, String orderId, String sessionId, List<Line> lines, Instant at)
      implements Event {}

  private enum LifecycleType {
    COMPLETED,
    CANCELLED,
    REFUNDED
  }

  private record Lifecycle(
      LifecycleType type, String eventId, String orderId, long refundCents, Instant at)
      implements Event {}

  private record RateSet(String eventId, String category, int bps, Instant at) implements Event {}

  private record Request(
      String eventId,
      String withdrawalId,
      String affiliateId,
      Long amount,
      String iban,
      String swift,
      Instant at)
      implements Event {}

  private record Payout(
      String eventId, String withdrawalId, String affiliateId, boolean paid, Instant at)
      implements Event {}

  private static final ObjectMapper JSON = new ObjectMapper();

  // --- intake: what was read, what ticks released, at which ordering instant

  /** An event read from its topic: {@code seq} is its place in the publish order. */
  private record Read(long seq, Event event) {}

  /** A released event (or a commission movement) with the instant the ledger orders it at. */
  private record Input(Instant orderAt, int priority, String id, long seq, Object body) {}

  private record StoredClick(Click click, Instant orderAt) {}

  private final List<Read> unreleased = new ArrayList<>();
  private final Set<String> rateIds = new HashSet<>();
  private final Map<String, List<StoredClick>> sessions = new HashMap<>();
  private final Map<String, TreeMap<Instant, Integer>> rates = new HashMap<>();
  private final Map<String, List<Input>> orderInputs = new LinkedHashMap<>();
  private final Map<String, List<Input>> accountInputs = new LinkedHashMap<>();
  private final List<Rejected> rejections = new ArrayList<>();
  private Instant lastTick;
  private long published;

  /** Reads one published JSON line. */
  void publish(String line) {
    JsonNode node;
    try {
      node = JSON.readTree(line);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + line, e);
    }
    String type = node.get("type").asText();
    if (type.equals("ClockTick")) {
      tick(Instant.parse(node.get("at").asText()));
      return;
    }
    Event event = parse(type, node);
    if (event instanceof RateSet rate) {
      // Docs (event-catalogue, rejection codes): rates are checked by intake as they are read, so
      // a copy is recognised in publish order, whatever its effective time.
      if (!rateIds.add(rate.eventId())) {
        rejections.add(new Rejected("DUPLICATE_EVENT", rate.eventId()));
        return;
      }
      if (rate.bps() < RATE_FLOOR_BPS) {
        rejections.add(new Rejected("RATE_BELOW_MINIMUM", rate.eventId()));
      }
    }
    unreleased.add(new Read(published++, event));
  }

  private static Event parse(String type, JsonNode n) {
    String eventId = n.get("eventId").asText();
    return switch (type) {
      case "ClickRecorded" ->
          new Click(
              eventId,
              n.get("clickId").asText(),
              n.get("affiliateId").asText(),
              n.get("sessionId").asText(),
              instant(n, "occurredAt"));
      case "OrderPlaced" -> {
        List<Line> lines = new ArrayList<>();
        for (JsonNode line : n.get("lines")) {
          lines.add(new Line(line.get("category").asText(), line.get("amountCents").asLong()));
        }
        yield new Placed(
            eventId,
            n.get("orderId").asText(),
            n.hasNonNull("sessionId") ? n.get("sessionId").asText() : null,
            lines,
            instant(n, "occurredAt"));
      }
      case "OrderCompleted" -> lifecycle(LifecycleType.COMPLETED, eventId, n, 0);
      case "OrderCancelled" -> lifecycle(LifecycleType.CANCELLED, eventId, n, 0);
      case "OrderRefunded" ->
          lifecycle(LifecycleType.REFUNDED, eventId, n, n.get("refundCents").asLong());
      case "CommissionRateSet" ->
          new RateSet(
              eventId,
              n.get("category").asText(),
              n.get("rateBps").asInt(),
              instant(n, "effectiveFrom"));
      case "WithdrawalRequested" ->
          new Request(
              eventId,
              n.get("withdrawalId").asText(),
              n.get("affiliateId").asText(),
              n.hasNonNull("amountCents") ? n.get("amountCents").asLong() : null,
              n.get("bankAccount").get("iban").asText(),
              n.get("bankAccount").get("swift").asText(),
              instant(n, "occurredAt"));
      case "PayoutCompleted", "PayoutFailed" ->
          new Payout(
              eventId,
              n.get("withdrawalId").asText(),
              n.get("affiliateId").asText(),
              type.equals("PayoutCompleted"),
              instant(n, "occurredAt"));
      default -> throw new IllegalArgumentException("unknown type " + type);
    };
  }

  private static Lifecycle lifecycle(LifecycleType type, String eventId, JsonNode n, long cents) {
    return new Lifecycle(type, eventId, n.get("orderId").asText(), cents, instant(n, "occurredAt"));
  }

  private static Instant instant(JsonNode node, String field) {
    return Instant.parse(node.get(field).asText());
  }

  /**
   * A tick promises that everything before it was published: what was read before it is released,
   * each event ordered at its own time, or at the previous tick if that is later (a late event,
   * architecture.md "Late events"). A tick not newer than the last is ignored.
   */
  private void tick(Instant at) {
    if (lastTick != null && !at.isAfter(lastTick)) {
      return;
    }
    Instant previous = lastTick;
    lastTick = at;
    for (Read read : unreleased) {
      Instant time = read.event().at();
      release(read, previous != null && previous.isAfter(time) ? previous : time);
    }
    unreleased.clear();
  }

  private void release(Read read, Instant orderAt) {
    Event event = read.event();
    if (event instanceof Click click) {
      storeClick(click, orderAt);
    } else if (event instanceof RateSet rate) {
      // Docs (architecture.md "Late events"): a late rate applies from its ordering instant.
      // Docs silent: two rates of a category applying from the same instant; the one read last
      // wins, as the implementation keeps them in a map by (category, instant).
      Instant from = orderAt.isAfter(rate.at()) ? orderAt : rate.at();
      rates.computeIfAbsent(rate.category(), c -> new TreeMap<>()).put(from, rate.bps());
    } else if (event instanceof Placed placed) {
      input(
          orderInputs,
          placed.orderId(),
          new Input(orderAt, 0, placed.eventId(), read.seq(), placed));
    } else if (event instanceof Lifecycle e) {
      input(orderInputs, e.orderId(), new Input(orderAt, 1, e.eventId(), read.seq(), e));
    } else if (event instanceof Payout p) {
      input(accountInputs, p.affiliateId(), new Input(orderAt, 4, p.eventId(), read.seq(), p));
    } else if (event instanceof Request r) {
      input(accountInputs, r.affiliateId(), new Input(orderAt, 5, r.eventId(), read.seq(), r));
    }
  }

  private static void input(Map<String, List<Input>> inputs, String key, Input input) {
    inputs.computeIfAbsent(key, k -> new ArrayList<>()).add(input);
  }

  /**
   * A click is a copy if its session holds a click with the same event id ordered at most twice the
   * session TTL before it (architecture.md "Duplicates"); clicks are taken as they are released, in
   * publish order.
   */
  private void storeClick(Click click, Instant orderAt) {
    List<StoredClick> session = sessions.computeIfAbsent(click.sessionId(), s -> new ArrayList<>());
    Instant earliest = orderAt.minus(SESSION_TTL.multipliedBy(2));
    for (StoredClick known : session) {
      if (known.click().eventId().equals(click.eventId()) && !known.orderAt().isBefore(earliest)) {
        rejections.add(new Rejected("DUPLICATE_EVENT", click.eventId()));
        return;
      }
    }
    session.add(new StoredClick(click, orderAt));
  }

  // --- the fold, as of the last tick

  /**
   * Same instant (event-catalogue "Same instant"): an action due at an instant comes before the
   * inputs of that instant; inputs by priority (placement before an order's other events;
   * commission movements accrued, completed, cancelled, refunded; then payout results; then
   * withdrawal requests). Docs silent on ties within a priority: by id in the order of its UTF-8
   * bytes, then publish order, as the implementation's store keys sort.
   */
  private static final Comparator<Input> INPUT_ORDER =
      Comparator.comparing(Input::orderAt)
          .thenComparingInt(Input::priority)
          .thenComparing(Input::id, ContractModel::compareUtf8)
          .thenComparingLong(Input::seq);

  private static int compareUtf8(String a, String b) {
    return Arrays.compareUnsigned(
        a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  /** A scheduled action: a release, an orphan's expiry, a posting. */
  private record Action(Instant at, int kind, String id) {}

  private static final Comparator<Action> ACTION_ORDER =
      Comparator.comparing(Action::at)
          .thenComparingInt(Action::kind)
          .thenComparing(Action::id, ContractModel::compareUtf8);

  /** What the ledger holds once it has applied everything the last tick allows. */
  Outcome outcome() {
    List<Rejected> allRejections = new ArrayList<>(rejections);
    Map<String, OrderView> orders = new TreeMap<>();
    Map<String, List<Input>> movements = new LinkedHashMap<>();
    Map<String, List<Entry>> journal = new TreeMap<>();
    Map<String, Figures> balances = new TreeMap<>();
    Map<String, List<Decision>> decisions = new TreeMap<>();
    if (lastTick != null) {
      orderInputs.forEach(
          (orderId, inputs) -> {
            OrderFold fold = new OrderFold(orderId, allRejections, movements);
            fold.run(inputs, lastTick);
            if (fold.order != null) {
              orders.put(orderId, fold.order.view());
            }
          });
      Set<String> affiliates = new TreeSet<>(movements.keySet());
      affiliates.addAll(accountInputs.keySet());
      for (String affiliate : affiliates) {
        List<Input> inputs = new ArrayList<>(movements.getOrDefault(affiliate, List.of()));
        inputs.addAll(accountInputs.getOrDefault(affiliate, List.of()));
        AccountFold fold = new AccountFold(affiliate, allRejections);
        fold.run(inputs, lastTick);
        if (!fold.entries.isEmpty()) {
          journal.put(affiliate, fold.entries);
          balances.put(affiliate, fold.figures());
        }
        if (!fold.decisions.isEmpty()) {
          decisions.put(affiliate, fold.decisions);
        }
      }
    }
    return new Outcome(journal, balances, decisions, orders, allRejections);
  }

  /**
   * Applies inputs ordered before {@code limit} and actions due at or before it, in order; an
   * action scheduled by an input for an instant already passed runs before the next input.
   */
  private abstract static class Fold {
    final TreeSet<Action> actions = new TreeSet<>(ACTION_ORDER);

    void run(List<Input> all, Instant limit) {
      List<Input> inputs = new ArrayList<>();
      for (Input input : all) {
        if (input.orderAt().isBefore(limit)) {
          inputs.add(input);
        }
      }
      inputs.sort(INPUT_ORDER);
      int next = 0;
      while (true) {
        Input input = next < inputs.size() ? inputs.get(next) : null;
        Action action = actions.isEmpty() ? null : actions.first();
        if (action != null
            && !action.at().isAfter(limit)
            && (input == null || !action.at().isAfter(input.orderAt()))) {
          actions.remove(action);
          act(action);
          continue;
        }
        if (input == null) {
          return;
        }
        next++;
        apply(input);
      }
    }

    abstract void act(Action action);

    abstract void apply(Input input);
  }

  // --- orders

  private enum Status {
    PENDING,
    COMPLETED,
    CANCELLED
  }

  private static final class OrderState {
    Instant placedAt;
    Instant releaseAt;
    long amount;
    long commission;
    long reversed;
    long refunded;
    Status status = Status.PENDING;
    Instant completedAt;
    Instant closedAt;
    StoredClick click;
    List<PricedLine> lines;

    long remaining() {
      return commission - reversed;
    }

    OrderView view() {
      return new OrderView(
          status.name(),
          amount,
          commission,
          reversed,
          refunded,
          click == null ? null : click.click().affiliateId(),
          click == null ? null : click.click().clickId(),
          completedAt,
          closedAt,
          lines);
    }
  }

  private static final int RELEASE = 0;
  private static final int ORPHAN = 1;

  /** Movement kinds and their priority among the inputs of an account. */
  private enum MovementKind {
    ACCRUED,
    COMPLETED,
    CANCELLED,
    REFUNDED
  }

  private record Movement(
      MovementKind kind,
      String orderId,
      long cents,
      Instant effectiveAt,
      String cause,
      Instant completedAt) {}

  private final class OrderFold extends Fold {
    private final String orderId;
    private final List<Rejected> rejected;
    private final Map<String, List<Input>> movements;
    private final Set<String> known = new HashSet<>();
    private final List<Input> held = new ArrayList<>();
    OrderState order;

    OrderFold(String orderId, List<Rejected> rejected, Map<String, List<Input>> movements) {
      this.orderId = orderId;
      this.rejected = rejected;
      this.movements = movements;
    }

    @Override
    void apply(Input input) {
      String eventId = input.id();
      // Docs (architecture.md "Duplicates"): an order keeps the id of every event applied to it,
      // rejected for it or held for it; a copy is recognised when it is applied, in order.
      if (known.contains(eventId) || held.stream().anyMatch(h -> h.id().equals(eventId))) {
        rejected.add(new Rejected("DUPLICATE_EVENT", eventId));
        return;
      }
      if (input.body() instanceof Placed placed) {
        known.add(eventId);
        if (order != null) {
          rejected.add(new Rejected("ORDER_ALREADY_PLACED", eventId));
          return;
        }
        place(placed, input.orderAt());
        return;
      }
      if (order == null) {
        held.add(input);
        actions.add(orphanExpiry((Lifecycle) input.body()));
        return;
      }
      lifecycle((Lifecycle) input.body(), input.orderAt());
      known.add(eventId);
    }

    /** Docs silent on when the grace starts: the held event's own time, as implemented. */
    private Action orphanExpiry(Lifecycle e) {
      return new Action(e.at().plus(ORPHAN_GRACE), ORPHAN, orderId + "\u0000" + e.eventId());
    }

    @Override
    void act(Action action) {
      if (action.kind() == RELEASE) {
        release(action.at());
        return;
      }
      String eventId = action.id().substring(orderId.length() + 1);
      if (held.removeIf(h -> h.id().equals(eventId))) {
        rejected.add(new Rejected("ORDER_NOT_FOUND", eventId));
        known.add(eventId);
      }
    }

    private void place(Placed placed, Instant orderAt) {
      order = new OrderState();
      order.placedAt = placed.at();
      order.releaseAt = placed.at().plus(RELEASE_AFTER);
      order.click = placed.sessionId() == null ? null : attribute(placed, orderAt);
      order.lines = new ArrayList<>();
      long earned = 0;
      for (Line line : placed.lines()) {
        int bps = Math.max(RATE_FLOOR_BPS, rateAt(line.category(), placed.at()));
        long commission = halfEven(BigInteger.valueOf(line.amount()), bps, 10_000);
        order.lines.add(new PricedLine(line.category(), line.amount(), bps, commission));
        order.amount += line.amount();
        earned += commission;
      }
      // An unattributed order earns nothing (event-catalogue "Commission").
      order.commission = order.click == null ? 0 : earned;
      if (order.commission > 0) {
        move(MovementKind.ACCRUED, order.commission, placed.at(), placed.eventId(), null, orderAt);
      }
      actions.add(new Action(order.releaseAt, RELEASE, orderId));
      for (Input early : held) {
        Lifecycle e = (Lifecycle) early.body();
        actions.remove(orphanExpiry(e));
        lifecycle(e, orderAt);
        known.add(e.eventId());
      }
      held.clear();
    }

    /**
     * The last click of the session at or before the order's time, if at most the TTL older than
     * the order. Docs (architecture.md "Late events"): only clicks the ledger ordered at or before
     * the order, and not more than twice the TTL before it, count; of one millisecond, the greater
     * click id.
     */
    private StoredClick attribute(Placed placed, Instant orderAt) {
      StoredClick best = null;
      Instant earliest = orderAt.minus(SESSION_TTL.multipliedBy(2));
      for (StoredClick candidate : sessions.getOrDefault(placed.sessionId(), List.of())) {
        Click click = candidate.click();
        if (candidate.orderAt().isAfter(orderAt)
            || candidate.orderAt().isBefore(earliest)
            || click.at().isAfter(placed.at())) {
          continue;
        }
        if (best == null
            || click.at().isAfter(best.click().at())
            || (click.at().equals(best.click().at())
                && compareUtf8(click.clickId(), best.click().clickId()) > 0)) {
          best = candidate;
        }
      }
      if (best == null
          || Duration.between(best.click().at(), placed.at()).compareTo(SESSION_TTL) > 0) {
        return null;
      }
      return best;
    }

    private int rateAt(String category, Instant at) {
      TreeMap<Instant, Integer> byTime = rates.get(category);
      Map.Entry<Instant, Integer> rate = byTime == null ? null : byTime.floorEntry(at);
      return rate == null ? DEFAULT_RATE_BPS : rate.getValue();
    }

    private void lifecycle(Lifecycle e, Instant causeOrderAt) {
      // Docs: an event at or after placement + 60 days finds the order released.
      if (order.status == Status.PENDING && !e.at().isBefore(order.releaseAt)) {
        release(causeOrderAt);
      }
      // Docs: events of an order take effect no earlier than its placement.
      Instant at = e.at().isBefore(order.placedAt) ? order.placedAt : e.at();
      switch (e.type()) {
        case COMPLETED -> {
          if (order.status != Status.PENDING) {
            rejected.add(new Rejected(closedCode(), e.eventId()));
            return;
          }
          complete(at, e.eventId(), causeOrderAt);
        }
        case CANCELLED -> {
          if (order.status != Status.PENDING) {
            rejected.add(new Rejected(closedCode(), e.eventId()));
            return;
          }
          long remaining = order.remaining();
          order.reversed += remaining;
          order.status = Status.CANCELLED;
          order.closedAt = at;
          if (remaining > 0) {
            move(MovementKind.CANCELLED, remaining, at, e.eventId(), null, causeOrderAt);
          }
        }
        case REFUNDED -> {
          if (order.status == Status.CANCELLED) {
            rejected.add(new Rejected(closedCode(), e.eventId()));
            return;
          }
          long left = order.amount - order.refunded;
          if (e.refundCents() > left) {
            rejected.add(new Rejected("REFUND_EXCEEDS_ORDER", e.eventId()));
            return;
          }
          long reversal =
              e.refundCents() == left
                  ? order.remaining()
                  : Math.min(
                      halfEven(
                          BigInteger.valueOf(order.commission)
                              .multiply(BigInteger.valueOf(e.refundCents())),
                          1,
                          order.amount),
                      order.remaining());
          order.refunded += e.refundCents();
          order.reversed += reversal;
          if (reversal > 0) {
            move(MovementKind.REFUNDED, reversal, at, e.eventId(), order.completedAt, causeOrderAt);
          }
        }
      }
    }

    /** The 60-day rule, policy auto-complete (the default). */
    private void release(Instant causeOrderAt) {
      if (order == null || order.status != Status.PENDING) {
        return;
      }
      complete(order.releaseAt, "release:" + orderId, causeOrderAt);
    }

    private void complete(Instant at, String cause, Instant causeOrderAt) {
      long remaining = order.remaining();
      order.status = Status.COMPLETED;
      order.completedAt = at;
      if (remaining > 0) {
        move(MovementKind.COMPLETED, remaining, at, cause, at, causeOrderAt);
      }
    }

    private String closedCode() {
      return order.status == Status.COMPLETED ? "ORDER_ALREADY_COMPLETED" : "ORDER_CANCELLED";
    }

    /**
     * A commission movement for the affiliate's account, ordered at its effective time or at its
     * cause's ordering instant if that is later (architecture.md).
     */
    private void move(
        MovementKind kind,
        long cents,
        Instant effectiveAt,
        String cause,
        Instant completedAt,
        Instant causeOrderAt) {
      Movement movement = new Movement(kind, orderId, cents, effectiveAt, cause, completedAt);
      movements
          .computeIfAbsent(order.click.click().affiliateId(), a -> new ArrayList<>())
          .add(
              new Input(
                  causeOrderAt.isAfter(effectiveAt) ? causeOrderAt : effectiveAt,
                  kind.ordinal(),
                  kind.name() + ":" + cause,
                  -1,
                  movement));
    }
  }

  /** {@code numerator × multiplier / divisor}, rounded half to even, exactly. */
  private static long halfEven(BigInteger numerator, long multiplier, long divisor) {
    return new BigDecimal(numerator.multiply(BigInteger.valueOf(multiplier)))
        .divide(BigDecimal.valueOf(divisor), 0, RoundingMode.HALF_EVEN)
        .longValueExact();
  }

  // --- accounts

  private static long cycleOf(Instant at) {
    return Math.floorDiv(at.toEpochMilli() - CYCLE_EPOCH.toEpochMilli(), CYCLE.toMillis());
  }

  private static Instant cycleStart(long cycle) {
    return CYCLE_EPOCH.plus(CYCLE.multipliedBy(cycle));
  }

  /** Commission completed in cycle c reaches the balance at the close of cycle c+1. */
  private static Instant postingOf(long cycle) {
    return cycleStart(cycle + 2);
  }

  private enum WithdrawalStatus {
    ACCEPTED,
    REJECTED,
    PAID,
    FAILED
  }

  /** What an entry names: its causing event, effective time, order, withdrawal, cycle. */
  private record Cause(
      String eventId, Instant at, String orderId, String withdrawalId, Long cycle) {}

  /** A withdrawal as the account keeps it: every event id that named it, and its state. */
  private static final class WithdrawalRecord {
    final Set<String> eventIds = new HashSet<>();
    Decision state;
  }

  private final class AccountFold extends Fold {
    private final String affiliate;
    private final List<Rejected> rejected;
    final List<Entry> entries = new ArrayList<>();
    final List<Decision> decisions = new ArrayList<>();
    private final Map<String, WithdrawalRecord> withdrawals = new HashMap<>();
    private boolean open;
    private long pending;
    private final TreeMap<Long, Long> awaiting = new TreeMap<>();
    private long balance;
    private long withdrawn;
    private long fees;
    private long lastPosted = Long.MIN_VALUE;
    private Instant touchedAt;

    AccountFold(String affiliate, List<Rejected> rejected) {
      this.affiliate = affiliate;
      this.rejected = rejected;
    }

    private String mine(String figure) {
      return "affiliate:" + affiliate + ":" + figure;
    }

    Figures figures() {
      long awaitingTotal = awaiting.values().stream().mapToLong(Long::longValue).sum();
      // Docs silent on the next refresh with nothing awaiting: the implementation gives the next
      // cycle close after the account's latest change.
      Instant next =
          awaiting.isEmpty() ? cycleStart(cycleOf(touchedAt) + 1) : postingOf(awaiting.firstKey());
      return new Figures(pending, awaitingTotal, balance, withdrawn, fees, entries.size(), next);
    }

    @Override
    void act(Action action) {
      long cycle = Long.parseLong(action.id().substring(affiliate.length() + 1));
      Long amount = awaiting.remove(cycle);
      if (amount == null) {
        return;
      }
      boolean again = cycle <= lastPosted;
      balance += amount;
      lastPosted = Math.max(lastPosted, cycle);
      // Docs: entry id BALANCE_POSTED:<affiliate>:cycle-<n>, causing event cycle-close:<instant>.
      // Docs silent on a cycle posted a second time (completions that came late, after their
      // cycle was posted): the implementation adds ":after-<entries so far>".
      String id = affiliate + ":cycle-" + cycle + (again ? ":after-" + entries.size() : "");
      entry(
          "BALANCE_POSTED",
          id,
          mine("awaiting-refresh"),
          mine("balance"),
          amount,
          new Cause("cycle-close:" + action.at(), action.at(), null, null, cycle));
    }

    @Override
    void apply(Input input) {
      if (input.body() instanceof Movement m) {
        movement(m);
      } else if (input.body() instanceof Request r) {
        request(r);
      } else {
        payout((Payout) input.body());
      }
    }

    private void movement(Movement m) {
      open = true;
      switch (m.kind()) {
        case ACCRUED -> {
          pending += m.cents();
          entry("COMMISSION_ACCRUED", m.cause(), EXPENSE, mine("pending"), m.cents(), m, null);
        }
        case COMPLETED -> {
          long cycle = cycleOf(m.effectiveAt());
          pending -= m.cents();
          awaiting.merge(cycle, m.cents(), Long::sum);
          actions.add(new Action(postingOf(cycle), 0, affiliate + "\u0000" + cycle));
          entry(
              "COMMISSION_COMPLETED",
              m.cause(),
              mine("pending"),
              mine("awaiting-refresh"),
              m.cents(),
              m,
              cycle);
        }
        case CANCELLED -> {
          pending -= m.cents();
          entry("COMMISSION_CANCELLED", m.cause(), mine("pending"), EXPENSE, m.cents(), m, null);
        }
        case REFUNDED -> {
          // Where the commission is now: pending, awaiting refresh (its completion's cycle, not
          // posted yet) or the balance.
          String from;
          Long cycle = null;
          if (m.completedAt() == null) {
            from = mine("pending");
            pending -= m.cents();
          } else {
            long completedIn = cycleOf(m.completedAt());
            Long bucket = awaiting.get(completedIn);
            if (bucket != null && bucket >= m.cents()) {
              from = mine("awaiting-refresh");
              cycle = completedIn;
              if (bucket == m.cents()) {
                awaiting.remove(completedIn);
              } else {
                awaiting.put(completedIn, bucket - m.cents());
              }
            } else {
              from = mine("balance");
              balance -= m.cents();
            }
          }
          entry("COMMISSION_REFUNDED", m.cause(), from, EXPENSE, m.cents(), m, cycle);
        }
      }
    }

    private void request(Request r) {
      WithdrawalRecord record = withdrawals.get(r.withdrawalId());
      if (record != null && record.eventIds.contains(r.eventId())) {
        rejected.add(new Rejected("DUPLICATE_EVENT", r.eventId()));
        return;
      }
      if (record == null) {
        record = new WithdrawalRecord();
        withdrawals.put(r.withdrawalId(), record);
      }
      record.eventIds.add(r.eventId());
      String reason;
      if (record.state != null) {
        reason = "DUPLICATE_WITHDRAWAL";
      } else if (!validBankAccount(r.iban(), r.swift())) {
        reason = "INVALID_BANK_ACCOUNT";
      } else if (!open) {
        reason = "UNKNOWN_AFFILIATE";
        rejected.add(new Rejected("UNKNOWN_AFFILIATE", r.eventId()));
      } else if (balance <= WITHDRAWAL_MINIMUM_CENTS) {
        reason = "BALANCE_NOT_ABOVE_MINIMUM";
      } else if ((r.amount() == null ? balance : r.amount()) > balance) {
        reason = "AMOUNT_EXCEEDS_BALANCE";
      } else if ((r.amount() == null ? balance : r.amount()) <= WITHDRAWAL_FEE_CENTS) {
        reason = "AMOUNT_NOT_ABOVE_FEE";
      } else {
        reason = null;
      }
      long amount = r.amount() != null ? r.amount() : open ? balance : 0;
      long payout = Math.max(0, amount - WITHDRAWAL_FEE_CENTS);
      Decision decision =
          new Decision(
              r.withdrawalId(),
              reason == null ? "ACCEPTED" : "REJECTED",
              reason,
              r.amount(),
              amount,
              WITHDRAWAL_FEE_CENTS,
              payout,
              r.eventId(),
              r.at(),
              mask(r.iban()));
      decisions.add(decision);
      // Docs silent: a second request for a withdrawal id leaves the first decision standing.
      if (!"DUPLICATE_WITHDRAWAL".equals(reason)) {
        record.state = decision;
      }
      if (reason != null) {
        return;
      }
      balance -= amount;
      withdrawn += amount;
      fees += WITHDRAWAL_FEE_CENTS;
      withdrawalEntry("WITHDRAWAL_ACCEPTED", r, mine("balance"), PAYABLE, payout);
      withdrawalEntry("WITHDRAWAL_FEE", r, mine("balance"), FEE_REVENUE, WITHDRAWAL_FEE_CENTS);
    }

    private void payout(Payout p) {
      WithdrawalRecord record =
          withdrawals.computeIfAbsent(p.withdrawalId(), w -> new WithdrawalRecord());
      if (!record.eventIds.add(p.eventId())) {
        rejected.add(new Rejected("DUPLICATE_EVENT", p.eventId()));
        return;
      }
      Decision state = record.state;
      String problem =
          state == null
              ? "UNKNOWN_WITHDRAWAL"
              : switch (WithdrawalStatus.valueOf(state.status())) {
                case ACCEPTED -> null;
                case REJECTED -> "WITHDRAWAL_NOT_ACCEPTED";
                case PAID, FAILED -> "WITHDRAWAL_ALREADY_SETTLED";
              };
      if (problem != null) {
        rejected.add(new Rejected(problem, p.eventId()));
        return;
      }
      Decision settled =
          new Decision(
              state.withdrawalId(),
              p.paid() ? "PAID" : "FAILED",
              p.paid() ? null : "PAYOUT_FAILED",
              state.requested(),
              state.amount(),
              state.fee(),
              state.payout(),
              p.eventId(),
              p.at(),
              state.bankAccountMasked());
      record.state = settled;
      decisions.add(settled);
      if (p.paid()) {
        payoutEntry("PAYOUT_COMPLETED", p, PAYABLE, BANK, state.payout());
        return;
      }
      // A failed payout returns the whole amount, fee included.
      balance += state.amount();
      withdrawn -= state.amount();
      fees -= state.fee();
      payoutEntry("PAYOUT_FAILED", p, PAYABLE, mine("balance"), state.payout());
      payoutEntry("WITHDRAWAL_FEE_RETURNED", p, FEE_REVENUE, mine("balance"), state.fee());
    }

    private void withdrawalEntry(String kind, Request r, String debit, String credit, long cents) {
      entry(
          kind,
          r.eventId(),
          debit,
          credit,
          cents,
          new Cause(r.eventId(), r.at(), null, r.withdrawalId(), null));
    }

    private void payoutEntry(String kind, Payout p, String debit, String credit, long cents) {
      entry(
          kind,
          p.eventId(),
          debit,
          credit,
          cents,
          new Cause(p.eventId(), p.at(), null, p.withdrawalId(), null));
    }

    private void entry(
        String kind,
        String idCause,
        String debit,
        String credit,
        long cents,
        Movement m,
        Long cycle) {
      entry(
          kind,
          idCause,
          debit,
          credit,
          cents,
          new Cause(m.cause(), m.effectiveAt(), m.orderId(), null, cycle));
    }

    /**
     * Debits {@code debit} and credits {@code credit} with {@code cents}: entry id KIND:idCause.
     */
    private void entry(
        String kind, String idCause, String debit, String credit, long cents, Cause cause) {
      entries.add(
          new Entry(
              kind + ":" + idCause,
              kind,
              List.of(new Leg(debit, cents), new Leg(credit, -cents)),
              cause.eventId(),
              cause.at(),
              cause.orderId(),
              cause.withdrawalId(),
              cause.cycle()));
      touchedAt = cause.at();
    }
  }

  // --- bank accounts: IBAN (ISO 13616) and SWIFT/BIC (ISO 9362)

  private static final Pattern IBAN = Pattern.compile("[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}");
  private static final Pattern BIC = Pattern.compile("[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?");

  /**
   * Lengths of the countries the property test's histories use; docs silent on which registry, so
   * only these are checked (the implementation has the whole ISO 13616 list).
   */
  private static final Map<String, Integer> IBAN_LENGTH =
      Map.of("DE", 22, "GB", 22, "NL", 18, "FR", 27);

  static boolean validBankAccount(String iban, String swift) {
    String i = iban.replace(" ", "").toUpperCase(java.util.Locale.ROOT);
    if (!IBAN.matcher(i).matches()) {
      return false;
    }
    Integer length = IBAN_LENGTH.get(i.substring(0, 2));
    if (length != null && length != i.length()) {
      return false;
    }
    String moved = i.substring(4) + i.substring(0, 4);
    int remainder = 0;
    for (char c : moved.toCharArray()) {
      int value = Character.isDigit(c) ? c - '0' : c - 'A' + 10;
      remainder = (value < 10 ? remainder * 10 : remainder * 100) + value;
      remainder %= 97;
    }
    return remainder == 1
        && BIC.matcher(swift.replace(" ", "").toUpperCase(java.util.Locale.ROOT)).matches();
  }

  private static String mask(String iban) {
    String i = iban.replace(" ", "").toUpperCase(java.util.Locale.ROOT);
    return i.length() <= 4 ? "****" : "****" + i.substring(i.length() - 4);
  }
}
