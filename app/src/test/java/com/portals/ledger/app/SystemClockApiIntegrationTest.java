package com.portals.ledger.app;

import static com.portals.ledger.testkit.ApiClient.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.portals.ledger.app.cli.Settings;
import com.portals.ledger.app.runtime.LedgerRuntime;
import com.portals.ledger.app.runtime.LedgerRuntime.ClockMode;
import com.portals.ledger.testkit.ApiClient;
import com.portals.ledger.testkit.KafkaClusterExtension;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ticks posted to a ledger on {@code --clock system} with {@code ledger.clock.max-ahead=1h}: a
 * finance tick too far ahead of the machine's clock is refused at the API with its reason code, one
 * within the bound is published and shown on {@code GET /finance/clock}.
 */
@Timeout(180)
class SystemClockApiIntegrationTest {

  private static final String FINANCE = "finance-token-0123456789";
  private static final String INGEST = "ingest-token-0123456789";

  @RegisterExtension static final KafkaClusterExtension kafka = new KafkaClusterExtension();
  @TempDir static Path dir;

  private static LedgerRuntime ledger;
  private static final ApiClient api = new ApiClient(() -> ledger.httpPort());

  @BeforeAll
  static void startLedger() throws Exception {
    Path tokens = TestLedgers.tokensFile(dir, FINANCE + " finance", INGEST + " ingest");
    ledger =
        TestLedgers.start(
            dir,
            kafka.bootstrapServers(),
            tokens,
            ClockMode.SYSTEM,
            2,
            Settings.empty().with("ledger.clock.max-ahead", "1h"));
    await("the read side", () -> api.get("/finance/clock", FINANCE).statusCode() == 200);
  }

  @AfterAll
  static void stopLedger() {
    if (ledger != null) {
      ledger.close();
    }
  }

  @Test
  void shouldRefuseAFinanceTickFarAheadOfTheMachinesClock() throws Exception {
    Instant farAhead = Instant.now().plus(Duration.ofHours(2)).truncatedTo(ChronoUnit.SECONDS);

    HttpResponse<String> response = api.post("/events", FINANCE, tick(farAhead));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    JsonNode body = json(response);
    assertThat(body.path("accepted").asInt()).isZero();
    assertThat(body.path("rejected").get(0).path("reason").asText())
        .startsWith("TICK_AHEAD_OF_CLOCK")
        .contains(farAhead.toString());
    assertThat(json(api.get("/finance/clock", FINANCE)).path("lastTickAt").asText())
        .isNotEqualTo(farAhead.toString());
  }

  @Test
  void shouldPublishAFinanceTickWithinTheBoundAndShowIt() throws Exception {
    Instant ahead = Instant.now().plus(Duration.ofMinutes(10)).truncatedTo(ChronoUnit.SECONDS);

    HttpResponse<String> response = api.post("/events", FINANCE, tick(ahead));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    HttpResponse<String> shown = api.get("/finance/clock", FINANCE);
    assertThat(shown.statusCode()).as(shown.body()).isEqualTo(200);
    JsonNode clock = json(shown);
    assertThat(clock.path("clock").asText()).isEqualTo("system");
    assertThat(clock.path("maxAheadSeconds").asLong()).isEqualTo(3600);
    assertThat(clock.path("lastTickAt").asText()).isEqualTo(ahead.toString());
    await(
        "the ledger time at the posted tick",
        () ->
            !Instant.parse(json(api.get("/finance/clock", FINANCE)).path("ledgerTime").asText())
                .isBefore(ahead));
  }

  @Test
  void shouldRefuseATickFromAnIngestTokenWhateverItsTime() throws Exception {
    HttpResponse<String> response =
        api.post("/events", INGEST, tick(Instant.now().truncatedTo(ChronoUnit.SECONDS)));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    assertThat(json(response).path("rejected").get(0).path("reason").asText())
        .startsWith("TICK_REQUIRES_FINANCE");
  }

  @Test
  void shouldKeepApplyingEventsAfterAPoisonEventAndAFarFutureTickFromIngest() throws Exception {
    Instant at = Instant.now().minus(Duration.ofMinutes(1)).truncatedTo(ChronoUnit.SECONDS);
    String click =
        "{\"type\":\"ClickRecorded\",\"eventId\":\"pc1\",\"clickId\":\"pk1\","
            + "\"affiliateId\":\"aff-poison\",\"sessionId\":\"ps1\",\"occurredAt\":\""
            + at
            + "\"}";
    String order =
        "{\"type\":\"OrderPlaced\",\"eventId\":\"%s\",\"orderId\":\"%s\",\"sessionId\":\"ps1\","
            + "\"lines\":[{\"productId\":\"p\",\"category\":\"toys\",\"amountCents\":%d}],"
            + "\"occurredAt\":\""
            + at.plusSeconds(5)
            + "\"}";
    // Once, pricing 9e18 cents overflowed and stopped the ledger for good; a tick in 2099 from an
    // ingest token moved its time 73 years ahead.
    String body =
        String.join(
            "\n",
            click,
            order.formatted("pp-poison", "po-poison", 9_000_000_000_000_000_000L),
            tick(Instant.parse("2099-01-01T00:00:00Z")),
            order.formatted("pp-1", "po-1", 10_000L));

    HttpResponse<String> response = api.post("/events", INGEST, body);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    JsonNode answer = json(response);
    assertThat(answer.path("accepted").asInt()).isEqualTo(2);
    assertThat(answer.path("rejected").get(0).path("line").asInt()).isEqualTo(2);
    assertThat(answer.path("rejected").get(0).path("reason").asText())
        .contains("lines[0].amountCents", "at most");
    assertThat(answer.path("rejected").get(1).path("line").asInt()).isEqualTo(3);
    assertThat(answer.path("rejected").get(1).path("reason").asText())
        .startsWith("TICK_REQUIRES_FINANCE");

    // Finance moves time past the events, and past a tick another test may have posted ahead.
    JsonNode clock = json(api.get("/finance/clock", FINANCE));
    Instant next = Instant.now();
    for (String field : List.of("ledgerTime", "lastTickAt")) {
      String shown = clock.path(field).asText("");
      if (!shown.isEmpty() && Instant.parse(shown).isAfter(next)) {
        next = Instant.parse(shown);
      }
    }
    next = next.plusSeconds(1);
    assertThat(api.post("/events", FINANCE, tick(next.truncatedTo(ChronoUnit.MILLIS))).statusCode())
        .isEqualTo(200);

    await(
        "the order after the poison event, applied",
        () ->
            json(api.get("/affiliates/aff-poison/balance", FINANCE)).path("pendingCents").asLong()
                == 800);
    assertThat(Instant.parse(json(api.get("/finance/clock", FINANCE)).path("ledgerTime").asText()))
        .isBefore(Instant.now().plus(Duration.ofHours(1)));
    assertThat(ledger.streams().isRunning()).isTrue();
  }

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    return new ObjectMapper().readTree(response.body());
  }

  private static String tick(Instant at) {
    return "{\"type\":\"ClockTick\",\"at\":\"" + at + "\"}";
  }
}
