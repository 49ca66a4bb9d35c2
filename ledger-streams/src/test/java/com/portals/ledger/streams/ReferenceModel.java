package com.portals.ledger.streams;

import com.portals.ledger.avro.events.ClickRecorded;
import com.portals.ledger.avro.events.ClockTick;
import com.portals.ledger.avro.events.CommissionRateSet;
import com.portals.ledger.avro.events.OrderCancelled;
import com.portals.ledger.avro.events.OrderCompleted;
import com.portals.ledger.avro.events.OrderEvent;
import com.portals.ledger.avro.events.OrderPlaced;
import com.portals.ledger.avro.events.OrderRefunded;
import com.portals.ledger.avro.events.PayoutCompleted;
import com.portals.ledger.avro.events.PayoutFailed;
import com.portals.ledger.avro.events.WithdrawalEvent;
import com.portals.ledger.avro.events.WithdrawalRequested;
import com.portals.ledger.domain.account.Account;
import com.portals.ledger.domain.account.AccountBook;
import com.portals.ledger.domain.account.AccountBook.WithdrawalOutcome;
import com.portals.ledger.domain.account.Withdrawal;
import com.portals.ledger.domain.account.WithdrawalRequest;
import com.portals.ledger.domain.attribution.Attribution;
import com.portals.ledger.domain.attribution.Click;
import com.portals.ledger.domain.journal.JournalEntry;
import com.portals.ledger.domain.money.Money;
import com.portals.ledger.domain.money.Rate;
import com.portals.ledger.domain.order.CommissionMovement;
import com.portals.ledger.domain.order.Order;
import com.portals.ledger.domain.order.OrderLifecycle;
import com.portals.ledger.domain.order.OrderLifecycle.Outcome;
import com.portals.ledger.domain.order.OrderStatus;
import com.portals.ledger.domain.order.RateBook;
import com.portals.ledger.domain.rules.LedgerRules;
import com.portals.ledger.schemas.json.EventJson;
import com.portals.ledger.schemas.json.EventJson.Parsed;
import com.portals.ledger.streams.mapping.Mapping;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;

/**
 * The ledger as a plain in-memory fold: the same domain rules as the topology, but none of its
 * machinery (no stages, repartitions, watermarks per source, stores or serdes). Events are taken in
 * publish order to find duplicates (clicks within their session, see {@link #publishClick}); then,
 * as of the latest tick, every order and every account is folded on its own in event-time order:
 * inputs strictly before the tick, scheduled actions (60-day release, orphan expiry, balance
 * posting) at or before it, an action before the inputs of its own instant, and inputs of the same
 * instant by priority, then id.
 *
 * <p>Property tests require the topology to produce exactly what this produces.
 */
public final class ReferenceModel {

  /** A rejection as the model sees it: reason code and event id. */
  public record Rejected(String code, String eventId) {}

  /** What the ledger should hold after the latest tick. */
  public record Result(
      Map<String, List<JournalEntry>> journal,
      Map<String, Account> accounts,
      Map<String, List<Withdrawal>> decisions,
      List<Rejected> rejections,
      Map<String, Order> orders) {}

  private final LedgerRules rules;
  private final OrderLifecycle lifecycle;
  private final AccountBook book;
  private final Set<String> seen = new HashSet<>();
  private final Map<String, List<Click>> clicksBySession = new HashMap<>();
  private final Map<String, List<OrderedClick>> orderedClicks = new HashMap<>();
  private final Map<String, TreeMap<Instant, Rate>> rates = new HashMap<>();
  private final Map<String, List<Object>> orderEvents = new LinkedHashMap<>();
  private final Map<String, List<Object>> withdrawalEvents = new LinkedHashMap<>();
  private final List<Rejected> publishRejections = new ArrayList<>();
  private final List<Duplicate> duplicates = new ArrayList<>();
  private Instant watermark;

  public ReferenceModel(LedgerRules rules) {
    this.rules = rules;
    this.lifecycle = new OrderLifecycle(rules);
    this.book = new AccountBook(rules);
  }

