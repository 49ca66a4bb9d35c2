package com.portals.ledger.app.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.portals.ledger.app.runtime.PeriodicTask;
import com.portals.ledger.avro.ledger.Balance;
import com.portals.ledger.avro.ledger.WithdrawalDecision;
import com.portals.ledger.avro.ledger.WithdrawalStatus;
import com.portals.ledger.schemas.clients.KafkaClients;
import com.portals.ledger.schemas.publish.EventPublisher;
import com.portals.ledger.schemas.publish.EventPublisher.Report;
import com.portals.ledger.schemas.serde.AvroSerde;
import com.portals.ledger.schemas.serde.LedgerSerdes;
import com.portals.ledger.schemas.topics.Topics;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ledger run --simulate}: realistic affiliate traffic on an accelerated clock, so that a
 * newcomer sees balances move. Every wall-clock second, simulated time advances by {@code speed}
 * seconds; the simulator publishes the clicks, orders, completions, cancellations, refunds and
 * withdrawal requests that fall into that span, then a tick at the new simulated time.
 *
 * <p>Affiliates {@code sim-aff-1} to {@code sim-aff-300}, the low numbers far more popular than the
 * high ones (a cubic skew: the first 30 get about half of the clicks), each click with a tracking
 * id and the sub-ids {@code af}, {@code cn}, {@code cv}, {@code dp}. Three orders in ten clicks; of
 * the orders, 80% complete within a month (6% of those then partly refunded), 12% are cancelled,
 * the rest wait for the 60-day release. Like an affiliate watching its balance, it reads {@code
 * ledger.balances} and asks, within a few simulated days, for a withdrawal by each affiliate whose
 * balance is above the minimum (the whole balance, or a part of it); now and then an affiliate
 * whose balance is not asks anyway, to show a rejection. Like a payment system, it answers each
 * accepted simulated withdrawal with a payout two simulated days later, one in ten failing.
 *
 * <p>It is an upstream system like any other: it publishes through {@link EventPublisher} and never
 * touches the ledger's state. Its events carry ids of their own ({@code sim-<run>-<n>}).
 */
