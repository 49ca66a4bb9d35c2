package com.portals.ledger.app.publish;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.portals.ledger.testkit.ContractExamples;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * A file for measuring {@code ledger publish}: JSON lines of realistic traffic, the same for the
 * same seed and size. Four commission rates, then events spread evenly over {@link #SPAN} of event
 * time: 72% clicks, 15% orders placed (in the session of an earlier click), 10% completions, 2%
 * refunds and cancellations, 1% withdrawal requests, over {@link #AFFILIATES} affiliates (a few get
 * most of the traffic), with a {@code ClockTick} line at every whole hour of event time.
 *
 * <pre>{@code
 * java -cp app/target/test-classes:testkit/target/classes:app/target/ledger-app.jar:'app/target/lib/*' \
 *     com.portals.ledger.app.publish.PublishWorkload events.jsonl 1000000
 * }</pre>
 */
public final class PublishWorkload {

  /** Event time of the first line. */
  public static final Instant START = Instant.parse("2026-01-05T00:00:00Z");

  /** Event time the lines are spread over. */
  public static final Duration SPAN = Duration.ofDays(120);

  /** Affiliates the clicks are spread over. */
  public static final int AFFILIATES = 5_000;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] CATEGORIES = {"electronics", "fashion", "home", "toys"};

  private final Map<String, ObjectNode> examples = new HashMap<>();
  private final Random random;
  private final long seed;
  private final List<String[]> recentClicks = new ArrayList<>();
  private final Deque<String> openOrders = new ArrayDeque<>();
  private final List<String> completedOrders = new ArrayList<>();
  private long sequence;

  private PublishWorkload(long seed) {
    this.random = new Random(seed);
    this.seed = seed;
  }

  /** Writes {@code lines} lines (events and ticks) for {@code seed} to {@code file}. */
  public static void write(Path file, int lines, long seed) {
    try (BufferedWriter writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      new PublishWorkload(seed)
          .generate(
              lines,
              line -> {
                try {
                  writer.write(line);
                  writer.newLine();
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The lines, in memory. */
  public static List<String> lines(int lines, long seed) {
    List<String> out = new ArrayList<>(lines);
    new PublishWorkload(seed).generate(lines, out::add);
    return out;
  }

  public static void main(String[] args) {
    if (args.length < 2) {
      System.err.println("usage: PublishWorkload FILE LINES [SEED]");
      System.exit(2);
    }
    write(
        Path.of(args[0]),
        Integer.parseInt(args[1]),
        args.length > 2 ? Long.parseLong(args[2]) : 2026L);
  }

  private void generate(int lines, Consumer<String> out) {
    int written = 0;
    for (int i = 0; i < CATEGORIES.length && written < lines; i++, written++) {
      out.accept(
          event("CommissionRateSet")
              .put("category", CATEGORIES[i])
              .put("rateBps", 800 + 100 * i)
              .put("effectiveFrom", START.toString())
              .toString());
    }
    long ticks = SPAN.toHours();
    long events = Math.max(1, lines - written - ticks);
    double gapMillis = (double) SPAN.toMillis() / events;
    Instant nextTick = START.plus(Duration.ofHours(1));
    for (long i = 0; written < lines; i++) {
      Instant at = START.plusMillis(1 + (long) (i * gapMillis));
      while (!at.isBefore(nextTick) && written < lines) {
        out.accept(
            JSON.createObjectNode()
                .put("type", "ClockTick")
                .put("at", nextTick.toString())
                .toString());
        written++;
        nextTick = nextTick.plus(1, ChronoUnit.HOURS);
      }
      if (written < lines) {
        out.accept(event(at).toString());
        written++;
      }
    }
  }

  private ObjectNode event(Instant at) {
    double kind = random.nextDouble();
    ObjectNode event;
    if (kind < 0.72 || recentClicks.isEmpty()) {
      event = click();
    } else if (kind < 0.87) {
      event = placed();
    } else if (kind < 0.97 && !openOrders.isEmpty()) {
      String orderId = openOrders.poll();
      completedOrders.add(orderId);
      event = event("OrderCompleted").put("orderId", orderId);
    } else if (kind < 0.98 && !completedOrders.isEmpty()) {
      String orderId = completedOrders.get(random.nextInt(completedOrders.size()));
      event =
          event("OrderRefunded")
              .put("orderId", orderId)
              .put("refundCents", 100 + random.nextInt(5_000));
    } else if (kind < 0.99 && !openOrders.isEmpty()) {
      event = event("OrderCancelled").put("orderId", openOrders.pollLast()).put("reason", "buyer");
    } else {
      event = withdrawal();
    }
    return event.put("occurredAt", at.toString());
  }

  private ObjectNode click() {
    String session = id("s");
    String affiliate = affiliate();
    String[] click = {session, affiliate};
    if (recentClicks.size() < 1_000) {
      recentClicks.add(click);
    } else {
      recentClicks.set(random.nextInt(recentClicks.size()), click);
    }
    return event("ClickRecorded")
        .put("clickId", id("k"))
        .put("affiliateId", affiliate)
        .put("sessionId", session)
        .put("productId", "p-" + random.nextInt(500));
  }

  private ObjectNode placed() {
    String[] click = recentClicks.get(random.nextInt(recentClicks.size()));
    String orderId = id("o");
    openOrders.addLast(orderId);
    ObjectNode placed =
        event("OrderPlaced")
            .put("orderId", orderId)
            .put("sessionId", click[0])
            .put("buyerId", "buyer-" + random.nextInt(50_000));
    ObjectNode line = (ObjectNode) placed.get("lines").get(0);
    line.put("category", CATEGORIES[random.nextInt(CATEGORIES.length)])
        .put("amountCents", 500L + random.nextInt(20_000));
    return placed;
  }

  private ObjectNode withdrawal() {
    return event("WithdrawalRequested")
        .put("withdrawalId", id("w"))
        .put("affiliateId", affiliate())
        .put("amountCents", 1_000 + random.nextInt(40_000));
  }

  /** Affiliates 1 to {@link #AFFILIATES}, the first ones far more often than the last. */
  private String affiliate() {
    double r = random.nextDouble();
    return String.format(Locale.ROOT, "aff-%04d", 1 + (int) (AFFILIATES * r * r));
  }

  /** The contract's example of {@code type}, with an event id of its own. */
  private ObjectNode event(String type) {
    ObjectNode example =
        examples.computeIfAbsent(
            type,
            t -> {
              try {
                return (ObjectNode) JSON.readTree(ContractExamples.of(t));
              } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
              }
            });
    return example.deepCopy().put("eventId", id("e"));
  }

  private String id(String kind) {
    return "pw-" + seed + "-" + kind + (++sequence);
  }
}