  /** Takes one published line. */
  public void publish(String line) {
    Parsed parsed = (Parsed) EventJson.parse(line);
    Object event = parsed.value();
    if (event instanceof OrderEvent envelope) {
      event = envelope.getEvent();
    } else if (event instanceof WithdrawalEvent envelope) {
      event = envelope.getEvent();
    }
    if (event instanceof ClockTick tick) {
      if (watermark == null || tick.getAt().isAfter(watermark)) {
        watermark = tick.getAt();
      }
      return;
    }
    if (event instanceof ClickRecorded click) {
      publishClick(click);
      return;
    }
    if (!seen.add(parsed.eventId())) {
      if (event instanceof CommissionRateSet) {
        publishRejections.add(new Rejected("DUPLICATE_EVENT", parsed.eventId()));
      } else {
        // Found when the ledger applies it, in order: once its time has passed.
        Instant time = parsed.timestamp();
        duplicates.add(
            new Duplicate(
                parsed.eventId(), watermark != null && watermark.isAfter(time) ? watermark : time));
      }
      return;
    }
    if (event instanceof CommissionRateSet rate) {
      if (rate.getRateBps() < Rate.MINIMUM.basisPoints()) {
        publishRejections.add(new Rejected("RATE_BELOW_MINIMUM", rate.getEventId()));
      }
      rates
          .computeIfAbsent(rate.getCategory(), c -> new TreeMap<>())
          .put(rate.getEffectiveFrom(), Rate.bps(rate.getRateBps()));
    } else if (event instanceof OrderPlaced placed) {
      orderEvents.computeIfAbsent(placed.getOrderId(), o -> new ArrayList<>()).add(placed);
    } else if (event instanceof OrderCompleted e) {
      orderEvents.computeIfAbsent(e.getOrderId(), o -> new ArrayList<>()).add(e);
    } else if (event instanceof OrderCancelled e) {
      orderEvents.computeIfAbsent(e.getOrderId(), o -> new ArrayList<>()).add(e);
    } else if (event instanceof OrderRefunded e) {
      orderEvents.computeIfAbsent(e.getOrderId(), o -> new ArrayList<>()).add(e);
    } else if (event instanceof WithdrawalRequested e) {
      withdrawalEvents.computeIfAbsent(e.getAffiliateId(), a -> new ArrayList<>()).add(e);
    } else if (event instanceof PayoutCompleted e) {
      withdrawalEvents.computeIfAbsent(e.getAffiliateId(), a -> new ArrayList<>()).add(e);
    } else if (event instanceof PayoutFailed e) {
      withdrawalEvents.computeIfAbsent(e.getAffiliateId(), a -> new ArrayList<>()).add(e);
    }
  }

  /**
   * A click is a duplicate if its session holds a click with the same event id that the ledger
   * ordered at most twice the session TTL before this one: the ledger keeps a session's clicks that
   * long, and recognises duplicates within them. A click is ordered at its own time, or at the
   * latest tick published before it if that is later (it came late).
   */
  private void publishClick(ClickRecorded click) {
    Instant orderAt =
        watermark != null && watermark.isAfter(click.getOccurredAt())
            ? watermark
            : click.getOccurredAt();
    Instant earliest = orderAt.minus(rules.sessionTtl()).minus(rules.sessionTtl());
    List<OrderedClick> session =
        orderedClicks.computeIfAbsent(click.getSessionId(), s -> new ArrayList<>());
    for (OrderedClick known : session) {
      if (known.eventId().equals(click.getEventId()) && !known.orderAt().isBefore(earliest)) {
        publishRejections.add(new Rejected("DUPLICATE_EVENT", click.getEventId()));
        return;
      }
    }
    session.add(new OrderedClick(click.getEventId(), orderAt));
    clicksBySession
        .computeIfAbsent(click.getSessionId(), s -> new ArrayList<>())
        .add(Mapping.click(click));
  }

  private record OrderedClick(String eventId, Instant orderAt) {}

