package com.portals.ledger.app.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.portals.ledger.app.bench.BenchWorkload.Batch;
import com.portals.ledger.app.bench.BenchWorkload.Event;
import com.portals.ledger.app.bench.BenchWorkload.Kind;
import com.portals.ledger.schemas.json.EventJson;
import com.portals.ledger.schemas.json.EventJson.Parsed;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BenchWorkloadTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static List<Event> all(BenchWorkload workload) {
    List<Event> events = new ArrayList<>();
    workload.batches().forEach(batch -> events.addAll(batch.events()));
    return events;
  }

  @Test
  void shouldGiveTheSameEventsForTheSameSeedAndOthersForAnother() {
    List<Event> first = all(BenchWorkload.generate(3000, 7, 250));
    List<Event> again = all(BenchWorkload.generate(3000, 7, 250));
    List<Event> other = all(BenchWorkload.generate(3000, 8, 250));

    assertThat(again).isEqualTo(first);
    assertThat(other.stream().map(Event::json).toList())
        .isNotEqualTo(first.stream().map(Event::json).toList());
  }

  @Test
  void shouldHoldExactlyTheEventsAskedForInBatchesOfTheGivenSize() {
    BenchWorkload workload = BenchWorkload.generate(1234, 1, 100);

    assertThat(workload.eventCount()).isEqualTo(1234);
    assertThat(workload.batches()).hasSize(13);
    assertThat(workload.batches().subList(0, 12))
        .allSatisfy(b -> assertThat(b.events()).hasSize(100));
    assertThat(workload.batches().get(12).events()).hasSize(34);
    assertThat(workload.countsByKind().values().stream().mapToInt(Integer::intValue).sum())
        .isEqualTo(1234);
  }

  @Test
  void shouldHoldEveryKindOfEventInARealisticMix() {
    Map<Kind, Integer> counts = BenchWorkload.generate(20_000, 2026, 500).countsByKind();

    assertThat(counts.get(Kind.RATE_SET)).isEqualTo(4);
    assertThat(counts.get(Kind.CLICK)).isBetween(11_000, 14_000);
    assertThat(counts.get(Kind.ORDER_PLACED)).isBetween(3_000, 4_500);
    assertThat(counts.get(Kind.ORDER_COMPLETED)).isBetween(2_000, 3_500);
    assertThat(counts.get(Kind.ORDER_CANCELLED)).isBetween(300, 700);
    assertThat(counts.get(Kind.ORDER_REFUNDED)).isBetween(80, 300);
    assertThat(counts.get(Kind.WITHDRAWAL_REQUESTED)).isBetween(50, 200);
  }

  @Test
  void shouldMoveEventTimeStrictlyForwardSoThatEachTickReleasesExactlyItsBatch() {
    BenchWorkload workload = BenchWorkload.generate(5000, 3, 300);

    Instant previous = Instant.MIN;
    Instant previousTick = Instant.MIN;
    for (Batch batch : workload.batches()) {
      for (Event event : batch.events()) {
        assertThat(event.at()).isAfter(previous).isAfterOrEqualTo(previousTick);
        previous = event.at();
      }
      assertThat(batch.tickAt()).isEqualTo(previous.plusMillis(1));
      previousTick = batch.tickAt();
    }
    assertThat(workload.batches().get(0).events().get(0).at()).isEqualTo(BenchWorkload.START);
    assertThat(workload.end())
        .isBetween(
            BenchWorkload.START.plus(BenchWorkload.SPAN).minus(Duration.ofDays(10)),
            BenchWorkload.START.plus(BenchWorkload.SPAN).plus(Duration.ofDays(10)));
  }

  @Test
  void shouldWriteValidContractEventsKeyedAndTimedAsTheContractSays() {
    BenchWorkload workload = BenchWorkload.generate(3000, 11, 200);
    Set<String> ids = new HashSet<>();
    List<Event> events = new ArrayList<>(all(workload));
    events.addAll(workload.warmUp().events());

    for (Event event : events) {
      EventJson.Result result = EventJson.parse(event.json());
      assertThat(result).as(event.json()).isInstanceOf(Parsed.class);
      Parsed parsed = (Parsed) result;
      assertThat(parsed.eventId()).isEqualTo(event.eventId());
      assertThat(parsed.timestamp()).isEqualTo(event.at());
      assertThat(ids.add(event.eventId())).as("unique id " + event.eventId()).isTrue();
    }
  }

  @Test
  void shouldAttributeEveryOrderToAClickOfItsSessionShortlyBefore() throws Exception {
    List<Event> events = all(BenchWorkload.generate(4000, 5, 500));
    Map<String, Instant> clickOfSession = new HashMap<>();
    Map<String, Instant> placed = new HashMap<>();
    for (Event event : events) {
      JsonNode json = JSON.readTree(event.json());
      switch (event.kind()) {
        case CLICK -> clickOfSession.put(json.get("sessionId").textValue(), event.at());
        case ORDER_PLACED -> {
          Instant click = clickOfSession.get(json.get("sessionId").textValue());
          assertThat(click).as("click of " + event.eventId()).isNotNull();
          assertThat(Duration.between(click, event.at()))
              .isBetween(Duration.ofMinutes(1), Duration.ofHours(2).plusMinutes(1));
          assertThat(json.get("lines").size()).isBetween(1, 3);
          placed.put(event.orderId(), event.at());
        }
        case ORDER_COMPLETED, ORDER_CANCELLED, ORDER_REFUNDED ->
            assertThat(placed.get(event.orderId()))
                .as("placement of " + event.orderId())
                .isNotNull()
                .isBefore(event.at());
        default -> {}
      }
    }
  }

  @Test
  void shouldPlaceTheWarmUpBeforeEveryMeasuredEvent() {
    BenchWorkload workload = BenchWorkload.generate(500, 9, 100);
    Batch warmUp = workload.warmUp();

    assertThat(warmUp.index()).isEqualTo(-1);
    assertThat(warmUp.events())
        .extracting(Event::kind)
        .containsExactly(Kind.CLICK, Kind.ORDER_PLACED);
    assertThat(warmUp.tickAt()).isAfter(warmUp.events().get(1).at()).isBefore(BenchWorkload.START);
    assertThat(warmUp.events().get(0).json()).contains(BenchWorkload.WARM_UP_AFFILIATE);
    assertThat(warmUp.events().get(1).json()).contains("\"sessionId\":\"bench-9-warmup-s\"");
  }

  @Test
  void shouldRefuseNonsense() {
    assertThatThrownBy(() -> BenchWorkload.generate(0, 1, 10))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> BenchWorkload.generate(10, 1, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
