package com.portals.ledger.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.portals.ledger.app.cli.Settings;
import com.portals.ledger.app.runtime.LedgerRuntime;
import com.portals.ledger.app.runtime.LedgerRuntime.ClockMode;
import com.portals.ledger.projections.store.ProjectionStores;
import com.portals.ledger.testkit.ApiClient;
import com.portals.ledger.testkit.KafkaClusterExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances of the ledger, one application: Kafka Streams spreads the partitions over both, and
 * either instance answers for any affiliate, forwarding to the instance that holds it.
 */
@Timeout(300)
class TwoInstancesIntegrationTest {

  private static final String FINANCE = "finance-token-0123456789";
  private static final int AFFILIATES = 12;
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension static final KafkaClusterExtension kafka = new KafkaClusterExtension();
  @TempDir Path dir;

  private final HttpClient http = HttpClient.newHttpClient();

  private LedgerRuntime start(String name, Path tokens) throws Exception {
    return LedgerRuntime.start(
        new LedgerRuntime.Options(
            dir.resolve(name),
            kafka.bootstrapServers(),
            "127.0.0.1",
            0,
            tokens,
            ClockMode.MANUAL,
            Duration.ofSeconds(1),
            false,
            1,
            4,
            Settings.empty()),
        new PrintWriter(new StringWriter()));
  }