  /** A duplicate of an order or withdrawal event, and the instant the ledger orders it at. */
  private record Duplicate(String eventId, Instant orderAt) {}

  /** The ledger as of the latest tick. */
  public Result result() {
    List<Rejected> rejections = new ArrayList<>(publishRejections);
    for (Duplicate duplicate : duplicates) {
      if (watermark != null && duplicate.orderAt().isBefore(watermark)) {
        rejections.add(new Rejected("DUPLICATE_EVENT", duplicate.eventId()));
      }
    }
    Map<String, Order> orders = new LinkedHashMap<>();
    Map<String, List<Movement>> movements = new HashMap<>();
    if (watermark != null) {
      orderEvents.forEach((orderId, events) -> foldOrder(events, orders, movements, rejections));
    }
    Map<String, List<JournalEntry>> journal = new LinkedHashMap<>();
    Map<String, Account> accounts = new LinkedHashMap<>();
    Map<String, List<Withdrawal>> decisions = new LinkedHashMap<>();
    Set<String> affiliates = new HashSet<>(movements.keySet());
    affiliates.addAll(withdrawalEvents.keySet());
    if (watermark != null) {
      for (String affiliate : affiliates) {
        foldAccount(
            affiliate,
            movements.getOrDefault(affiliate, List.of()),
            withdrawalEvents.getOrDefault(affiliate, List.of()),
            journal,
            accounts,
            decisions,
            rejections);
      }
    }
    return new Result(journal, accounts, decisions, rejections, orders);
  }

  // --- orders

  private record Input(Instant time, int priority, String id, Object event) {}

  private static final Comparator<Input> INPUT_ORDER =
      Comparator.comparing(Input::time)
          .thenComparingInt(Input::priority)
          .thenComparing(Input::id, ReferenceModel::compareUtf8);

