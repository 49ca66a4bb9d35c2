package com.portals.ledger.projections.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.portals.ledger.domain.time.SettlementCalendar;
import com.portals.ledger.projections.query.QueryRouter;
import com.portals.ledger.projections.query.ReadModel;
import com.portals.ledger.testkit.ApiClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API's answers that need no data: 503 with Retry-After while the read side cannot answer
 * (starting, or a Kafka Streams client that is not RUNNING, as during a rebalance), 401, 403, and
 * the health check.
 */
class LedgerApiTest {

  private static final String FINANCE = "finance-token-0123456789";
  private static final String AFF1 = "aff1-token-0123456789";

  @TempDir Path stateDir;

  private final ApiTokens tokens =
      ApiTokens.parse(List.of(FINANCE + " finance", AFF1 + " affiliate aff-1"), "test");
  private final LedgerApi api =
      new LedgerApi(tokens, () -> new Health(false, Map.of("streams", "REBALANCING")));
  private final LedgerHttpServer server = LedgerHttpServer.start("127.0.0.1", 0, api);
  private final ApiClient client = new ApiClient(server::port);
  private KafkaStreams notRunning;

  @AfterEach
  void stop() {
    server.close();
    if (notRunning != null) {
      notRunning.close(Duration.ofSeconds(5));
    }
  }

  private HttpResponse<String> get(String path, String token) throws Exception {
    return client.get(path, token);
  }