  @Test
  void shouldAnswerForEveryAffiliateFromEitherInstance() throws Exception {
    Path tokens = TestLedgers.tokensFile(dir, FINANCE + " finance");
    try (LedgerRuntime first = start("first", tokens);
        LedgerRuntime second = start("second", tokens)) {
      List<String> events = new ArrayList<>();
      for (int i = 1; i <= AFFILIATES; i++) {
        events.add(
            "{\"type\":\"ClickRecorded\",\"eventId\":\"c"
                + i
                + "\",\"clickId\":\"k"
                + i
                + "\",\"affiliateId\":\"aff-"
                + i
                + "\",\"sessionId\":\"s"
                + i
                + "\",\"occurredAt\":\"2026-01-10T10:00:00Z\"}");
        events.add(
            "{\"type\":\"OrderPlaced\",\"eventId\":\"p"
                + i
                + "\",\"orderId\":\"o"
                + i
                + "\",\"sessionId\":\"s"
                + i
                + "\",\"lines\":[{\"productId\":\"p\",\"category\":\"toys\",\"amountCents\":"
                + (i * 1000)
                + ",\"quantity\":1}],\"occurredAt\":\"2026-01-10T10:05:00Z\"}");
      }
      events.add("{\"type\":\"ClockTick\",\"at\":\"2026-01-11T00:00:00Z\"}");
      assertThat(post(first, String.join("\n", events)).statusCode()).isEqualTo(200);

      int remoteForFirst = 0;
      int remoteForSecond = 0;
      for (int i = 1; i <= AFFILIATES; i++) {
        String affiliate = "aff-" + i;
        long expected = i * 1000L * 8 / 100;
        JsonNode fromFirst = awaitBalance(first, affiliate);
        JsonNode fromSecond = awaitBalance(second, affiliate);
        assertThat(fromFirst.path("pendingCents").asLong()).as(affiliate).isEqualTo(expected);
        assertThat(fromSecond).as(affiliate).isEqualTo(fromFirst);
        assertThat(owner(first, affiliate)).as(affiliate).isEqualTo(owner(second, affiliate));
        remoteForFirst += isLocal(first, affiliate) ? 0 : 1;
        remoteForSecond += isLocal(second, affiliate) ? 0 : 1;
      }
      assertThat(remoteForFirst).as("affiliates the first instance forwarded").isPositive();
      // A forwarded answer keeps its headers: the balance's ETag answers 304 through either.
      for (int i = 1; i <= AFFILIATES; i++) {
        String affiliate = "aff-" + i;
        if (!isLocal(first, affiliate)) {
          HttpResponse<String> forwarded = get(first, "/affiliates/" + affiliate + "/balance");
          String tag = forwarded.headers().firstValue("ETag").orElse("");
          assertThat(tag).as(affiliate + ": the owner's ETag").isNotEmpty();
          HttpResponse<String> unchanged =
              http.send(
                  HttpRequest.newBuilder(
                          URI.create(
                              "http://127.0.0.1:"
                                  + first.httpPort()
                                  + "/affiliates/"
                                  + affiliate
                                  + "/balance"))
                      .header("Authorization", "Bearer " + FINANCE)
                      .header("If-None-Match", tag)
                      .GET()
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
          assertThat(unchanged.statusCode()).as(affiliate).isEqualTo(304);
          break;
        }
      }
      assertThat(remoteForSecond).as("affiliates the second instance forwarded").isPositive();

      JsonNode summary = JSON.readTree(get(second, "/finance/summary").body());
      assertThat(summary.path("affiliates").asLong()).isEqualTo(AFFILIATES);
      assertThat(summary.path("pendingCents").asLong())
          .isEqualTo(8L * 10 * (AFFILIATES * (AFFILIATES + 1) / 2));

      // The ranking merges both instances' parts: the three largest pending amounts, from either.
      for (LedgerRuntime instance : List.of(first, second)) {
        JsonNode ranked =
            JSON.readTree(get(instance, "/finance/affiliates?sort=earned&limit=3").body());
        List<String> ids = new ArrayList<>();
        ranked.forEach(row -> ids.add(row.path("affiliateId").asText()));
        assertThat(ids)
            .containsExactly(
                "aff-" + AFFILIATES, "aff-" + (AFFILIATES - 1), "aff-" + (AFFILIATES - 2));
      }

      JsonNode reconciliation = awaitReconciled(first);
      for (LedgerRuntime instance : List.of(first, second)) {
        ApiClient.await(
            "running totals equal to the full check over both instances",
            () ->
                TestLedgers.runningEqualsFull(
                    path -> JSON.readTree(get(instance, path).body()),
                    "/finance/summary",
                    "/finance/reconciliation"));
      }
      assertThat(reconciliation.path("affiliates").asLong()).isEqualTo(AFFILIATES);
      assertThat(reconciliation.path("journal").path("pendingCents").asLong())
          .isEqualTo(summary.path("pendingCents").asLong());
      assertThat(reconciliation.path("reconciled").asBoolean())
          .as(reconciliation.toString())
          .isTrue();

      payEveryAffiliateInOneBatch(first, second);
    }
  }

  /**
   * A payout batch takes the withdrawals of the affiliates of both instances, and either instance
   * shows all of it: each instance's rows are merged.
   */
  private void payEveryAffiliateInOneBatch(LedgerRuntime first, LedgerRuntime second)
      throws Exception {
    List<String> events = new ArrayList<>();
    for (int i = 1; i <= AFFILIATES; i++) {
      events.add(
          "{\"type\":\"ClickRecorded\",\"eventId\":\"c2-"
              + i
              + "\",\"clickId\":\"k2-"
              + i
              + "\",\"affiliateId\":\"aff-"
              + i
              + "\",\"sessionId\":\"s2-"
              + i
              + "\",\"occurredAt\":\"2026-01-12T10:00:00Z\"}");
      events.add(
          "{\"type\":\"OrderPlaced\",\"eventId\":\"p2-"
              + i
              + "\",\"orderId\":\"o2-"
              + i
              + "\",\"sessionId\":\"s2-"
              + i
              + "\",\"lines\":[{\"productId\":\"p\",\"category\":\"toys\",\"amountCents\":"
              + "100000,\"quantity\":1}],\"occurredAt\":\"2026-01-12T10:05:00Z\"}");
      events.add(
          "{\"type\":\"OrderCompleted\",\"eventId\":\"d2-"
              + i
              + "\",\"orderId\":\"o2-"
              + i
              + "\",\"occurredAt\":\"2026-01-12T11:00:00Z\"}");
    }
    // The commission completed on 12 January is posted on 2 February.
    events.add("{\"type\":\"ClockTick\",\"at\":\"2026-02-03T00:00:00Z\"}");
    for (int i = 1; i <= AFFILIATES; i++) {
      events.add(
          "{\"type\":\"WithdrawalRequested\",\"eventId\":\"w-"
              + i
              + "\",\"withdrawalId\":\"wd-"
              + i
              + "\",\"affiliateId\":\"aff-"
              + i
              + "\",\"amountCents\":3000,\"bankAccount\":{\"iban\":\"DE89370400440532013000\","
              + "\"swift\":\"COBADEFFXXX\",\"holder\":\"Holder "
              + i
              + "\"},\"occurredAt\":\"2026-02-03T01:00:00Z\"}");
    }
    events.add("{\"type\":\"ClockTick\",\"at\":\"2026-02-04T00:00:00Z\"}");
    assertThat(post(first, "/events", String.join("\n", events)).statusCode()).isEqualTo(200);
    ApiClient.await(
        "every withdrawal accepted",
        () ->
            JSON.readTree(get(second, "/finance/summary").body())
                    .path("withdrawalsAccepted")
                    .asLong()
                == AFFILIATES);

    HttpResponse<String> created = post(first, "/finance/payout-batches", "");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonNode batch = JSON.readTree(created.body());
    assertThat(batch.path("count").asInt()).isEqualTo(AFFILIATES);
    assertThat(batch.path("payoutCents").asLong()).isEqualTo(1500L * AFFILIATES);
    String batchId = batch.path("batchId").asText();
    assertThat(
            post(first, "/events", "{\"type\":\"ClockTick\",\"at\":\"2026-02-05T00:00:00Z\"}")
                .statusCode())
        .isEqualTo(200);
    for (LedgerRuntime instance : List.of(second, first)) {
      ApiClient.await(
          "the whole batch through either instance",
          () -> {
            HttpResponse<String> shown = get(instance, "/finance/payout-batches/" + batchId);
            return shown.statusCode() == 200
                && JSON.readTree(shown.body()).path("payments").size() == AFFILIATES;
          });
      JsonNode payments =
          JSON.readTree(get(instance, "/finance/payout-batches/" + batchId).body())
              .path("payments");
      List<String> holders = new ArrayList<>();
      payments.forEach(payment -> holders.add(payment.path("creditorName").asText()));
      assertThat(holders)
          .hasSize(AFFILIATES)
          .doesNotHaveDuplicates()
          .allMatch(h -> h.startsWith("Holder "));
    }
  }

  private static KeyQueryMetadata metadata(LedgerRuntime ledger, String affiliate) {
    return ledger
        .projections()
        .kafkaStreams()
        .queryMetadataForKey(ProjectionStores.ACCOUNTS, affiliate, Serdes.String().serializer());
  }

  private static String owner(LedgerRuntime ledger, String affiliate) {
    return metadata(ledger, affiliate).activeHost().toString();
  }

  private static boolean isLocal(LedgerRuntime ledger, String affiliate) {
    return metadata(ledger, affiliate).activeHost().port() == ledger.httpPort();
  }

  private JsonNode awaitBalance(LedgerRuntime ledger, String affiliate) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    HttpResponse<String> last = null;
    while (System.nanoTime() < deadline) {
      last = get(ledger, "/affiliates/" + affiliate + "/balance");
      if (last.statusCode() == 200) {
        return JSON.readTree(last.body());
      }
      Thread.sleep(200);
    }
    throw new AssertionError(
        "no balance of "
            + affiliate
            + ": "
            + (last == null ? "" : last.statusCode() + " " + last.body()));
  }

  /**
   * The reconciliation once it agrees: the read side folds the journal and ledger.balances from two
   * topics, so right after the last event it may have read one a little ahead of the other.
   */
  private JsonNode awaitReconciled(LedgerRuntime ledger) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      HttpResponse<String> response = get(ledger, "/finance/reconciliation");
      if (response.statusCode() == 200) {
        last = JSON.readTree(response.body());
        if (last.path("reconciled").asBoolean()) {
          return last;
        }
      }
      Thread.sleep(200);
    }
    return last == null ? JSON.createObjectNode() : last;
  }

  private HttpResponse<String> get(LedgerRuntime ledger, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ledger.httpPort() + path))
            .header("Authorization", "Bearer " + FINANCE)
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(LedgerRuntime ledger, String body) throws Exception {
    return post(ledger, "/events", body);
  }

  private HttpResponse<String> post(LedgerRuntime ledger, String path, String body)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ledger.httpPort() + path))
            .header("Authorization", "Bearer " + FINANCE)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