public final class TrafficSimulator implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(TrafficSimulator.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String[] CATEGORIES = {"electronics", "fashion", "home", "toys"};
  private static final int[] CATEGORY_RATES_BPS = {900, 1000, 800, 1200};
  private static final String[] PROMOTION_TYPES = {
    "TEXT_LINK", "BANNER", "DATA_FEED", "PRODUCT_LINK", "API", "OTHER"
  };
  private static final String[] IBANS = {
    "DE89370400440532013000", "GB29NWBK60161331926819", "FR1420041010050500013M02606"
  };
  private static final String[] TRACKING_IDS = {"blog", "social", "newsletter", "video", "coupons"};

  /** Affiliates {@code sim-aff-1} to {@code sim-aff-AFFILIATES}. */
  public static final int AFFILIATES = 300;

  private static final String AFFILIATE_PREFIX = "sim-aff-";

  private static final double CLICKS_PER_SIMULATED_HOUR = 120;

  /** An affiliate with a balance above the minimum asks for it within about this long. */
  private static final Duration WITHDRAWAL_DELAY = Duration.ofDays(3);

  /** About this often, an affiliate whose balance is not above the minimum asks anyway. */
  private static final Duration HOPELESS_REQUEST_EVERY = Duration.ofDays(7);

  private final EventPublisher publisher;
  private final Consumer<String, byte[]> ledger;
  private final AvroSerde<WithdrawalDecision> decisionSerde =
      LedgerSerdes.singleObject().serde(WithdrawalDecision.class);
  private final AvroSerde<Balance> balanceSerde = LedgerSerdes.singleObject().serde(Balance.class);
  private final long minimumCents;
  private final long feeCents;

  /** Each affiliate's withdrawable balance, as last seen on {@code ledger.balances}. */
  private final Map<String, Long> balances = new TreeMap<>();

  /** Affiliates with a withdrawal request the ledger has not decided yet, and its id. */
  private final Map<String, String> asking = new HashMap<>();

  private final AtomicLong published = new AtomicLong();
  private final Random random;
  private final long speed;
  private final String run = UUID.randomUUID().toString().substring(0, 8);
  private final PriorityQueue<Scheduled> future =
      new PriorityQueue<>(Comparator.comparing(Scheduled::at));
  private PeriodicTask task;
  private Instant now;
  private long sequence;

  private record Scheduled(Instant at, ObjectNode event) {}

  TrafficSimulator(
      EventPublisher publisher,
      Consumer<String, byte[]> ledger,
      Instant start,
      long speed,
      long seed,
      long minimumCents,
      long feeCents) {
    this.publisher = publisher;
    this.ledger = ledger;
    this.now = start.truncatedTo(ChronoUnit.SECONDS);
    this.speed = speed;
    this.random = new Random(seed);
    this.minimumCents = minimumCents;
    this.feeCents = feeCents;
  }

  /**
   * Starts simulating from {@code start}, {@code speed} simulated seconds per wall-clock second,
   * with the ledger's withdrawal minimum and fee (cents). It reads the ledger's balances and
   * withdrawal decisions through {@code clients}.
   */
  public static TrafficSimulator start(
      EventPublisher publisher,
      KafkaClients clients,
      Instant start,
      long speed,
      long seed,
      long minimumCents,
      long feeCents) {
    if (speed < 1) {
      throw new IllegalArgumentException("simulation speed must be at least 1, got " + speed);
    }
    Map<String, Object> config =
        clients.readCommittedConsumer("ledger-simulator-" + UUID.randomUUID(), "latest");
    KafkaConsumer<String, byte[]> ledger =
        new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    ledger.subscribe(List.of(Topics.WITHDRAWAL_DECISIONS.name(), Topics.BALANCES.name()));
    TrafficSimulator simulator =
        new TrafficSimulator(publisher, ledger, start, speed, seed, minimumCents, feeCents);
    simulator.publish(simulator.rates());
    simulator.task =
        PeriodicTask.start(
            "ledger-simulator", Duration.ofSeconds(1), Duration.ofSeconds(1), simulator::step);
    return simulator;
  }

  /** Simulated time so far. */
  public synchronized Instant now() {
    return now;
  }

  /** One wall-clock second: the events of the next {@code speed} simulated seconds, then a tick. */
  synchronized List<String> advance() {
    Instant until = now.plusSeconds(speed);
    List<String> lines = new ArrayList<>();
    double hours = speed / 3600.0;
    int clicks = poisson(CLICKS_PER_SIMULATED_HOUR * hours * AFFILIATES);
    for (int i = 0; i < clicks; i++) {
      visit(now.plusMillis((long) (random.nextDouble() * speed * 1000)));
    }
    withdrawals(hours);
    while (!future.isEmpty() && !future.peek().at().isAfter(until)) {
      lines.add(future.poll().event().toString());
    }
    now = until;
    lines.add(
        JSON.createObjectNode().put("type", "ClockTick").put("at", now.toString()).toString());
    return lines;
  }

  private void step() {
    try {
      readLedger();
      publish(advance());
    } catch (RuntimeException e) {
      log.warn("simulation step failed: {}", e.toString());
    }
  }

  /** Reads the balances and withdrawal decisions the ledger wrote since the last step. */
  private void readLedger() {
    for (ConsumerRecord<String, byte[]> record : ledger.poll(Duration.ZERO)) {
      if (record.topic().equals(Topics.BALANCES.name())) {
        observe(balanceSerde.deserialize(record.topic(), record.value()));
      } else {
        observe(decisionSerde.deserialize(record.topic(), record.value()));
      }
    }
  }

  /**
   * An affiliate's balance as the ledger reports it; only simulated affiliates' count (the
   * simulator never asks on behalf of an affiliate of a real upstream system).
   */
  synchronized void observe(Balance balance) {
    if (balance.getAffiliateId().startsWith(AFFILIATE_PREFIX)) {
      balances.put(balance.getAffiliateId(), balance.getBalanceCents());
    }
  }

  /**
   * A withdrawal decision: the affiliate may ask again; an accepted simulated withdrawal is paid
   * out two simulated days later, one in ten failing.
   */
  synchronized void observe(WithdrawalDecision decision) {
    if (!decision.getWithdrawalId().startsWith("sim-")) {
      return;
    }
    asking.remove(decision.getAffiliateId(), decision.getWithdrawalId());
    if (decision.getStatus() != WithdrawalStatus.ACCEPTED) {
      return;
    }
    Instant due = decision.getDecidedAt().plus(Duration.ofDays(2));
    Instant at = due.isAfter(now) ? due : now.plusSeconds(1);
    ObjectNode result =
        random.nextInt(10) == 0
            ? event("PayoutFailed", at).put("reason", "account closed")
            : event("PayoutCompleted", at);
    schedule(
        at,
        result
            .put("withdrawalId", decision.getWithdrawalId())
            .put("affiliateId", decision.getAffiliateId()));
  }

  /**
   * Over {@code hours} simulated hours: each affiliate whose balance is above the minimum and who
   * is not already waiting for a decision asks with the chance of doing so within {@link
   * #WITHDRAWAL_DELAY}; and, about once per {@link #HOPELESS_REQUEST_EVERY}, one whose balance is
   * not asks for US$20 anyway.
   */
  private void withdrawals(double hours) {
    double ask = 1 - Math.exp(-hours / WITHDRAWAL_DELAY.toHours());
    for (Map.Entry<String, Long> balance : balances.entrySet()) {
      long cents = balance.getValue();
      if (cents > minimumCents
          && cents > feeCents
          && !asking.containsKey(balance.getKey())
          && random.nextDouble() < ask) {
        // Mostly the whole balance (no amount), else a part of it that still exceeds the fee.
        Long amount =
            random.nextInt(10) < 7 ? null : feeCents + 1 + random.nextLong(cents - feeCents);
        withdrawal(now.plusSeconds(random.nextLong(speed)), balance.getKey(), amount);
      }
    }
    if (random.nextDouble() < 1 - Math.exp(-hours / HOPELESS_REQUEST_EVERY.toHours())) {
      String affiliate = affiliate();
      if (balances.getOrDefault(affiliate, 0L) <= minimumCents && !asking.containsKey(affiliate)) {
        withdrawal(now.plusSeconds(random.nextLong(speed)), affiliate, 2000L);
      }
    }
  }

  /** Events published so far (ticks included). */
  public long published() {
    return published.get();
  }

  private void publish(List<String> lines) {
    Report report = publisher.publish(lines);
    published.addAndGet(report.accepted());
    report.rejected().forEach(r -> log.warn("simulated event rejected: {}", r.reason()));
  }

  private List<String> rates() {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < CATEGORIES.length; i++) {
      lines.add(
          JSON.createObjectNode()
              .put("type", "CommissionRateSet")
              .put("eventId", "sim-rate-" + CATEGORIES[i] + "-" + now)
              .put("category", CATEGORIES[i])
              .put("rateBps", CATEGORY_RATES_BPS[i])
              .put("effectiveFrom", now.toString())
              .toString());
    }
    return lines;
  }

  /** A visitor clicks an affiliate link; some of them buy, some of those orders go on. */
  private void visit(Instant clickAt) {
    String session = "sim-" + run + "-s" + (++sequence);
    String affiliate = affiliate();
    ObjectNode click =
        event("ClickRecorded", clickAt)
            .put("clickId", id())
            .put("affiliateId", affiliate)
            .put("trackingId", TRACKING_IDS[random.nextInt(TRACKING_IDS.length)])
            .put("sessionId", session)
            .put("af", "sub" + random.nextInt(5))
            .put("cn", "campaign-" + random.nextInt(3))
            .put("cv", "creative-" + random.nextInt(4))
            .put("dp", "page-" + random.nextInt(10))
            .put("promotionType", PROMOTION_TYPES[random.nextInt(PROMOTION_TYPES.length)])
            .put("productId", "p-" + random.nextInt(500));
    schedule(clickAt, click);
    if (random.nextDouble() < 0.3) {
      order(clickAt.plusSeconds(60 + random.nextInt(2 * 3600)), session);
    }
  }

  /** An affiliate, the low numbers far more often than the high ones. */
  private String affiliate() {
    return AFFILIATE_PREFIX + (1 + (int) (AFFILIATES * Math.pow(random.nextDouble(), 3)));
  }

  private void order(Instant placedAt, String session) {
    String orderId = "sim-" + run + "-o" + (++sequence);
    ObjectNode placed =
        event("OrderPlaced", placedAt)
            .put("orderId", orderId)
            .put("sessionId", session)
            .put("buyerId", "buyer-" + random.nextInt(10_000));
    ArrayNode lines = placed.putArray("lines");
    int lineCount = 1 + random.nextInt(3);
    long total = 0;
    for (int i = 0; i < lineCount; i++) {
      long amount = 500 + random.nextInt(20_000);
      total += amount;
      lines
          .addObject()
          .put("productId", "p-" + random.nextInt(500))
          .put("category", CATEGORIES[random.nextInt(CATEGORIES.length)])
          .put("amountCents", amount)
          .put("quantity", 1);
    }
    schedule(placedAt, placed);
    double fate = random.nextDouble();
    if (fate < 0.80) {
      Instant completedAt = placedAt.plus(Duration.ofHours(24 + random.nextInt(24 * 30)));
      schedule(completedAt, event("OrderCompleted", completedAt).put("orderId", orderId));
      if (random.nextDouble() < 0.06) {
        Instant refundedAt = completedAt.plus(Duration.ofHours(1 + random.nextInt(24 * 10)));
        schedule(
            refundedAt,
            event("OrderRefunded", refundedAt)
                .put("orderId", orderId)
                .put("refundCents", 1 + random.nextLong(total)));
      }
    } else if (fate < 0.92) {
      Instant cancelledAt = placedAt.plus(Duration.ofHours(1 + random.nextInt(24 * 5)));
      schedule(
          cancelledAt,
          event("OrderCancelled", cancelledAt).put("orderId", orderId).put("reason", "buyer"));
    }
    // The remaining orders are never completed nor cancelled: the 60-day release handles them.
  }

  private void withdrawal(Instant requestedAt, String affiliate, Long amountCents) {
    String withdrawalId = "sim-" + run + "-w" + (++sequence);
    ObjectNode requested =
        event("WithdrawalRequested", requestedAt)
            .put("withdrawalId", withdrawalId)
            .put("affiliateId", affiliate);
    if (amountCents != null) {
      requested.put("amountCents", amountCents);
    }
    asking.put(affiliate, withdrawalId);
    requested
        .putObject("bankAccount")
        .put("iban", IBANS[random.nextInt(IBANS.length)])
        .put("swift", "COBADEFFXXX")
        .put("holder", "Affiliate " + affiliate);
    schedule(requestedAt, requested);
  }

  private ObjectNode event(String type, Instant at) {
    return JSON.createObjectNode()
        .put("type", type)
        .put("eventId", id())
        .put("occurredAt", at.truncatedTo(ChronoUnit.MILLIS).toString());
  }

  private String id() {
    return "sim-" + run + "-" + (++sequence);
  }

  private void schedule(Instant at, ObjectNode event) {
    future.add(new Scheduled(at, event));
  }

  private int poisson(double mean) {
    double limit = Math.exp(-Math.min(mean, 500));
    double product = random.nextDouble();
    int count = 0;
    while (product > limit) {
      product *= random.nextDouble();
      count++;
    }
    return count;
  }

  @Override
  public void close() {
    task.close();
    ledger.close(CloseOptions.timeout(Duration.ofSeconds(5)));
  }
}