  @Test
  void shouldWriteAnAccessLogLinePerRequestWithoutTheToken() throws Exception {
    List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (LedgerHttpServer logged = LedgerHttpServer.start("127.0.0.1", 0, api, lines::add)) {
      ApiClient logging = new ApiClient(logged::port);
      logging.get("/affiliates/aff-1/orders?status=PENDING", FINANCE);
      logging.get("/nowhere", null);
    }
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0))
        .matches(
            "127\\.0\\.0\\.1 \"GET /affiliates/aff-1/orders\\?status=PENDING\" 503 [0-9.]+ ms");
    assertThat(lines.get(1)).contains("\"GET /nowhere\" 404");
    assertThat(String.join("\n", lines)).doesNotContain(FINANCE);
  }

  @Test
  void shouldAnswer503WithRetryAfterWhileTheLedgerStarts() throws Exception {
    HttpResponse<String> response = get("/affiliates/aff-1/balance", FINANCE);

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.headers().firstValue("Retry-After")).contains("1");
    assertThat(errorOf(response)).isEqualTo("the ledger is starting");
    assertThat(problemOf(response).path("code").asText()).isEqualTo("UNAVAILABLE");
  }

  @Test
  void shouldAnswer503RatherThanReadAStoreThatIsNotRunning() throws Exception {
    Properties config = new Properties();
    config.put(StreamsConfig.APPLICATION_ID_CONFIG, "not-running");
    config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1");
    config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    StreamsBuilder builder = new StreamsBuilder();
    builder.stream("anything");
    notRunning = new KafkaStreams(builder.build(), config);
    api.attach(
        new LedgerApi.Backend(
            new ReadModel(notRunning, SettlementCalendar.DEFAULT),
            new QueryRouter(notRunning, new HostInfo("127.0.0.1", server.port())),
            null));

    for (String path :
        List.of("/affiliates/aff-1/balance", "/affiliates/aff-1/orders", "/finance/summary")) {
      HttpResponse<String> response = get(path, FINANCE);
      assertThat(response.statusCode()).as(path).isEqualTo(503);
      assertThat(response.headers().firstValue("Retry-After")).as(path).contains("1");
      assertThat(response.body()).as(path).contains("CREATED, not RUNNING");
    }
  }

  @Test
  void shouldCheckTheTokenBeforeAnythingElse() throws Exception {
    HttpResponse<String> missing = get("/affiliates/aff-1/orders?dateType=nonsense", null);
    assertThat(missing.statusCode()).isEqualTo(401);
    assertThat(missing.headers().firstValue("WWW-Authenticate")).contains("Bearer");
    assertThat(problemOf(missing).path("code").asText()).isEqualTo("MISSING_TOKEN");
    assertThat(
            problemOf(get("/affiliates/aff-1/orders", "no-such-token-anywhere"))
                .path("code")
                .asText())
        .isEqualTo("UNKNOWN_TOKEN");
    assertThat(problemOf(get("/affiliates/aff-2/orders", AFF1)).path("code").asText())
        .isEqualTo("OTHER_AFFILIATE");
    assertThat(
            problemOf(get("/affiliates/aff-1/orders?dateType=nonsense", AFF1))
                .path("code")
                .asText())
        .isEqualTo("INVALID_PARAMETER");
    assertThat(get("/affiliates/aff-2/orders?dateType=nonsense", AFF1).statusCode()).isEqualTo(403);
    assertThat(get("/affiliates/aff-1/orders?dateType=nonsense", AFF1).statusCode()).isEqualTo(400);
  }

  @Test
  void shouldReportHealthWithoutAToken() throws Exception {
    HttpResponse<String> health = get("/health", null);

    assertThat(health.statusCode()).isEqualTo(503);
    assertThat(health.body())
        .isEqualTo(
            "{\"status\":\"DOWN\",\"streams\":\"REBALANCING\",\"error\":\"the ledger is not"
                + " ready\"}");
  }

  @Test
  void shouldSayLiveButNotReadyBeforeTheLedgerRunsAndNameWhatIsNotReady() throws Exception {
    LedgerApi starting =
        new LedgerApi(
            tokens,
            () ->
                new Health(
                    false,
                    Map.of("projections", "REBALANCING"),
                    List.of("projections is REBALANCING, not RUNNING")));
    try (LedgerHttpServer other = LedgerHttpServer.start("127.0.0.1", 0, starting)) {
      ApiClient anyone = new ApiClient(other::port);

      HttpResponse<String> ready = anyone.get("/health/ready", null);
      assertThat(ready.statusCode()).isEqualTo(503);
      // The readiness probe's 503 is its health report (with error), not problem details.
      assertThat(new ObjectMapper().readTree(ready.body()).path("error").asText())
          .isEqualTo("not ready: projections is REBALANCING, not RUNNING");
      assertThat(anyone.get("/health", null).statusCode()).isEqualTo(503);
      HttpResponse<String> live = anyone.get("/health/live", null);
      assertThat(live.statusCode()).isEqualTo(200);
      assertThat(live.body()).isEqualTo("{\"status\":\"UP\"}");
    }
  }

  @Test
  void shouldAnswerUnknownPathsWithJson404() throws Exception {
    HttpResponse<String> response = get("/nowhere", FINANCE);

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(errorOf(response)).contains("/nowhere");
    assertThat(problemOf(response).path("code").asText()).isEqualTo("NO_SUCH_ENDPOINT");
  }

  @Test
  void shouldAnswerInstantsBeyondTheSupportedRangeWith400() throws Exception {
    for (String query :
        List.of(
            "/affiliates/aff-1/balance?asOf=%2B999999999-12-31T23:59:59Z",
            "/affiliates/aff-1/balance?asOf=-999999999-01-01T00:00:00Z",
            "/affiliates/aff-1/balance?asOf=1969-12-31T23:59:59Z",
            "/affiliates/aff-1/orders?from=%2B999999999-12-31T23:59:59Z",
            "/affiliates/aff-1/orders?to=%2B999999999-12-31T23:59:59Z",
            "/affiliates/aff-1/income?from=%2B10000-01-01",
            "/affiliates/aff-1/traffic?to=%2B999999999-12-31T23:59:59Z")) {
      HttpResponse<String> response = get(query, FINANCE);

      assertThat(response.statusCode()).as(query).isEqualTo(400);
      assertThat(errorOf(response))
          .as(query)
          .contains("1970-01-01T00:00:00Z")
          .contains("9999-12-31T23:59:59Z");
    }
  }

  @Test
  void shouldAnswerAMethodAPathDoesNotTakeWithJson405() throws Exception {
    HttpResponse<String> response =
        client.send(client.request("/affiliates/aff-1/balance", FINANCE).DELETE());

    assertThat(response.statusCode()).isEqualTo(405);
    assertThat(errorOf(response)).contains("DELETE");
    assertThat(problemOf(response).path("code").asText()).isEqualTo("METHOD_NOT_ALLOWED");
  }

  @Test
  void shouldAnswerABodyAboveTheLimitWithJson413() throws Exception {
    byte[] body = new byte[(int) LedgerHttpServer.MAX_REQUEST_BYTES + 1];
    java.util.Arrays.fill(body, (byte) ' ');

    HttpResponse<String> response =
        client.send(
            client.request("/events", FINANCE).POST(HttpRequest.BodyPublishers.ofByteArray(body)));

    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(errorOf(response)).contains("32 MiB");
    assertThat(problemOf(response).path("code").asText()).isEqualTo("BODY_TOO_LARGE");
  }

  @Test
  void shouldAnswerAnUnexpectedFailureWithAGenericJson500() throws Exception {
    LedgerApi failing =
        new LedgerApi(
            tokens,
            () -> {
              throw new IllegalStateException("secret internals");
            });
    try (LedgerHttpServer other = LedgerHttpServer.start("127.0.0.1", 0, failing)) {
      HttpResponse<String> response = new ApiClient(other::port).get("/health", null);

      assertThat(response.statusCode()).isEqualTo(500);
      assertThat(errorOf(response)).contains("internal error").doesNotContain("secret");
    }
  }

  /** The reason of an error answer, which must be problem details (RFC 9457). */
  private static String errorOf(HttpResponse<String> response) throws Exception {
    return problemOf(response).path("error").asText();
  }

  /**
   * An error answer's body: problem details (RFC 9457) as {@code application/problem+json}, with
   * the status of the answer, the reason in both {@code detail} and {@code error}, the path in
   * {@code instance} and a machine-readable {@code code}.
   */
  private static JsonNode problemOf(HttpResponse<String> response) throws Exception {
    assertThat(response.headers().firstValue("Content-Type").orElse(""))
        .as(response.body())
        .startsWith("application/problem+json");
    JsonNode body = new ObjectMapper().readTree(response.body());
    assertThat(body.path("type").asText()).isEqualTo("about:blank");
    assertThat(body.path("title").asText()).as(response.body()).isNotBlank();
    assertThat(body.path("status").asInt()).isEqualTo(response.statusCode());
    assertThat(body.path("error").isTextual()).as(response.body()).isTrue();
    assertThat(body.path("detail")).isEqualTo(body.path("error"));
    assertThat(body.path("instance").asText()).isEqualTo(response.uri().getPath());
    assertThat(body.path("code").asText()).as(response.body()).matches("[A-Z][A-Z_]+");
    return body;
  }

  @Test
  void shouldMatchAnETagTheWayIfNoneMatchNamesIt() {
    String tag = "\"0123abcd\"";

    assertThat(LedgerApi.matches(tag, tag)).isTrue();
    assertThat(LedgerApi.matches("\"other\", " + tag, tag)).isTrue();
    assertThat(LedgerApi.matches("W/" + tag, tag)).isTrue();
    assertThat(LedgerApi.matches("*", tag)).isTrue();
    assertThat(LedgerApi.matches(null, tag)).isFalse();
    assertThat(LedgerApi.matches("\"other\"", tag)).isFalse();
    assertThat(LedgerApi.matches("0123abcd", tag)).isFalse();
  }
}
