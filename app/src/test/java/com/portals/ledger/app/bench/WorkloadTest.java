package com.portals.ledger.app.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.portals.ledger.app.bench.Workload.Item;
import com.portals.ledger.app.bench.Workload.Kind;
import com.portals.ledger.app.bench.Workload.Tick;
import com.portals.ledger.schemas.json.EventJson;
import com.portals.ledger.schemas.json.EventJson.Parsed;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkloadTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration SPAN = Duration.ofDays(120);
  private static final Duration HOUR = Duration.ofHours(1);

  private static Workload workload(long events, long seed) {
    return Workload.history(events, seed, 6000, SPAN, HOUR);
  }

  private static List<Item> all(Workload workload) {
    List<Item> items = new ArrayList<>();
    workload.items().forEachRemaining(items::add);
    return items;
  }

  private static List<BenchEvent> events(Workload workload) {
    List<BenchEvent> events = new ArrayList<>();
    workload
        .items()
        .forEachRemaining(
            item -> {
              if (item instanceof BenchEvent event) {
                events.add(event);
              }
            });
    return events;
  }

  @Test
  void shouldGiveTheSameLinesForTheSameSeedAndOthersForAnother() {
    List<String> first = new ArrayList<>();
    List<String> again = new ArrayList<>();
    List<String> other = new ArrayList<>();
    workload(3000, 7).lines().forEachRemaining(first::add);
    workload(3000, 7).lines().forEachRemaining(again::add);
    workload(3000, 8).lines().forEachRemaining(other::add);

    assertThat(again).isEqualTo(first);
    assertThat(other).isNotEqualTo(first);
  }

  @Test
  void shouldHoldExactlyTheEventsAskedForInTheProportionsOfAffiliateTraffic() {
    Workload.Summary summary = workload(100_000, 2026).summarise();
    Map<Kind, Long> counts = summary.counts();
    double total = summary.events();

    assertThat(summary.events()).isEqualTo(100_000);
    assertThat(counts.get(Kind.RATE_SET)).isEqualTo(4);
    assertThat(counts.get(Kind.CLICK) / total).isBetween(0.70, 0.74);
    assertThat(counts.get(Kind.ORDER_PLACED) / total).isBetween(0.14, 0.16);
    assertThat(counts.get(Kind.ORDER_COMPLETED) / total).isBetween(0.09, 0.11);
    assertThat((counts.get(Kind.ORDER_CANCELLED) + counts.get(Kind.ORDER_REFUNDED)) / total)
        .isBetween(0.015, 0.025);
    assertThat(counts.get(Kind.ORDER_CANCELLED)).isPositive();
    assertThat(counts.get(Kind.ORDER_REFUNDED)).isPositive();
    assertThat(counts.get(Kind.WITHDRAWAL_REQUESTED) / total).isBetween(0.007, 0.013);
    assertThat(summary.openOrders()).as("orders left open").isPositive();
    assertThat(summary.expectations().expected())
        .isEqualTo(summary.events() - counts.get(Kind.CLICK) - counts.get(Kind.RATE_SET));
  }

  @Test
  void shouldSpreadEventTimeOverTheSpanStrictlyIncreasing() {
    Workload.Summary summary = workload(20_000, 3).summarise();
    Instant previous = Instant.MIN;
    for (BenchEvent event : events(workload(20_000, 3))) {
      assertThat(event.at()).isAfter(previous);
      previous = event.at();
    }

    assertThat(summary.firstEvent()).isEqualTo(Workload.START);
    assertThat(summary.lastEvent())
        .isBetween(
            Workload.START.plus(SPAN).minus(Duration.ofDays(6)),
            Workload.START.plus(SPAN).plus(Duration.ofDays(6)));
  }

  @Test
  void shouldTickAtEveryIntervalAndOnceAfterTheLastEvent() {
    List<Item> items = all(Workload.history(5000, 5, 100, Duration.ofDays(10), HOUR));
    Instant nextTick = Workload.START.plus(HOUR);
    Instant lastEvent = Instant.MIN;
    int ticks = 0;
    for (Item item : items.subList(0, items.size() - 1)) {
      if (item instanceof Tick tick) {
        assertThat(tick.at()).isEqualTo(nextTick).isAfter(lastEvent);
        nextTick = nextTick.plus(HOUR);
        ticks++;
      } else {
        // Every tick at or before an event comes before it.
        lastEvent = ((BenchEvent) item).at();
        assertThat(lastEvent).isBefore(nextTick);
      }
    }

    assertThat(items.get(items.size() - 1)).isEqualTo(new Tick(lastEvent.plusMillis(1)));
    // Ten days is short next to the 30 days completions may take: some fall after the end, and the
    // events take a little longer than the span to add up.
    assertThat(ticks).isBetween(230, 300);
  }

  @Test
  void shouldPlaceEveryOrderInTheSessionOfAClickShortlyBefore() throws Exception {
    Map<String, Instant> clickOfSession = new HashMap<>();
    Map<String, Instant> placed = new HashMap<>();
    int orders = 0;
    for (BenchEvent event : events(workload(10_000, 11))) {
      JsonNode json = JSON.readTree(event.json());
      switch (event.kind()) {
        case CLICK -> clickOfSession.put(json.get("sessionId").textValue(), event.at());
        case ORDER_PLACED -> {
          Instant click = clickOfSession.get(json.get("sessionId").textValue());
          assertThat(click).as("click of " + event.eventId()).isNotNull();
          assertThat(Duration.between(click, event.at()))
              .isBetween(Duration.ofMinutes(1), Duration.ofHours(2));
          assertThat(json.get("lines").size()).isBetween(1, 3);
          placed.put(event.orderId(), event.at());
          orders++;
        }
        case ORDER_COMPLETED -> {
          Duration after = Duration.between(placed.get(event.orderId()), event.at());
          assertThat(after).isBetween(Duration.ofDays(1), Duration.ofDays(30));
        }
        case ORDER_CANCELLED, ORDER_REFUNDED ->
            assertThat(placed.get(event.orderId()))
                .as("placement of " + event.orderId())
                .isNotNull()
                .isBefore(event.at());
        default -> {}
      }
    }
    assertThat(orders).isGreaterThan(1000);
  }

  @Test
  void shouldRequestWithdrawalsOnlyForAffiliatesWithAnOrderAlready() throws Exception {
    Set<String> withOrders = new HashSet<>();
    Map<String, String> affiliateOfSession = new HashMap<>();
    int withdrawals = 0;
    for (BenchEvent event : events(workload(20_000, 23))) {
      JsonNode json = JSON.readTree(event.json());
      switch (event.kind()) {
        case CLICK ->
            affiliateOfSession.put(
                json.get("sessionId").textValue(), json.get("affiliateId").textValue());
        case ORDER_PLACED ->
            withOrders.add(affiliateOfSession.get(json.get("sessionId").textValue()));
        case WITHDRAWAL_REQUESTED -> {
          assertThat(withOrders).contains(json.get("affiliateId").textValue());
          assertThat(event.at()).isAfterOrEqualTo(Workload.START.plus(Duration.ofDays(35)));
          withdrawals++;
        }
        default -> {}
      }
    }
    assertThat(withdrawals).isGreaterThan(100);
  }

  @Test
  void shouldSkewTheTrafficTowardsAFewAffiliates() throws Exception {
    Map<String, Integer> clicks = new HashMap<>();
    for (BenchEvent event : events(workload(50_000, 13))) {
      if (event.kind() == Kind.CLICK) {
        clicks.merge(JSON.readTree(event.json()).get("affiliateId").textValue(), 1, Integer::sum);
      }
    }
    List<Integer> sorted = clicks.values().stream().sorted((a, b) -> b - a).toList();
    int total = sorted.stream().mapToInt(Integer::intValue).sum();
    int top60 = sorted.subList(0, 60).stream().mapToInt(Integer::intValue).sum();

    assertThat(clicks).as("thousands of affiliates get clicks").hasSizeGreaterThan(2000);
    assertThat((double) top60 / total).as("1% of the affiliates").isBetween(0.40, 0.60);
    assertThat((double) sorted.get(0) / total).as("the most popular").isBetween(0.08, 0.14);
  }

  @Test
  void shouldWriteValidContractEventsWithIdsThatNameTheirRank() {
    Set<String> ids = new HashSet<>();
    long rank = 0;
    for (Iterator<Item> items = workload(5000, 17).items(); items.hasNext(); ) {
      Item item = items.next();
      EventJson.Result result = EventJson.parse(item.json());
      assertThat(result).as(item.json()).isInstanceOf(Parsed.class);
      Parsed parsed = (Parsed) result;
      if (item instanceof BenchEvent event) {
        rank++;
        assertThat(event.number()).isEqualTo(rank);
        assertThat(parsed.eventId()).isEqualTo(event.eventId());
        assertThat(parsed.timestamp()).isEqualTo(event.at());
        assertThat(ids.add(event.eventId())).as("unique id " + event.eventId()).isTrue();
        assertThat(Expectations.parseAfter("bench-17-e", event.eventId())).isEqualTo(rank);
      } else {
        assertThat(parsed.toEveryPartition()).isTrue();
      }
    }
  }

  @Test
  void shouldGiveTheLiveWorkloadIdsOfItsOwnAndNoTicksOrRates() {
    Workload live = Workload.live(2000, 17, 6000, SPAN);
    List<Item> items = all(live);

    assertThat(items)
        .hasSize(2000)
        .allSatisfy(item -> assertThat(item).isInstanceOf(BenchEvent.class));
    assertThat(items).extracting(item -> ((BenchEvent) item).kind()).doesNotContain(Kind.RATE_SET);
    BenchEvent first = (BenchEvent) items.get(0);
    assertThat(first.eventId()).startsWith("bench-17-live-e");
    assertThat(first.json(Instant.parse("2026-12-01T10:00:00Z")))
        .contains("\"occurredAt\":\"2026-12-01T10:00:00Z\"");
  }

  @Test
  void shouldWriteTheLinesToAFileForLedgerPublish(@TempDir Path dir) throws Exception {
    Workload workload = Workload.history(500, 19, 100, Duration.ofDays(5), HOUR);
    Path file = dir.resolve("events.jsonl");

    long written = workload.write(file);

    List<String> expected = new ArrayList<>();
    workload.lines().forEachRemaining(expected::add);
    assertThat(Files.readAllLines(file)).isEqualTo(expected).hasSize((int) written);
  }

  @Test
  void shouldRefuseNonsense() {
    assertThatThrownBy(() -> workload(0, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Workload.history(10, 1, 0, SPAN, HOUR))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Workload.history(10, 1, 10, Duration.ZERO, HOUR))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
