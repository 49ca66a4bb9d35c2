package com.portals.ledger.app.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.portals.ledger.avro.ledger.Balance;
import com.portals.ledger.avro.ledger.WithdrawalDecision;
import com.portals.ledger.avro.ledger.WithdrawalStatus;
import com.portals.ledger.schemas.json.EventJson;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the simulator publishes, step by step, without a broker: its mix and its withdrawals. */
class TrafficSimulatorTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant START = Instant.parse("2026-03-02T00:00:00Z");
  private static final long HOUR = 3600;

  private static TrafficSimulator simulator(long seed) {
    return new TrafficSimulator(null, null, START, HOUR, seed, 1600, 1500);
  }

  /** The events of {@code steps} simulated hours. */
  private static List<JsonNode> run(TrafficSimulator simulator, int steps) throws Exception {
    List<JsonNode> events = new ArrayList<>();
    for (int i = 0; i < steps; i++) {
      for (String line : simulator.advance()) {
        events.add(JSON.readTree(line));
      }
    }
    return events;
  }

  private static List<JsonNode> ofType(List<JsonNode> events, String type) {
    return events.stream().filter(e -> e.path("type").asText().equals(type)).toList();
  }

  @Test
  void shouldPublishOnlyValidEventsOfThePublicContract() throws Exception {
    TrafficSimulator simulator = simulator(3);
    simulator.observe(balance("sim-aff-1", 10_000));
    for (int i = 0; i < 24 * 3; i++) {
      for (String line : simulator.advance()) {
        assertThat(EventJson.parse(line)).as(line).isInstanceOf(EventJson.Parsed.class);
      }
    }
  }

  @Test
  void shouldSendClicksToHundredsOfAffiliatesThePopularOnesFarMoreOften() throws Exception {
    List<JsonNode> clicks = ofType(run(simulator(1), 48), "ClickRecorded");
    Map<Integer, Integer> perAffiliate = new HashMap<>();
    for (JsonNode click : clicks) {
      String affiliate = click.path("affiliateId").asText();
      assertThat(affiliate).matches("sim-aff-[0-9]+");
      perAffiliate.merge(
          Integer.parseInt(affiliate.substring("sim-aff-".length())), 1, Integer::sum);
      for (String field : List.of("trackingId", "af", "cn", "cv", "dp", "sessionId")) {
        assertThat(click.path(field).asText()).as(field).isNotBlank();
      }
    }
    long first30 =
        perAffiliate.entrySet().stream()
            .filter(e -> e.getKey() <= 30)
            .mapToLong(Map.Entry::getValue)
            .sum();

    assertThat(clicks).hasSizeGreaterThan(4000);
    assertThat(perAffiliate.keySet()).allMatch(n -> n >= 1 && n <= TrafficSimulator.AFFILIATES);
    assertThat(perAffiliate.size()).isGreaterThan(150);
    assertThat(first30).isGreaterThan(clicks.size() * 4L / 10);
  }

  @Test
  void shouldAskForWithdrawalsMostlyFromAffiliatesWithABalanceAboveTheMinimum() throws Exception {
    TrafficSimulator simulator = simulator(2);
    simulator.observe(balance("sim-aff-3", 25_000));
    simulator.observe(balance("sim-aff-4", 1_600));
    simulator.observe(balance("aff-of-a-real-upstream", 90_000));

    List<JsonNode> firstWeek = ofType(run(simulator, 24 * 7), "WithdrawalRequested");
    List<JsonNode> byRich =
        firstWeek.stream().filter(w -> w.path("affiliateId").asText().equals("sim-aff-3")).toList();

    // One request, then none until the ledger has decided it.
    assertThat(byRich).hasSize(1);
    JsonNode request = byRich.get(0);
    assertThat(!request.has("amountCents") || request.path("amountCents").asLong() > 1500)
        .as(request.toString())
        .isTrue();
    assertThat(firstWeek.size() - byRich.size()).as("requests without a balance").isLessThan(4);
    assertThat(firstWeek).allMatch(w -> w.path("affiliateId").asText().startsWith("sim-aff-"));
    assertThat(firstWeek)
        .noneMatch(
            w ->
                w.path("affiliateId").asText().equals("sim-aff-4")
                    && w.path("amountCents").asLong() != 2000);

    simulator.observe(decision(request, WithdrawalStatus.ACCEPTED));
    simulator.observe(balance("sim-aff-3", 30_000));
    List<JsonNode> after = run(simulator, 24 * 21);

    assertThat(ofType(after, "PayoutCompleted").size() + ofType(after, "PayoutFailed").size())
        .isEqualTo(1);
    assertThat(ofType(after, "WithdrawalRequested"))
        .anyMatch(w -> w.path("affiliateId").asText().equals("sim-aff-3"));
  }

  private static Balance balance(String affiliate, long balanceCents) {
    return Balance.newBuilder()
        .setAffiliateId(affiliate)
        .setPendingCents(0)
        .setAwaitingRefreshCents(0)
        .setBalanceCents(balanceCents)
        .setWithdrawnCents(0)
        .setFeesCents(0)
        .setAsOf(START)
        .build();
  }

  private static WithdrawalDecision decision(JsonNode request, WithdrawalStatus status) {
    return WithdrawalDecision.newBuilder()
        .setWithdrawalId(request.path("withdrawalId").asText())
        .setAffiliateId(request.path("affiliateId").asText())
        .setCausingEventId(request.path("eventId").asText())
        .setStatus(status)
        .setAmountCents(25_000)
        .setFeeCents(1500)
        .setPayoutCents(23_500)
        .setDecidedAt(Instant.parse(request.path("occurredAt").asText()))
        .build();
  }
}
