package com.portals.ledger.app;

import static com.portals.ledger.testkit.ApiClient.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Schema;
import com.portals.ledger.app.cli.Settings;
import com.portals.ledger.app.runtime.LedgerRuntime;
import com.portals.ledger.app.runtime.LedgerRuntime.ClockMode;
import com.portals.ledger.testkit.ApiClient;
import com.portals.ledger.testkit.KafkaClusterExtension;
import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import java.util.zip.GZIPInputStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP API of docs/contract.md against a running ledger on a real broker: a scenario posted
 * through {@code POST /events}, then every endpoint, every filter, CSV read back with a CSV parser,
 * and the 400, 401 and 403 answers.
 */
@Timeout(240)
class HttpApiIntegrationTest {

  private static final String FINANCE = "finance-token-0123456789";
  private static final String INGEST = "ingest-token-0123456789";
  private static final String AFF1 = "aff1-token-0123456789";
  private static final String METRICS = "metrics-token-0123456789";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String BAD_IBAN = "DE89/3704/0044/0532/0130/00";

  /** aff-2's click, whose tracking fields a spreadsheet would take for formulas. */
  private static final String HOSTILE_CLICK =
      JSON.createObjectNode()
          .put("type", "ClickRecorded")
          .put("eventId", "c4")
          .put("clickId", "k4")
          .put("affiliateId", "aff-2")
          .put("sessionId", "s4")
          .put("trackingId", "=HYPERLINK(\"http://x.test\",\"open\")")
          .put("af", "+1+1")
          .put("cn", "-2")
          .put("cv", "@SUM(A1)")
          .put("dp", "\tcmd")
          .put("occurredAt", "2026-01-12T10:00:00Z")
          .toString();

  @RegisterExtension static final KafkaClusterExtension kafka = new KafkaClusterExtension();
  @TempDir static Path dir;

  private static LedgerRuntime ledger;
  private static final ApiClient API = new ApiClient(() -> ledger.httpPort());

  private static final List<String> SCENARIO =
      List.of(
          "{\"type\":\"CommissionRateSet\",\"eventId\":\"r1\",\"category\":\"electronics\",\"rateBps\":900,\"effectiveFrom\":\"2026-01-01T00:00:00Z\"}",
          "{\"type\":\"ClickRecorded\",\"eventId\":\"c1\",\"clickId\":\"k1\",\"affiliateId\":\"aff-1\",\"trackingId\":\"blog\",\"sessionId\":\"s1\",\"af\":\"sub7\",\"cn\":\"spring\",\"cv\":\"banner-3\",\"dp\":\"x\",\"promotionType\":\"BANNER\",\"occurredAt\":\"2026-01-10T10:00:00Z\"}",
          "{\"type\":\"ClickRecorded\",\"eventId\":\"c2\",\"clickId\":\"k2\",\"affiliateId\":\"aff-1\",\"trackingId\":\"social\",\"sessionId\":\"s2\",\"promotionType\":\"TEXT_LINK\",\"occurredAt\":\"2026-01-11T10:00:00Z\"}",
          "{\"type\":\"ClickRecorded\",\"eventId\":\"c3\",\"clickId\":\"k3\",\"affiliateId\":\"aff-1\",\"trackingId\":\"social\",\"sessionId\":\"s3\",\"promotionType\":\"TEXT_LINK\",\"occurredAt\":\"2026-01-12T10:00:00Z\"}",
          HOSTILE_CLICK,
          "{\"type\":\"OrderPlaced\",\"eventId\":\"p1\",\"orderId\":\"o1\",\"sessionId\":\"s1\",\"lines\":[{\"productId\":\"p\",\"category\":\"electronics\",\"amountCents\":50,\"quantity\":1},{\"productId\":\"q\",\"category\":\"electronics\",\"amountCents\":150,\"quantity\":1},{\"productId\":\"r\",\"category\":\"electronics\",\"amountCents\":10000,\"quantity\":1}],\"occurredAt\":\"2026-01-10T10:05:00Z\"}",
          "{\"type\":\"OrderRefunded\",\"eventId\":\"f1\",\"orderId\":\"o1\",\"refundCents\":2550,\"occurredAt\":\"2026-01-12T08:00:00Z\"}",
          "{\"type\":\"OrderCompleted\",\"eventId\":\"d1\",\"orderId\":\"o1\",\"occurredAt\":\"2026-01-20T08:00:00Z\"}",
          "{\"type\":\"OrderPlaced\",\"eventId\":\"p2\",\"orderId\":\"o2\",\"sessionId\":\"s2\",\"lines\":[{\"productId\":\"p\",\"category\":\"toys\",\"amountCents\":40000,\"quantity\":1}],\"occurredAt\":\"2026-01-11T11:00:00Z\"}",
          "{\"type\":\"OrderCompleted\",\"eventId\":\"d2\",\"orderId\":\"o2\",\"occurredAt\":\"2026-01-15T08:00:00Z\"}",
          "{\"type\":\"OrderPlaced\",\"eventId\":\"p3\",\"orderId\":\"o3\",\"sessionId\":\"s3\",\"lines\":[{\"productId\":\"p\",\"category\":\"toys\",\"amountCents\":5000,\"quantity\":1}],\"occurredAt\":\"2026-01-12T11:00:00Z\"}",
          "{\"type\":\"OrderCancelled\",\"eventId\":\"x3\",\"orderId\":\"o3\",\"occurredAt\":\"2026-01-13T08:00:00Z\"}",
          "{\"type\":\"OrderPlaced\",\"eventId\":\"p4\",\"orderId\":\"o4\",\"sessionId\":\"s4\",\"lines\":[{\"productId\":\"p\",\"category\":\"toys\",\"amountCents\":1000,\"quantity\":1}],\"occurredAt\":\"2026-01-12T11:00:00Z\"}",
          "{\"type\":\"OrderPlaced\",\"eventId\":\"p5\",\"orderId\":\"o5\",\"lines\":[{\"productId\":\"p\",\"category\":\"toys\",\"amountCents\":7000,\"quantity\":1}],\"occurredAt\":\"2026-01-12T12:00:00Z\"}",
          "{\"type\":\"WithdrawalRequested\",\"eventId\":\"w1\",\"withdrawalId\":\"wd-1\",\"affiliateId\":\"aff-1\",\"amountCents\":2000,\"bankAccount\":{\"iban\":\"DE89370400440532013000\",\"swift\":\"COBADEFFXXX\",\"holder\":\"Jane Doe\"},\"occurredAt\":\"2026-02-17T09:00:00Z\"}",
          "{\"type\":\"WithdrawalRequested\",\"eventId\":\"w2\",\"withdrawalId\":\"wd-2\",\"affiliateId\":\"aff-1\",\"amountCents\":99999,\"bankAccount\":{\"iban\":\"DE89370400440532013000\",\"swift\":\"COBADEFFXXX\",\"holder\":\"Jane Doe\"},\"occurredAt\":\"2026-02-17T10:00:00Z\"}",
          // A bank account that fails validation: its IBAN must never be shown whole.
          "{\"type\":\"WithdrawalRequested\",\"eventId\":\"w3\",\"withdrawalId\":\"wd-3\",\"affiliateId\":\"aff-2\",\"amountCents\":2000,\"bankAccount\":{\"iban\":\""
              + BAD_IBAN
              + "\",\"swift\":\"COBADEFFXXX\",\"holder\":\"John Roe\"},\"occurredAt\":\"2026-02-17T11:00:00Z\"}",
          "{\"type\":\"PayoutCompleted\",\"eventId\":\"pay1\",\"withdrawalId\":\"wd-1\",\"affiliateId\":\"aff-1\",\"occurredAt\":\"2026-02-18T09:00:00Z\"}",
          // Two the ledger reports on ledger.rejections: a click sent twice, a rate below 8%.
          HOSTILE_CLICK,
          "{\"type\":\"CommissionRateSet\",\"eventId\":\"r2\",\"category\":\"garden\",\"rateBps\":500,\"effectiveFrom\":\"2026-01-01T00:00:00Z\"}",
          "{\"type\":\"ClockTick\",\"at\":\"2026-02-20T00:00:00Z\"}");