  private static int compareUtf8(String a, String b) {
    return Arrays.compareUnsigned(
        a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  /** A commission movement, with the ordering keys of the account it goes to. */
  private record Movement(CommissionMovement movement) {}

  private void foldOrder(
      List<Object> events,
      Map<String, Order> orders,
      Map<String, List<Movement>> movements,
      List<Rejected> rejections) {
    List<Input> inputs = new ArrayList<>();
    for (Object event : events) {
      Instant time = com.portals.ledger.streams.stage.Events.timeOf(event);
      if (time.isBefore(watermark)) {
        inputs.add(
            new Input(
                time,
                event instanceof OrderPlaced ? 0 : 1,
                com.portals.ledger.streams.stage.Events.idOf(event),
                event));
      }
    }
    inputs.sort(INPUT_ORDER);
    Order order = null;
    List<Input> held = new ArrayList<>();
    Map<String, Instant> orphanDeadlines = new HashMap<>();
    int next = 0;
    while (true) {
      Input input = next < inputs.size() ? inputs.get(next) : null;
      Instant release =
          order != null
                  && order.status() == OrderStatus.PENDING
                  && !order.releaseAt().isAfter(watermark)
              ? order.releaseAt()
              : null;
      Map.Entry<String, Instant> orphan =
          orphanDeadlines.entrySet().stream()
              .filter(e -> !e.getValue().isAfter(watermark))
              .min(
                  Map.Entry.<String, Instant>comparingByValue()
                      .thenComparing(Map.Entry.comparingByKey(ReferenceModel::compareUtf8)))
              .orElse(null);
      Instant action = release;
      if (orphan != null && (action == null || orphan.getValue().isBefore(action))) {
        action = orphan.getValue();
      }
      if (input == null && action == null) {
        break;
      }
      if (action != null && (input == null || !action.isAfter(input.time()))) {
        if (release != null && release.equals(action)) {
          Outcome outcome = lifecycle.release(order);
          order = outcome.order();
          collect(outcome, movements);
        } else {
          String eventId = orphan.getKey();
          orphanDeadlines.remove(eventId);
          held.removeIf(h -> h.id().equals(eventId));
          rejections.add(new Rejected("ORDER_NOT_FOUND", eventId));
        }
        continue;
      }
      next++;
      if (input.event() instanceof OrderPlaced placed) {
        if (order != null) {
          rejections.add(new Rejected("ORDER_ALREADY_PLACED", placed.getEventId()));
          continue;
        }
        Click click =
            placed.getSessionId() == null
                ? null
                : Attribution.attribute(
                        clicksBySession.getOrDefault(placed.getSessionId(), List.of()),
                        placed.getOccurredAt(),
                        rules.sessionTtl())
                    .orElse(null);
        Outcome outcome =
            lifecycle.place(
                placed.getOrderId(),
                placed.getEventId(),
                placed.getOccurredAt(),
                Mapping.lines(placed),
                click,
                rateBook());
        order = outcome.order();
        collect(outcome, movements);
        for (Input early : held) {
          orphanDeadlines.remove(early.id());
          order = applyLifecycle(order, early, movements, rejections);
        }
        held.clear();
      } else if (order == null) {
        held.add(input);
        orphanDeadlines.put(input.id(), input.time().plus(rules.orphanGrace()));
      } else {
        order = applyLifecycle(order, input, movements, rejections);
      }
    }
    if (order != null) {
      orders.put(order.orderId(), order);
    }
  }

  private Order applyLifecycle(
      Order order, Input input, Map<String, List<Movement>> movements, List<Rejected> rejections) {
    Outcome outcome;
    if (input.event() instanceof OrderCompleted e) {
      outcome = lifecycle.complete(order, e.getEventId(), input.time());
    } else if (input.event() instanceof OrderCancelled e) {
      outcome = lifecycle.cancel(order, e.getEventId(), input.time());
    } else {
      OrderRefunded e = (OrderRefunded) input.event();
      outcome =
          lifecycle.refund(order, e.getEventId(), Money.cents(e.getRefundCents()), input.time());
    }
    if (outcome.isRejected()) {
      rejections.add(new Rejected(outcome.rejected().code(), input.id()));
    }
    collect(outcome, movements);
    return outcome.order();
  }

  private static void collect(Outcome outcome, Map<String, List<Movement>> movements) {
    for (CommissionMovement m : outcome.movements()) {
      movements.computeIfAbsent(m.affiliateId(), a -> new ArrayList<>()).add(new Movement(m));
    }
  }

  private RateBook rateBook() {
    return (category, at) ->
        Optional.ofNullable(rates.get(category))
            .map(byTime -> byTime.floorEntry(at))
            .map(Map.Entry::getValue);
  }

  // --- accounts

  private void foldAccount(
      String affiliate,
      List<Movement> movements,
      List<Object> events,
      Map<String, List<JournalEntry>> journal,
      Map<String, Account> accounts,
      Map<String, List<Withdrawal>> decisions,
      List<Rejected> rejections) {
    List<Input> inputs = new ArrayList<>();
    for (Movement m : movements) {
      CommissionMovement cm = m.movement();
      if (cm.effectiveAt().isBefore(watermark)) {
        int priority =
            switch (cm.kind()) {
              case ACCRUED -> 0;
              case COMPLETED -> 1;
              case CANCELLED, EXPIRED -> 2;
              case REFUNDED -> 3;
            };
        inputs.add(new Input(cm.effectiveAt(), priority, cm.kind() + ":" + cm.cause(), cm));
      }
    }
    for (Object event : events) {
      Instant time = com.portals.ledger.streams.stage.Events.timeOf(event);
      if (time.isBefore(watermark)) {
        inputs.add(
            new Input(
                time,
                event instanceof WithdrawalRequested ? 5 : 4,
                com.portals.ledger.streams.stage.Events.idOf(event),
                event));
      }
    }
    inputs.sort(INPUT_ORDER);
    Account account = null;
    Map<String, Withdrawal> withdrawals = new HashMap<>();
    PriorityQueue<Long> dueCycles = new PriorityQueue<>();
    List<JournalEntry> entries = new ArrayList<>();
    List<Withdrawal> decided = new ArrayList<>();
    int next = 0;
    while (true) {
      Input input = next < inputs.size() ? inputs.get(next) : null;
      Long cycle = dueCycles.peek();
      Instant posting = cycle == null ? null : rules.calendar().postingInstantOfCycle(cycle);
      if (posting != null && posting.isAfter(watermark)) {
        posting = null;
      }
      if (input == null && posting == null) {
        break;
      }
      if (posting != null && (input == null || !posting.isAfter(input.time()))) {
        dueCycles.poll();
        AccountBook.Outcome outcome = book.post(account, cycle);
        account = outcome.account();
        entries.addAll(outcome.entries());
        continue;
      }
      next++;
      if (input.event() instanceof CommissionMovement movement) {
        AccountBook.Outcome outcome =
            book.apply(account == null ? Account.open(affiliate) : account, movement);
        account = outcome.account();
        entries.addAll(outcome.entries());
        if (movement.kind() == CommissionMovement.Kind.COMPLETED) {
          long completedCycle = rules.calendar().cycleOf(movement.effectiveAt());
          if (!dueCycles.contains(completedCycle)) {
            dueCycles.add(completedCycle);
          }
        }
      } else if (input.event() instanceof WithdrawalRequested request) {
        WithdrawalOutcome outcome =
            book.request(
                account,
                withdrawals.get(request.getWithdrawalId()),
                new WithdrawalRequest(
                    request.getEventId(),
                    request.getWithdrawalId(),
                    affiliate,
                    request.getAmountCents() == null ? null : Money.cents(request.getAmountCents()),
                    request.getBankAccount().getIban(),
                    request.getBankAccount().getSwift(),
                    request.getBankAccount().getHolder(),
                    request.getOccurredAt()));
        account = conclude(outcome, account, withdrawals, entries, decided);
        if (Withdrawal.UNKNOWN_AFFILIATE.equals(outcome.decision().reasonCode())) {
          rejections.add(new Rejected(Withdrawal.UNKNOWN_AFFILIATE, request.getEventId()));
        }
      } else if (input.event() instanceof PayoutCompleted paid) {
        WithdrawalOutcome outcome =
            book.payoutCompleted(
                account,
                withdrawals.get(paid.getWithdrawalId()),
                paid.getWithdrawalId(),
                paid.getEventId(),
                paid.getOccurredAt());
        account =
            settle(outcome, paid.getEventId(), account, withdrawals, entries, decided, rejections);
      } else {
        PayoutFailed failed = (PayoutFailed) input.event();
        WithdrawalOutcome outcome =
            book.payoutFailed(
                account,
                withdrawals.get(failed.getWithdrawalId()),
                failed.getWithdrawalId(),
                failed.getEventId(),
                failed.getReason(),
                failed.getOccurredAt());
        account =
            settle(
                outcome, failed.getEventId(), account, withdrawals, entries, decided, rejections);
      }
    }
    if (!entries.isEmpty()) {
      journal.put(affiliate, entries);
    }
    if (account != null) {
      accounts.put(affiliate, account);
    }
    if (!decided.isEmpty()) {
      decisions.put(affiliate, decided);
    }
  }

  private static Account settle(
      WithdrawalOutcome outcome,
      String eventId,
      Account account,
      Map<String, Withdrawal> withdrawals,
      List<JournalEntry> entries,
      List<Withdrawal> decided,
      List<Rejected> rejections) {
    if (outcome.rejected() != null) {
      rejections.add(new Rejected(outcome.rejected().code(), eventId));
      return account;
    }
    return conclude(outcome, account, withdrawals, entries, decided);
  }

  private static Account conclude(
      WithdrawalOutcome outcome,
      Account account,
      Map<String, Withdrawal> withdrawals,
      List<JournalEntry> entries,
      List<Withdrawal> decided) {
    if (outcome.withdrawal() != null) {
      withdrawals.put(outcome.withdrawal().withdrawalId(), outcome.withdrawal());
    }
    if (outcome.decision() != null) {
      decided.add(outcome.decision());
    }
    entries.addAll(outcome.entries());
    return outcome.account() != null ? outcome.account() : account;
  }
}
