package com.portals.ledger.app.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.portals.ledger.app.runtime.PeriodicTask;
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
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.UUID;
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
  private static final int AFFILIATES = 12;
  private static final double CLICKS_PER_SIMULATED_HOUR = 6;

  private final EventPublisher publisher;
  private final Consumer<String, byte[]> decisions;
  private final AvroSerde<WithdrawalDecision> decisionSerde =
      LedgerSerdes.singleObject().serde(WithdrawalDecision.class);
  private final Random random;
  private final long speed;
  private final String run = UUID.randomUUID().toString().substring(0, 8);
  private final PriorityQueue<Scheduled> future =
      new PriorityQueue<>(Comparator.comparing(Scheduled::at));
  private PeriodicTask task;
  private Instant now;
  private long sequence;

  private record Scheduled(Instant at, ObjectNode event) {}

  private TrafficSimulator(
      EventPublisher publisher,
      Consumer<String, byte[]> decisions,
      Instant start,
      long speed,
      long seed) {
    this.publisher = publisher;
    this.decisions = decisions;
    this.now = start.truncatedTo(ChronoUnit.SECONDS);
    this.speed = speed;
    this.random = new Random(seed);
  }

  /**
   * Starts simulating from {@code start}, {@code speed} simulated seconds per wall-clock second.
   * Like a payment system, it reads the ledger's withdrawal decisions on {@code bootstrapServers}
   * and answers each accepted simulated withdrawal with a payout result two simulated days later.
   */
  public static TrafficSimulator start(
      EventPublisher publisher, KafkaClients clients, Instant start, long speed, long seed) {
    if (speed < 1) {
      throw new IllegalArgumentException("simulation speed must be at least 1, got " + speed);
    }
    Map<String, Object> config =
        clients.readCommittedConsumer("ledger-simulator-" + UUID.randomUUID(), "latest");
    KafkaConsumer<String, byte[]> decisions =
        new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    decisions.subscribe(List.of(Topics.WITHDRAWAL_DECISIONS.name()));
    TrafficSimulator simulator = new TrafficSimulator(publisher, decisions, start, speed, seed);
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
      answerAcceptedWithdrawals();
      publish(advance());
    } catch (RuntimeException e) {
      log.warn("simulation step failed: {}", e.toString());
    }
  }

  /** Pays out accepted simulated withdrawals, one in ten of them failing, two days later. */
  private void answerAcceptedWithdrawals() {
    for (ConsumerRecord<String, byte[]> record : decisions.poll(Duration.ZERO)) {
      WithdrawalDecision decision = decisionSerde.deserialize(record.topic(), record.value());
      if (decision.getStatus() != WithdrawalStatus.ACCEPTED
          || !decision.getWithdrawalId().startsWith("sim-")) {
        continue;
      }
      synchronized (this) {
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
    }
  }

  private void publish(List<String> lines) {
    Report report = publisher.publish(lines);
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
    String affiliate = "sim-aff-" + (1 + random.nextInt(AFFILIATES));
    ObjectNode click =
        event("ClickRecorded", clickAt)
            .put("clickId", id())
            .put("affiliateId", affiliate)
            .put("trackingId", random.nextBoolean() ? "blog" : "social")
            .put("sessionId", session)
            .put("af", "sub" + random.nextInt(5))
            .put("cn", "campaign-" + random.nextInt(3))
            .put("promotionType", PROMOTION_TYPES[random.nextInt(PROMOTION_TYPES.length)])
            .put("productId", "p-" + random.nextInt(500));
    schedule(clickAt, click);
    if (random.nextDouble() < 0.3) {
      order(clickAt.plusSeconds(60 + random.nextInt(2 * 3600)), session);
    }
    if (random.nextDouble() < 0.01) {
      withdrawal(clickAt.plus(Duration.ofDays(random.nextInt(3))), affiliate);
    }
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

  private void withdrawal(Instant requestedAt, String affiliate) {
    ObjectNode requested =
        event("WithdrawalRequested", requestedAt)
            .put("withdrawalId", "sim-" + run + "-w" + (++sequence))
            .put("affiliateId", affiliate);
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
    decisions.close(CloseOptions.timeout(Duration.ofSeconds(5)));
  }
}