  @BeforeAll
  static void startLedgerAndPostScenario() throws Exception {
    Path tokens =
        TestLedgers.tokensFile(
            dir,
            FINANCE + " finance",
            INGEST + " ingest",
            AFF1 + " affiliate aff-1",
            METRICS + " metrics");
    ledger =
        TestLedgers.start(
            dir, kafka.bootstrapServers(), tokens, ClockMode.MANUAL, 3, Settings.empty());
    await("the read side", () -> get("/health", null).statusCode() == 200);

    // A finance token: the scenario ends with a tick, which an ingest token may not post.
    HttpResponse<String> posted = post("/events", FINANCE, String.join("\n", SCENARIO));

    assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);
    assertThat(JSON.readTree(posted.body()).path("accepted").asInt()).isEqualTo(SCENARIO.size());
    await(
        "the paid withdrawal",
        () -> get("/affiliates/aff-1/withdrawals", FINANCE).body().contains("PAID"));
    // Order states reach the read side by a path of their own (re-keyed by affiliate, one more
    // commit of the read side): the paid withdrawal may come first.
    await(
        "the orders' last states",
        () ->
            get("/affiliates/aff-1/orders?status=COMPLETED", FINANCE).body().contains("\"o2\"")
                && get("/affiliates/aff-1/orders?status=COMPLETED", FINANCE)
                    .body()
                    .contains("\"o1\"")
                && get("/affiliates/aff-1/orders?status=CANCELLED", FINANCE)
                    .body()
                    .contains("\"o3\"")
                && json(get("/finance/summary", FINANCE)).path("unattributedOrders").asLong() == 1);
  }

  @AfterAll
  static void stopLedger() {
    if (ledger != null) {
      ledger.close();
    }
  }

  @Test
  void shouldServeMetricsInPrometheusFormatToFinanceAndMetricsTokensOnly() throws Exception {
    // The scenario's two rejections reach the read side by a path of their own.
    await(
        "the rejections' counts in the metrics",
        () ->
            get("/metrics", METRICS)
                .body()
                .contains("ledger_rejections{reason=\"DUPLICATE_EVENT\"} 1.0"));
    HttpResponse<String> scraped = get("/metrics", METRICS);
    Map<String, Double> samples = new HashMap<>();
    for (String line : scraped.body().split("\n")) {
      if (!line.startsWith("#") && !line.isBlank()) {
        int space = line.lastIndexOf(' ');
        samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
      }
    }

    assertThat(scraped.statusCode()).isEqualTo(200);
    assertThat(scraped.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
    // The scenario's last tick, as the ledger's time.
    assertThat(samples.get("ledger_time_seconds"))
        .isEqualTo(Instant.parse("2026-02-20T00:00:00Z").getEpochSecond());
    assertThat(samples.get("ledger_time_behind_seconds")).isPositive();
    assertThat(samples.get("ledger_rejections{reason=\"RATE_BELOW_MINIMUM\"}")).isEqualTo(1.0);
    assertThat(samples.get("ledger_withdrawals{status=\"paid\"}")).isEqualTo(1.0);
    assertThat(samples.get("ledger_money_cents{state=\"withdrawn\"}")).isEqualTo(2000.0);
    assertThat(samples.get("ledger_journal_entries{kind=\"WITHDRAWAL_ACCEPTED\"}")).isEqualTo(1.0);
    // Events the write side applied, by type, summed over its tasks: the scenario's three orders.
    try {
      await(
          "the events applied by type",
          () -> appliedOfType(get("/metrics", METRICS).body(), "OrderPlaced") >= 3);
    } catch (AssertionError e) {
      throw new AssertionError(
          e.getMessage()
              + ": "
              + get("/metrics", METRICS)
                  .body()
                  .lines()
                  .filter(line -> line.contains("applied"))
                  .toList(),
          e);
    }
    assertThat(appliedOfType(get("/metrics", METRICS).body(), "WithdrawalRequested"))
        .isGreaterThanOrEqualTo(3);
    assertThat(samples.get("ledger_journal_entries{kind=\"COMMISSION_ACCRUED\"}")).isPositive();
    // The write side has read every input record the scenario posted (the lag is refreshed at most
    // every few seconds, and counts what is committed).
    await(
        "no write-side lag",
        () ->
            get("/metrics", METRICS)
                .body()
                .contains(
                    "ledger_consumer_lag_records{side=\"write\",topic=\"portals.orders\"} 0.0"));
    assertThat(samples.keySet())
        .anyMatch(
            name ->
                name.startsWith("kafka_stream_thread_commit_total{")
                    && name.contains("side=\"write\""))
        .anyMatch(name -> name.startsWith("jvm_memory_used_bytes{"));
    assertThat(get("/metrics", FINANCE).statusCode()).isEqualTo(200);
    assertThat(get("/metrics", AFF1).statusCode()).isEqualTo(403);
    assertThat(get("/metrics", null).statusCode()).isEqualTo(401);
    assertThat(get("/affiliates/aff-1/balance", METRICS).statusCode()).isEqualTo(403);
  }

  @Test
  void shouldAnswerNotModifiedToTheETagOfAnUnchangedBalanceOrSummary() throws Exception {
    for (String path : List.of("/affiliates/aff-1/balance", "/finance/summary")) {
      // Another test may still be changing the totals: wait for an answer that holds still.
      await(
          "304 for the ETag of " + path,
          () -> {
            String tag = get(path, FINANCE).headers().firstValue("ETag").orElseThrow();
            HttpResponse<String> again =
                API.send(API.request(path, FINANCE).header("If-None-Match", "\"x\", " + tag));
            return again.statusCode() == 304
                && again.body().isEmpty()
                && again.headers().firstValue("ETag").orElse("").equals(tag);
          });
      HttpResponse<String> fresh = get(path, FINANCE);
      HttpResponse<String> stale =
          API.send(API.request(path, FINANCE).header("If-None-Match", "\"not-this-one\""));

      assertThat(fresh.headers().firstValue("ETag").orElse("")).matches("\"[0-9a-f]{32}\"");
      assertThat(fresh.headers().firstValue("Cache-Control")).contains("no-cache");
      assertThat(stale.statusCode()).isEqualTo(200);
      assertThat(json(stale).isObject()).isTrue();
    }
    String now = get("/affiliates/aff-1/balance", FINANCE).headers().firstValue("ETag").get();
    String before =
        get("/affiliates/aff-1/balance?asOf=2026-01-01T00:00:00Z", FINANCE)
            .headers()
            .firstValue("ETag")
            .get();
    assertThat(before).isNotEqualTo(now);
    // The tag is the answer's, not the caller's: another affiliate's token gets 403, not 304.
    HttpResponse<String> foreign =
        API.send(API.request("/affiliates/aff-2/balance", AFF1).header("If-None-Match", "*"));
    assertThat(foreign.statusCode()).isEqualTo(403);
  }

  @Test
  void shouldCompressLargeAnswersForClientsThatTakeGzip() throws Exception {
    HttpResponse<byte[]> zipped =
        HttpClient.newHttpClient()
            .send(
                API.request("/metrics", METRICS).header("Accept-Encoding", "gzip").build(),
                HttpResponse.BodyHandlers.ofByteArray());
    String plain = get("/metrics", METRICS).body();

    assertThat(zipped.statusCode()).isEqualTo(200);
    assertThat(zipped.headers().firstValue("Content-Encoding")).contains("gzip");
    assertThat(zipped.body().length).isLessThan(plain.length() / 3);
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(zipped.body()))) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
          .contains("ledger_time_seconds");
    }
  }

  @Test
  void shouldShowTheBalanceNowAndAsOfAnyInstant() throws Exception {
    // o1: 918 earned, 230 refunded, 688 completed 2026-01-20 -> posted 2026-02-16.
    // o2: 3200 completed 2026-01-15 -> posted 2026-02-02. wd-1: 2000 out (fee 1500), paid.
    JsonNode now = json(get("/affiliates/aff-1/balance", FINANCE));
    assertThat(now.path("currency").asText()).isEqualTo("USD");
    assertThat(now.path("pendingCents").asLong()).isZero();
    assertThat(now.path("awaitingRefreshCents").asLong()).isZero();
    assertThat(now.path("balanceCents").asLong()).isEqualTo(688 + 3200 - 2000);
    assertThat(now.path("withdrawnCents").asLong()).isEqualTo(2000);
    assertThat(now.path("feesCents").asLong()).isEqualTo(1500);
    assertThat(now.path("nextRefreshAt").asText()).isEqualTo("2026-03-02T00:00:00Z");

    JsonNode january = json(get("/affiliates/aff-1/balance?asOf=2026-01-21T00:00:00Z", FINANCE));
    assertThat(january.path("pendingCents").asLong()).isZero();
    assertThat(january.path("awaitingRefreshCents").asLong()).isEqualTo(688 + 3200);
    assertThat(january.path("balanceCents").asLong()).isZero();
    assertThat(january.path("nextRefreshAt").asText()).isEqualTo("2026-02-02T00:00:00Z");

    JsonNode atFirstPosting =
        json(get("/affiliates/aff-1/balance?asOf=2026-02-02T00:00:00Z", FINANCE));
    assertThat(atFirstPosting.path("balanceCents").asLong()).isEqualTo(3200);
    JsonNode justBefore =
        json(get("/affiliates/aff-1/balance?asOf=2026-02-01T23:59:59.999Z", FINANCE));
    assertThat(justBefore.path("balanceCents").asLong()).isZero();
  }

  @Test
  void shouldShowTheBalanceJustBeforeAtAndAfterAWithdrawal() throws Exception {
    // 2026-02-16 posts o1's 688 next to o2's 3200; wd-1 takes 2000 (fee included) at 09:00.
    JsonNode before = json(get("/affiliates/aff-1/balance?asOf=2026-02-17T08:59:59.999Z", FINANCE));
    JsonNode at = json(get("/affiliates/aff-1/balance?asOf=2026-02-17T09:00:00Z", FINANCE));
    JsonNode afterPayout =
        json(get("/affiliates/aff-1/balance?asOf=2026-02-18T09:00:00Z", FINANCE));

    assertThat(before.path("balanceCents").asLong()).isEqualTo(3888);
    assertThat(before.path("withdrawnCents").asLong()).isZero();
    assertThat(at.path("balanceCents").asLong()).isEqualTo(1888);
    assertThat(at.path("withdrawnCents").asLong()).isEqualTo(2000);
    assertThat(at.path("feesCents").asLong()).isEqualTo(1500);
    assertThat(afterPayout.path("balanceCents").asLong()).isEqualTo(1888);
    assertThat(afterPayout.path("withdrawnCents").asLong()).isEqualTo(2000);
  }

  @Test
  void shouldShowZerosAsOfBeforeTheFirstEntry() throws Exception {
    JsonNode before = json(get("/affiliates/aff-1/balance?asOf=2026-01-01T00:00:00Z", FINANCE));

    assertThat(before.path("pendingCents").asLong()).isZero();
    assertThat(before.path("balanceCents").asLong()).isZero();
    assertThat(before.path("withdrawnCents").asLong()).isZero();
  }

  @Test
  void shouldReconcileTheJournalWithBalancesAndWithdrawals() throws Exception {
    // The read side folds the journal and ledger.balances from two topics: one may be read a
    // little ahead of the other right after the last event.
    await(
        "a reconciled report",
        () -> json(get("/finance/reconciliation", FINANCE)).path("reconciled").asBoolean());
    JsonNode report = json(get("/finance/reconciliation", FINANCE));

    assertThat(report.path("reconciled").asBoolean()).as(report.toString()).isTrue();
    assertThat(report.path("differences")).isEmpty();
    assertThat(report.path("affiliates").asLong()).isEqualTo(2);
    assertThat(report.path("journal")).isEqualTo(report.path("balances"));
    assertThat(report.path("journal").path("withdrawnCents").asLong()).isEqualTo(2000);
    JsonNode paid = report.path("withdrawals").path("paid");
    assertThat(paid.path("count").asLong()).isEqualTo(1);
    assertThat(paid.path("amountCents").asLong()).isEqualTo(2000);
    assertThat(paid.path("feeCents").asLong()).isEqualTo(1500);
    assertThat(paid.path("payoutCents").asLong()).isEqualTo(500);
    assertThat(report.path("withdrawals").path("rejected").path("count").asLong()).isEqualTo(2);
    assertThat(get("/finance/reconciliation", AFF1).statusCode()).isEqualTo(403);
  }

  @Test
  void shouldKeepRunningTotalsThatTheFullCheckConfirms() throws Exception {
    await(
        "the running summary and reconciliation equal to the full check",
        () ->
            TestLedgers.runningEqualsFull(
                path -> json(get(path, FINANCE)), "/finance/summary", "/finance/reconciliation"));
    assertThat(error(get("/finance/reconciliation?full=maybe", FINANCE))).contains("true or false");
    assertThat(get("/finance/summary?full=true", AFF1).statusCode()).isEqualTo(403);
  }

  @Test
  void shouldListRejectionsWithTheirReasonAndOriginalBytes() throws Exception {
    await(
        "two rejections",
        () -> json(get("/finance/rejections", FINANCE)).path("total").asLong() == 2);

    JsonNode all = json(get("/finance/rejections", FINANCE));
    assertThat(all.path("counts").path("DUPLICATE_EVENT").asLong()).isEqualTo(1);
    assertThat(all.path("counts").path("RATE_BELOW_MINIMUM").asLong()).isEqualTo(1);

    JsonNode duplicates = json(get("/finance/rejections?reasonCode=DUPLICATE_EVENT", FINANCE));
    assertThat(duplicates.path("total").asLong()).isEqualTo(1);
    JsonNode duplicate = duplicates.path("rejections").get(0);
    assertThat(duplicate.path("sourceTopic").asText()).isEqualTo("portals.clicks");
    assertThat(duplicate.path("eventId").asText()).isEqualTo("c4");
    assertThat(duplicate.path("originalKey").asText()).isEqualTo("s4");
    assertThat(duplicate.path("message").asText()).contains("c4");
    assertThat(java.util.Base64.getDecoder().decode(duplicate.path("originalValueBase64").asText()))
        .isNotEmpty();

    JsonNode firstOnly = json(get("/finance/rejections?limit=1", FINANCE));
    assertThat(firstOnly.path("total").asLong()).isEqualTo(2);
    assertThat(firstOnly.path("rejections")).hasSize(1);
    JsonNode rates = json(get("/finance/rejections?sourceTopic=portals.commission-rates", FINANCE));
    assertThat(rates.path("rejections")).hasSize(1);
    assertThat(rates.path("rejections").get(0).path("reasonCode").asText())
        .isEqualTo("RATE_BELOW_MINIMUM");
    JsonNode none = json(get("/finance/rejections?from=2026-03-01", FINANCE));
    assertThat(none.path("total").asLong()).isZero();

    assertThat(get("/finance/rejections?limit=0", FINANCE).statusCode()).isEqualTo(400);
    assertThat(get("/finance/rejections", AFF1).statusCode()).isEqualTo(403);

    // Page by page: the first names the second in Link, the second is the last.
    HttpResponse<String> first = get("/finance/rejections?limit=1", FINANCE);
    assertThat(json(first).path("more").asBoolean()).isTrue();
    HttpResponse<String> second = get(nextPage(first), FINANCE);
    assertThat(json(second).path("rejections")).as(first.body() + "\n" + second.body()).hasSize(1);
    assertThat(json(second).path("more").asBoolean()).isFalse();
    assertThat(nextPage(second)).isNull();
    assertThat(
            List.of(json(first).path("rejections").get(0), json(second).path("rejections").get(0)))
        .containsExactlyElementsOf(all.path("rejections"));
    assertThat(json(second).path("total").asLong()).as("total covers every match").isEqualTo(2);
    String ordersCursor = cursorOf(nextPage(get("/affiliates/aff-1/orders?limit=1", FINANCE)));
    assertThat(
            json(get("/finance/rejections?cursor=" + ordersCursor, FINANCE)).path("code").asText())
        .isEqualTo("INVALID_CURSOR");

    List<String> csv = get("/finance/rejections?format=csv", FINANCE).body().lines().toList();
    assertThat(csv.get(0))
        .isEqualTo(
            "at,source_topic,source_partition,source_offset,reason_code,message,event_id,"
                + "event_time,original_key,original_key_base64,original_value_base64");
    assertThat(csv).hasSize(3);
    assertThat(csv.get(1) + csv.get(2)).contains("DUPLICATE_EVENT").contains("RATE_BELOW_MINIMUM");
  }

  @Test
  void shouldListWithdrawalsWithTheirOutcome() throws Exception {
    JsonNode withdrawals = json(get("/affiliates/aff-1/withdrawals", AFF1));

    assertThat(withdrawals).hasSize(2);
    JsonNode paid = find(withdrawals, w -> w.path("withdrawalId").asText().equals("wd-1"));
    assertThat(paid.path("status").asText()).isEqualTo("PAID");
    assertThat(paid.path("amountCents").asLong()).isEqualTo(2000);
    assertThat(paid.path("feeCents").asLong()).isEqualTo(1500);
    assertThat(paid.path("payoutCents").asLong()).isEqualTo(500);
    assertThat(paid.path("bankAccount").asText()).isEqualTo("****3000");
    assertThat(paid.toString()).doesNotContain("DE89370400440532013000");
    JsonNode rejected = find(withdrawals, w -> w.path("withdrawalId").asText().equals("wd-2"));
    assertThat(rejected.path("status").asText()).isEqualTo("REJECTED");
    assertThat(rejected.path("reason").asText()).isEqualTo("AMOUNT_EXCEEDS_BALANCE");
  }

  @Test
  void shouldNeverShowABankAccountWholeNotEvenOneThatFailedValidation() throws Exception {
    await(
        "the rejected withdrawal",
        () -> get("/affiliates/aff-2/withdrawals", FINANCE).body().contains("wd-3"));
    HttpResponse<String> response = get("/affiliates/aff-2/withdrawals", FINANCE);

    JsonNode rejected = find(json(response), w -> w.path("withdrawalId").asText().equals("wd-3"));
    assertThat(rejected.path("reason").asText()).isEqualTo("INVALID_BANK_ACCOUNT");
    assertThat(rejected.path("message").asText()).contains("****0/00");
    assertThat(response.body())
        .doesNotContain(BAD_IBAN)
        .doesNotContain("3704/0044/0532")
        .doesNotContain("COBADEFFXXX")
        .doesNotContain("John Roe");
  }

  @Test
  void shouldTrackOrdersWithEveryFilter() throws Exception {
    assertThat(orderIds("")).containsExactly("o1", "o2", "o3");
    assertThat(orderIds("?from=2026-01-11&to=2026-01-11")).containsExactly("o2");
    assertThat(orderIds("?dateType=transaction&from=2026-01-16")).containsExactly("o1");
    assertThat(orderIds("?trackingId=social")).containsExactly("o2", "o3");
    assertThat(orderIds("?promotionType=BANNER")).containsExactly("o1");
    assertThat(orderIds("?status=CANCELLED")).containsExactly("o3");
    assertThat(orderIds("?status=COMPLETED&trackingId=social")).containsExactly("o2");

    JsonNode o1 =
        json(get("/affiliates/aff-1/orders?status=COMPLETED&trackingId=blog", FINANCE)).get(0);
    assertThat(o1.path("orderDate").asText()).isEqualTo("2026-01-10T10:05:00Z");
    assertThat(o1.path("transactionDate").asText()).isEqualTo("2026-01-20T08:00:00Z");
    assertThat(o1.path("af").asText()).isEqualTo("sub7");
    assertThat(o1.path("orderAmountCents").asLong()).isEqualTo(10200);
    assertThat(o1.path("commissionCents").asLong()).isEqualTo(688);
  }

  @Test
  void shouldExportOrdersAsCsvWithTheContractsColumns() throws Exception {
    HttpResponse<String> response =
        get("/affiliates/aff-1/orders?format=csv&trackingId=blog", FINANCE);

    List<CSVRecord> rows = csv(response);
    assertThat(rows).isNotEmpty();
    assertThat(rows.get(0).getParser().getHeaderNames())
        .containsExactly(
            "order_id",
            "order_date",
            "transaction_date",
            "status",
            "tracking_id",
            "af",
            "cn",
            "cv",
            "dp",
            "promotion_type",
            "order_amount",
            "commission");
    assertThat(rows)
        .singleElement()
        .satisfies(
            row -> {
              assertThat(row.get("order_id")).isEqualTo("o1");
              assertThat(row.get("status")).isEqualTo("COMPLETED");
              assertThat(row.get("af")).isEqualTo("sub7");
              assertThat(row.get("cn")).isEqualTo("spring");
              assertThat(row.get("cv")).isEqualTo("banner-3");
              assertThat(row.get("dp")).isEqualTo("x");
              assertThat(row.get("promotion_type")).isEqualTo("BANNER");
              assertThat(row.get("order_amount")).isEqualTo("102.00");
              assertThat(row.get("commission")).isEqualTo("6.88");
            });
  }

  @Test
  void shouldNeutraliseFormulasInCsvCellsAndKeepTheAmountsNumbers() throws Exception {
    List<CSVRecord> rows = csv(get("/affiliates/aff-2/orders?format=csv", FINANCE));

    assertThat(rows)
        .singleElement()
        .satisfies(
            row -> {
              assertThat(row.get("order_id")).isEqualTo("o4");
              assertThat(row.get("tracking_id"))
                  .isEqualTo("'=HYPERLINK(\"http://x.test\",\"open\")");
              assertThat(row.get("af")).isEqualTo("'+1+1");
              assertThat(row.get("cn")).isEqualTo("'-2");
              assertThat(row.get("cv")).isEqualTo("'@SUM(A1)");
              assertThat(row.get("dp")).isEqualTo("'\tcmd");
              assertThat(row.get("order_amount")).isEqualTo("10.00");
            });
  }

  @Test
  void shouldSumIncomeByPeriodAndState() throws Exception {
    JsonNode months = json(get("/affiliates/aff-1/income?granularity=month", FINANCE));

    JsonNode january = find(months, m -> m.path("period").asText().equals("2026-01"));
    assertThat(january.path("accruedCents").asLong()).isEqualTo(918 + 3200 + 400);
    assertThat(january.path("completedCents").asLong()).isEqualTo(688 + 3200);
    assertThat(january.path("reversedCents").asLong()).isEqualTo(230 + 400);
    JsonNode february = find(months, m -> m.path("period").asText().equals("2026-02"));
    assertThat(february.path("postedCents").asLong()).isEqualTo(3200 + 688);

    JsonNode days =
        json(
            get("/affiliates/aff-1/income?granularity=day&from=2026-01-12&to=2026-01-13", FINANCE));
    assertThat(days)
        .extracting(d -> d.path("period").asText())
        .containsExactly("2026-01-12", "2026-01-13");
  }

  @Test
  void shouldReportTrafficByEveryTrackingField() throws Exception {
    JsonNode byTracking = json(get("/affiliates/aff-1/traffic", FINANCE));
    JsonNode social = find(byTracking, g -> g.path("group").asText().equals("social"));
    assertThat(social.path("clicks").asLong()).isEqualTo(2);
    assertThat(social.path("orders").asLong()).isEqualTo(2);
    assertThat(social.path("conversion").decimalValue()).isEqualByComparingTo("1");
    assertThat(social.path("commissionCents").asLong()).isEqualTo(3200);

    JsonNode byAf = json(get("/affiliates/aff-1/traffic?groupBy=af", FINANCE));
    assertThat(byAf).extracting(g -> g.path("group").asText()).containsExactly("(none)", "sub7");
    for (String field : List.of("cn", "cv", "dp")) {
      assertThat(get("/affiliates/aff-1/traffic?groupBy=" + field, FINANCE).statusCode())
          .isEqualTo(200);
    }
  }

  @Test
  void shouldListTheJournalWithCausingEvents() throws Exception {
    JsonNode journal = json(get("/affiliates/aff-1/journal", AFF1));

    assertThat(journal)
        .extracting(e -> e.path("causingEventId").asText())
        .contains("p1", "f1", "d1", "w1", "pay1");
    for (JsonNode entry : journal) {
      long sum = 0;
      for (JsonNode leg : entry.path("legs")) {
        sum += leg.path("amountCents").asLong();
      }
      assertThat(sum).as(entry.path("entryId").asText()).isZero();
    }
  }

  @Test
  void shouldSumEverythingForFinance() throws Exception {
    JsonNode summary = json(get("/finance/summary", FINANCE));

    assertThat(summary.path("affiliates").asLong()).isEqualTo(2);
    assertThat(summary.path("withdrawalsPaid").asLong()).isEqualTo(1);
    assertThat(summary.path("withdrawalsRejected").asLong()).isEqualTo(2);
    assertThat(summary.path("feesCents").asLong()).isEqualTo(1500);
    assertThat(summary.path("unattributedOrders").asLong()).isEqualTo(1);
    assertThat(summary.path("unattributedOrderAmountCents").asLong()).isEqualTo(7000);
  }

  @Test
  void shouldAnswer401WithoutAValidToken() throws Exception {
    assertThat(get("/affiliates/aff-1/balance", null).statusCode()).isEqualTo(401);
    HttpResponse<String> wrong = get("/affiliates/aff-1/balance", "not-a-known-token-at-all");
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(json(wrong).path("error").asText()).isEqualTo("unknown token");
    assertThat(get("/finance/summary", null).statusCode()).isEqualTo(401);
    assertThat(post("/events", null, SCENARIO.get(0)).statusCode()).isEqualTo(401);
  }

  @Test
  void shouldAnswer403OutsideTheTokensRole() throws Exception {
    assertThat(get("/affiliates/aff-2/balance", AFF1).statusCode()).isEqualTo(403);
    assertThat(get("/affiliates/aff-2/orders", AFF1).statusCode()).isEqualTo(403);
    assertThat(get("/finance/summary", AFF1).statusCode()).isEqualTo(403);
    assertThat(get("/affiliates/aff-1/balance", INGEST).statusCode()).isEqualTo(403);
    assertThat(post("/events", AFF1, SCENARIO.get(0)).statusCode()).isEqualTo(403);
    assertThat(get("/affiliates/aff-1/balance", AFF1).statusCode()).isEqualTo(200);
  }

  @Test
  void shouldAnswer400WithTheReason() throws Exception {
    assertThat(error(get("/affiliates/aff-1/orders?dateType=shipping", FINANCE)))
        .contains("dateType");
    assertThat(error(get("/affiliates/aff-1/orders?status=LOST", FINANCE))).contains("status");
    assertThat(error(get("/affiliates/aff-1/orders?promotionType=POPUP", FINANCE)))
        .contains("promotionType");
    assertThat(error(get("/affiliates/aff-1/orders?format=xml", FINANCE))).contains("format");
    assertThat(error(get("/affiliates/aff-1/orders?from=yesterday", FINANCE))).contains("from");
    assertThat(error(get("/affiliates/aff-1/orders?from=2026-02-01&to=2026-01-01", FINANCE)))
        .contains("after");
    assertThat(error(get("/affiliates/aff-1/income?granularity=week", FINANCE)))
        .contains("granularity");
    assertThat(error(get("/affiliates/aff-1/traffic?groupBy=country", FINANCE)))
        .contains("groupBy");
    assertThat(error(get("/affiliates/aff-1/balance?asOf=soon", FINANCE))).contains("asOf");
    assertThat(error(get("/affiliates/aff-1/balance?asOf=%2B999999999-12-31T23:59:59Z", FINANCE)))
        .contains("asOf", "out of range");
    assertThat(error(get("/affiliates/aff-1/orders?to=%2B999999999-12-31T23:59:59Z", FINANCE)))
        .contains("to", "out of range");
    assertThat(get("/affiliates/nobody/balance", FINANCE).statusCode()).isEqualTo(404);
  }

  @Test
  void shouldReportEachBadLineOfPostedEventsByNumber() throws Exception {
    HttpResponse<String> response =
        post(
            "/events",
            INGEST,
            SCENARIO.get(1)
                + "\n{\"type\":\"OrderCompleted\",\"eventId\":\"z\",\"occurredAt\":\"2026-01-20T08:00:00Z\"}\nnot json");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/problem+json");
    JsonNode body = json(response);
    assertThat(body.path("code").asText()).isEqualTo("EVENTS_REJECTED");
    assertThat(body.path("status").asInt()).isEqualTo(400);
    assertThat(body.path("detail")).isEqualTo(body.path("error"));
    assertThat(body.path("accepted").asInt()).isEqualTo(1);
    assertThat(body.path("rejected")).hasSize(2);
    assertThat(body.path("rejected").get(0).path("line").asInt()).isEqualTo(2);
    assertThat(body.path("rejected").get(0).path("reason").asText())
        .isEqualTo("missing field 'orderId'");
    assertThat(body.path("rejected").get(1).path("line").asInt()).isEqualTo(3);
    assertThat(error(post("/events", INGEST, ""))).contains("empty");
  }

  @Test
  void shouldRejectATickFromAnIngestTokenAndPublishTheOtherLines() throws Exception {
    HttpResponse<String> response =
        post(
            "/events",
            INGEST,
            "{\"type\":\"CommissionRateSet\",\"eventId\":\"r-books\",\"category\":\"books\","
                + "\"rateBps\":900,\"effectiveFrom\":\"2026-01-01T00:00:00Z\"}\n"
                + "{\"type\":\"ClockTick\",\"at\":\"2030-01-01T00:00:00Z\"}");

    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    JsonNode body = json(response);
    assertThat(body.path("accepted").asInt()).isEqualTo(1);
    assertThat(body.path("rejected")).hasSize(1);
    assertThat(body.path("rejected").get(0).path("line").asInt()).isEqualTo(2);
    assertThat(body.path("rejected").get(0).path("reason").asText())
        .startsWith("TICK_REQUIRES_FINANCE")
        .contains("finance");
    assertThat(json(get("/finance/clock", FINANCE)).path("ledgerTime").asText())
        .isEqualTo("2026-02-20T00:00:00Z");
  }

  private static final List<String> LISTS =
      List.of("orders", "journal", "withdrawals", "income", "traffic");

  @Test
  void shouldWalkEveryListPageByPageByTheLinkHeaderAndGetEveryRowOnce() throws Exception {
    for (String path :
        List.of(
            "/affiliates/aff-1/orders",
            "/affiliates/aff-1/orders?status=COMPLETED",
            "/affiliates/aff-1/journal",
            "/affiliates/aff-1/withdrawals",
            "/affiliates/aff-1/income",
            "/affiliates/aff-1/traffic?groupBy=af")) {
      HttpResponse<String> first = get(path, FINANCE);
      assertThat(first.headers().firstValue("Link")).as(path + ": one page holds it all").isEmpty();
      JsonNode whole = json(first);
      assertThat(whole.size()).as(path).isGreaterThan(1);
      List<JsonNode> walked = new ArrayList<>();
      int pages = 0;
      for (String next = path + (path.contains("?") ? "&" : "?") + "limit=1";
          next != null;
          pages++) {
        HttpResponse<String> page = get(next, AFF1);
        JsonNode rows = json(page);
        assertThat(page.statusCode()).as(next).isEqualTo(200);
        assertThat(rows.size()).as(next).isEqualTo(1);
        rows.forEach(walked::add);
        next = nextPage(page);
        if (next != null) {
          assertThat(next).as("the next page keeps the query").contains("limit=1");
        }
      }
      assertThat(walked).as(path).containsExactlyElementsOf(whole);
      assertThat(pages).as(path).isEqualTo(whole.size());
    }
  }

  @Test
  void shouldRefuseACursorOfAnotherListOrAffiliateAndALimitOutOfRange() throws Exception {
    String journalCursor = cursorOf(nextPage(get("/affiliates/aff-1/journal?limit=1", FINANCE)));
    String ordersCursor = cursorOf(nextPage(get("/affiliates/aff-1/orders?limit=1", FINANCE)));

    assertThat(error(get("/affiliates/aff-1/orders?cursor=" + journalCursor, FINANCE)))
        .contains("'cursor' is not a cursor of this list");
    assertThat(error(get("/affiliates/aff-2/orders?cursor=" + ordersCursor, FINANCE)))
        .contains("'cursor' is not a cursor of this list");
    assertThat(error(get("/affiliates/aff-1/orders?cursor=%25%25not-base64", FINANCE)))
        .contains("'cursor'");
    assertThat(get("/affiliates/aff-1/orders?cursor=" + ordersCursor, FINANCE).statusCode())
        .isEqualTo(200);
    for (String list : LISTS) {
      assertThat(error(get("/affiliates/aff-1/" + list + "?limit=0", FINANCE)))
          .contains("from 1 to 10000");
      assertThat(error(get("/affiliates/aff-1/" + list + "?limit=10001", FINANCE)))
          .contains("from 1 to 10000");
      assertThat(get("/affiliates/aff-1/" + list + "?format=csv&limit=10001", FINANCE).statusCode())
          .isEqualTo(200);
      assertThat(error(get("/affiliates/aff-1/" + list + "?format=xml", FINANCE)))
          .contains("json or csv");
    }
  }

  @Test
  void shouldAnswerEveryAffiliateListAsCsvByFormatOrByAccept() throws Exception {
    Map<String, String> headers =
        Map.of(
            "orders",
            "order_id,order_date,transaction_date,status,tracking_id,af,cn,cv,dp,promotion_type,"
                + "order_amount,commission",
            "journal",
            "entry_id,kind,effective_at,causing_event_id,order_id,withdrawal_id,account,amount",
            "withdrawals",
            "withdrawal_id,status,amount,fee,payout,reason,requested_amount,message,bank_account,"
                + "decided_at,batch_id,batched_at,paid_at",
            "income",
            "period,accrued,completed,posted,reversed",
            "traffic",
            "group,clicks,orders,conversion,commission");
    for (String list : LISTS) {
      String path = "/affiliates/aff-1/" + list;
      HttpResponse<String> byFormat = get(path + "?format=csv", AFF1);
      HttpResponse<String> byAccept =
          API.send(API.request(path, AFF1).header("Accept", "text/csv").GET());
      assertThat(byFormat.statusCode()).as(path).isEqualTo(200);
      assertThat(byAccept.body()).as(path).isEqualTo(byFormat.body());
      assertThat(byFormat.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
      assertThat(byFormat.headers().firstValue("Content-Disposition").orElse(""))
          .isEqualTo("attachment; filename=\"" + list + "-aff-1.csv\"");
      List<String> lines = byFormat.body().lines().toList();
      assertThat(lines.get(0)).as(path).isEqualTo(headers.get(list));
      JsonNode rows = json(get(path, AFF1));
      int expected = rows.size();
      if (list.equals("journal")) {
        expected = 0;
        for (JsonNode entry : rows) {
          expected += entry.path("legs").size();
        }
      }
      assertThat(lines).as(path).hasSize(1 + expected);
    }
    // Finance's reports too: the summary as one line of figures, the reconciliation's differences.
    JsonNode summary = json(get("/finance/summary", FINANCE));
    List<String> summaryCsv = get("/finance/summary?format=csv", FINANCE).body().lines().toList();
    assertThat(summaryCsv).hasSize(2);
    assertThat(summaryCsv.get(0)).startsWith("currency,ledger_time,affiliates,pending,");
    assertThat(summaryCsv.get(1))
        .startsWith(
            "USD,"
                + summary.path("ledgerTime").asText()
                + ","
                + summary.path("affiliates").asLong()
                + ",");
    HttpResponse<String> reconciliation =
        API.send(
            API.request("/finance/reconciliation", FINANCE).header("Accept", "text/csv").GET());
    assertThat(reconciliation.headers().firstValue("Content-Type").orElse(""))
        .startsWith("text/csv");
    assertThat(reconciliation.body().lines().findFirst())
        .contains("affiliate_id,check,expected,found,message");

    // A CSV page cut by a limit names the next in Link, as JSON pages do.
    HttpResponse<String> cut = get("/affiliates/aff-1/journal?format=csv&limit=1", AFF1);
    assertThat(nextPage(cut)).contains("format=csv").contains("cursor=");
    assertThat(get("/affiliates/aff-1/journal?format=csv", AFF1).headers().firstValue("Link"))
        .isEmpty();
  }

  /** The write side's events applied of {@code type}, summed over its tasks, in a scrape. */
  private static double appliedOfType(String scrape, String type) {
    double sum = 0;
    for (String line : scrape.split("\n")) {
      if (line.startsWith("kafka_ledger_events_applied_total{")
          && line.contains("event_type=\"" + type + "\"")
          && line.contains("side=\"write\"")) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  /** The next page a Link header names (RFC 8288), or null on the last page. */
  private static String nextPage(HttpResponse<String> page) {
    Matcher link =
        Pattern.compile("^<([^>]+)>; rel=\"next\"$")
            .matcher(page.headers().firstValue("Link").orElse(""));
    return link.matches() ? link.group(1) : null;
  }

  private static String cursorOf(String next) {
    Matcher cursor = Pattern.compile("[?&]cursor=([^&]+)").matcher(next);
    assertThat(cursor.find()).as(next).isTrue();
    return cursor.group(1);
  }

  @Test
  void shouldRankTheAffiliatesByBalanceOrEarnedForFinanceOnly() throws Exception {
    JsonNode byBalance = json(get("/finance/affiliates", FINANCE));
    List<String> ids = new ArrayList<>();
    byBalance.forEach(row -> ids.add(row.path("affiliateId").asText()));
    assertThat(ids).contains("aff-1", "aff-2");
    for (JsonNode row : byBalance) {
      JsonNode balance =
          json(get("/affiliates/" + row.path("affiliateId").asText() + "/balance", FINANCE));
      for (String field :
          List.of(
              "pendingCents",
              "awaitingRefreshCents",
              "balanceCents",
              "withdrawnCents",
              "feesCents",
              "nextRefreshAt")) {
        assertThat(row.path(field)).as(row + " " + field).isEqualTo(balance.path(field));
      }
      assertThat(row.path("earnedCents").asLong())
          .isEqualTo(
              balance.path("pendingCents").asLong()
                  + balance.path("awaitingRefreshCents").asLong()
                  + balance.path("balanceCents").asLong()
                  + balance.path("withdrawnCents").asLong()
                  + balance.path("feesCents").asLong());
    }
    for (int i = 1; i < byBalance.size(); i++) {
      assertThat(byBalance.get(i - 1).path("balanceCents").asLong())
          .isGreaterThanOrEqualTo(byBalance.get(i).path("balanceCents").asLong());
    }
    JsonNode topEarner = json(get("/finance/affiliates?sort=earned&limit=1", FINANCE));
    assertThat(topEarner).hasSize(1);
    long most = 0;
    for (JsonNode row : byBalance) {
      most = Math.max(most, row.path("earnedCents").asLong());
    }
    assertThat(topEarner.get(0).path("earnedCents").asLong()).isEqualTo(most);

    assertThat(error(get("/finance/affiliates?sort=income", FINANCE)))
        .contains("balance or earned");
    assertThat(get("/finance/affiliates?limit=0", FINANCE).statusCode()).isEqualTo(400);
    assertThat(get("/finance/affiliates", AFF1).statusCode()).isEqualTo(403);
    assertThat(get("/finance/affiliates", null).statusCode()).isEqualTo(401);
  }

  @Test
  void shouldTellATokenWhatItMayDo() throws Exception {
    assertThat(json(get("/whoami", AFF1)).path("role").asText()).isEqualTo("affiliate");
    assertThat(json(get("/whoami", AFF1)).path("affiliateId").asText()).isEqualTo("aff-1");
    assertThat(json(get("/whoami", FINANCE)).path("role").asText()).isEqualTo("finance");
    assertThat(json(get("/whoami", FINANCE)).path("affiliateId").isNull()).isTrue();
    assertThat(get("/whoami", null).statusCode()).isEqualTo(401);
    assertThat(get("/whoami", "not-a-token-of-this-ledger").statusCode()).isEqualTo(401);
  }

  @Test
  void shouldServeTheDashboardAndItsChartLibraryWithoutAToken() throws Exception {
    HttpResponse<String> page = get("/", null);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
    assertThat(page.body()).contains("<title>Portals ledger</title>");
    // Every script and style sheet the page names is served (the WebJar's version included).
    Matcher asset = Pattern.compile("(?:src|href)=\"(/[^\"]+)\"").matcher(page.body());
    int assets = 0;
    while (asset.find()) {
      HttpResponse<String> served = get(asset.group(1), null);
      assertThat(served.statusCode()).as(asset.group(1)).isEqualTo(200);
      assertThat(served.body()).as(asset.group(1)).isNotBlank();
      assets++;
    }
    assertThat(assets).isEqualTo(4);
    // A path that is neither a route nor a file is still the API's JSON 404.
    HttpResponse<String> missing = get("/no-such-page", null);
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(json(missing).path("code").asText()).isEqualTo("NO_SUCH_ENDPOINT");
  }

  @Test
  void shouldShowTheLedgerTimeAndTheLastPostedTickToFinanceOnly() throws Exception {
    HttpResponse<String> response = get("/finance/clock", FINANCE);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode clock = json(response);
    assertThat(clock.path("clock").asText()).isEqualTo("manual");
    assertThat(clock.path("ledgerTime").asText()).isEqualTo("2026-02-20T00:00:00Z");
    assertThat(clock.path("lastTickAt").asText()).isEqualTo("2026-02-20T00:00:00Z");
    assertThat(clock.path("maxAheadSeconds").isNull()).isTrue();
    assertThat(get("/finance/clock", INGEST).statusCode()).isEqualTo(403);
    assertThat(get("/finance/clock", AFF1).statusCode()).isEqualTo(403);
  }

  /**
   * The OpenAPI document the ledger serves, held to real answers: every operation it documents with
   * a JSON 200 answer is called (affiliates, filters and tokens of the scenario) and each answer
   * validated against the documented schema, with every object held to the fields the document
   * names (no field missing, of another type, out of its enum, or not documented); the other media
   * types it documents (CSV, Prometheus text) are what the API answers.
   */
  @Test
  void shouldAnswerEveryJsonEndpointAsTheOpenApiDocumentDescribesIt() throws Exception {
    // Rows for every schema to check: aff-2's data and the rejections come by paths of their own.
    await(
        "aff-2's withdrawal and order, the rejections",
        () ->
            get("/affiliates/aff-2/withdrawals", FINANCE).body().contains("wd-3")
                && get("/affiliates/aff-2/orders", FINANCE).body().contains("\"o4\"")
                && json(get("/finance/rejections", FINANCE)).path("rejections").size() > 0);
    String click =
        "{\"type\":\"ClickRecorded\",\"eventId\":\"c-openapi\",\"clickId\":\"k-openapi\","
            + "\"affiliateId\":\"aff-openapi\",\"sessionId\":\"s-openapi\","
            + "\"occurredAt\":\"2026-02-19T10:00:00Z\"}";
    Map<String, List<ApiCall>> calls =
        Map.ofEntries(
            Map.entry("GET /health", List.of(ApiCall.get("/health", null))),
            Map.entry("GET /health/ready", List.of(ApiCall.get("/health/ready", null))),
            Map.entry("GET /health/live", List.of(ApiCall.get("/health/live", null))),
            Map.entry("GET /openapi.json", List.of(ApiCall.get("/openapi.json", null))),
            Map.entry("POST /events", List.of(ApiCall.post("/events", INGEST, click))),
            Map.entry(
                "GET /affiliates/{id}/balance",
                List.of(
                    ApiCall.get("/affiliates/aff-1/balance", FINANCE),
                    ApiCall.get("/affiliates/aff-1/balance?asOf=2026-01-21T00:00:00Z", AFF1))),
            Map.entry(
                "GET /affiliates/{id}/withdrawals",
                List.of(
                    ApiCall.get("/affiliates/aff-1/withdrawals", AFF1),
                    ApiCall.get("/affiliates/aff-2/withdrawals", FINANCE))),
            Map.entry(
                "GET /affiliates/{id}/orders",
                List.of(
                    ApiCall.get("/affiliates/aff-1/orders", AFF1),
                    ApiCall.get(
                        "/affiliates/aff-1/orders?format=json&dateType=transaction"
                            + "&from=2026-01-01&to=2026-01-31&status=COMPLETED",
                        FINANCE),
                    ApiCall.get("/affiliates/aff-2/orders", FINANCE))),
            Map.entry(
                "GET /affiliates/{id}/income",
                List.of(
                    ApiCall.get("/affiliates/aff-1/income", AFF1),
                    ApiCall.get("/affiliates/aff-1/income?granularity=month", FINANCE))),
            Map.entry(
                "GET /affiliates/{id}/traffic",
                List.of(
                    ApiCall.get("/affiliates/aff-1/traffic", AFF1),
                    ApiCall.get("/affiliates/aff-1/traffic?groupBy=af&from=2026-01-01", FINANCE))),
            Map.entry(
                "GET /affiliates/{id}/journal",
                List.of(ApiCall.get("/affiliates/aff-1/journal", AFF1))),
            Map.entry("GET /finance/summary", List.of(ApiCall.get("/finance/summary", FINANCE))),
            Map.entry("GET /finance/clock", List.of(ApiCall.get("/finance/clock", FINANCE))),
            Map.entry(
                "GET /whoami",
                List.of(ApiCall.get("/whoami", AFF1), ApiCall.get("/whoami", METRICS))),
            Map.entry(
                "GET /finance/affiliates",
                List.of(
                    ApiCall.get("/finance/affiliates", FINANCE),
                    ApiCall.get("/finance/affiliates?sort=earned&limit=1", FINANCE))),
            Map.entry(
                "GET /finance/rejections",
                List.of(
                    ApiCall.get("/finance/rejections", FINANCE),
                    ApiCall.get(
                        "/finance/rejections?reasonCode=DUPLICATE_EVENT&limit=1", FINANCE))),
            Map.entry(
                "GET /finance/reconciliation",
                List.of(ApiCall.get("/finance/reconciliation", FINANCE))));
    Map<String, ApiCall> otherMediaTypes =
        Map.of(
            "GET /affiliates/{id}/orders text/csv",
            ApiCall.get("/affiliates/aff-1/orders?format=csv", AFF1),
            "GET /affiliates/{id}/withdrawals text/csv",
            ApiCall.get("/affiliates/aff-1/withdrawals?format=csv", AFF1),
            "GET /affiliates/{id}/income text/csv",
            ApiCall.get("/affiliates/aff-1/income?format=csv", AFF1),
            "GET /affiliates/{id}/traffic text/csv",
            ApiCall.get("/affiliates/aff-1/traffic?format=csv", AFF1),
            "GET /affiliates/{id}/journal text/csv",
            ApiCall.get("/affiliates/aff-1/journal?format=csv", AFF1),
            "GET /finance/summary text/csv",
            ApiCall.get("/finance/summary?format=csv", FINANCE),
            "GET /finance/rejections text/csv",
            ApiCall.get("/finance/rejections?format=csv", FINANCE),
            "GET /finance/reconciliation text/csv",
            ApiCall.get("/finance/reconciliation?format=csv", FINANCE),
            "GET /metrics text/plain",
            ApiCall.get("/metrics", METRICS));

    HttpResponse<String> served = get("/openapi.json", null);
    assertThat(served.statusCode()).isEqualTo(200);
    OpenApiSchemas schemas = new OpenApiSchemas(JSON.readTree(served.body()));
    JsonNode document = schemas.document();
    assertThat(document.path("openapi").asText()).isEqualTo("3.1.0");

    Set<String> jsonOperations = new TreeSet<>();
    Set<String> otherOperations = new TreeSet<>();
    Set<String> payoutOperations = new TreeSet<>();
    Schema balance = null;
    for (Map.Entry<String, JsonNode> path : document.path("paths").properties()) {
      for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
        String name = operation.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey();
        if (tagged(operation.getValue(), "payouts")) {
          // Answered after a payout batch only, which this scenario has none of:
          // PayoutBatchIntegrationTest holds them to the document.
          payoutOperations.add(name);
          continue;
        }
        JsonNode content =
            schemas.resolved(operation.getValue().path("responses").path("200")).path("content");
        for (Map.Entry<String, JsonNode> media : content.properties()) {
          if (!media.getKey().equals("application/json")) {
            String key = name + " " + media.getKey();
            otherOperations.add(key);
            ApiCall call = otherMediaTypes.get(key);
            assertThat(call).as("a request to make for " + key).isNotNull();
            HttpResponse<String> answer = call.send();
            assertThat(answer.statusCode()).as(call + ": " + answer.body()).isEqualTo(200);
            assertThat(answer.headers().firstValue("Content-Type").orElse(""))
                .as(call.toString())
                .startsWith(media.getKey());
            continue;
          }
          jsonOperations.add(name);
          Schema schema = schemas.schema(media.getValue().path("schema"));
          assertThat(calls.get(name)).as("requests to make for " + name).isNotEmpty();
          for (ApiCall call : calls.get(name)) {
            HttpResponse<String> answer = call.send();
            assertThat(answer.statusCode()).as(call + ": " + answer.body()).isEqualTo(200);
            assertThat(answer.headers().firstValue("Content-Type").orElse(""))
                .as(call.toString())
                .startsWith("application/json");
            JsonNode body = JSON.readTree(answer.body());
            if (body.isArray()) {
              assertThat(body)
                  .as(call + ": the scenario gives the schema rows to check")
                  .isNotEmpty();
            }
            assertThat(problems(schema, body)).as(call + " answered " + answer.body()).isEmpty();
          }
          if (name.equals("GET /affiliates/{id}/balance")) {
            balance = schema;
          }
        }
      }
    }
    assertThat(jsonOperations).containsExactlyInAnyOrderElementsOf(calls.keySet());
    assertThat(otherOperations).containsExactlyInAnyOrderElementsOf(otherMediaTypes.keySet());
    assertThat(payoutOperations)
        .containsExactlyInAnyOrderElementsOf(PayoutBatchIntegrationTest.OPERATIONS);

    // The checks bite: a field missing, of another type, not documented, not a date-time.
    ObjectNode real = (ObjectNode) json(get("/affiliates/aff-1/balance", FINANCE));
    assertThat(problems(balance, real)).isEmpty();
    assertThat(problems(balance, real.deepCopy().without("balanceCents"))).isNotEmpty();
    assertThat(problems(balance, real.deepCopy().put("pendingCents", "0"))).isNotEmpty();
    assertThat(problems(balance, real.deepCopy().put("surprise", 1))).isNotEmpty();
    assertThat(problems(balance, real.deepCopy().put("nextRefreshAt", "soon"))).isNotEmpty();
    assertThat(problems(balance, real.deepCopy().put("currency", "EUR"))).isNotEmpty();
  }

  // --- helpers

  /** A request of the scenario: method, path with its query, token (or none), body (or none). */
  private record ApiCall(String method, String path, String token, String body) {
    static ApiCall get(String path, String token) {
      return new ApiCall("GET", path, token, null);
    }

    static ApiCall post(String path, String token, String body) {
      return new ApiCall("POST", path, token, body);
    }

    HttpResponse<String> send() throws Exception {
      return method.equals("POST") ? API.post(path, token, body) : API.get(path, token);
    }

    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  private static boolean tagged(JsonNode operation, String tag) {
    for (JsonNode t : operation.path("tags")) {
      if (t.asText().equals(tag)) {
        return true;
      }
    }
    return false;
  }

  private static List<String> problems(Schema schema, JsonNode body) {
    return OpenApiSchemas.problems(schema, body);
  }

  private static List<String> orderIds(String query) throws Exception {
    JsonNode orders = json(get("/affiliates/aff-1/orders" + query, FINANCE));
    return StreamSupport.stream(orders.spliterator(), false)
        .map(o -> o.path("orderId").asText())
        .toList();
  }

  /** The rows of a CSV answer, read with a CSV parser, by the names of its header. */
  private static List<CSVRecord> csv(HttpResponse<String> response) throws Exception {
    assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
    try (CSVParser parser =
        CSVFormat.DEFAULT
            .builder()
            .setHeader()
            .setSkipHeaderRecord(true)
            .get()
            .parse(new StringReader(response.body()))) {
      return parser.getRecords();
    }
  }

  private static JsonNode find(JsonNode array, Predicate<JsonNode> test) {
    for (JsonNode element : array) {
      if (test.test(element)) {
        return element;
      }
    }
    throw new AssertionError("nothing matches in " + array);
  }

  private static String error(HttpResponse<String> response) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    return json(response).path("error").asText();
  }

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isBetween(200, 499);
    return JSON.readTree(response.body());
  }

  private static HttpResponse<String> get(String path, String token) throws Exception {
    return API.get(path, token);
  }

  private static HttpResponse<String> post(String path, String token, String body)
      throws Exception {
    return API.post(path, token, body);
  }
}
