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
import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/**
 * Issue 17 end to end, as finance would: two accepted withdrawals go into a payout batch, its bank
 * file (valid against ISO's pain.001.001.09 schema) pays them, the bank's pain.002 says one was
 * paid and one rejected, the ledger marks them PAID and FAILED (the failed one's money back on the
 * balance), neither goes into a second batch, and {@code ledger verify} finds the replay identical.
 */
@Timeout(300)
class PayoutBatchIntegrationTest {

  /** The payout operations of the OpenAPI document; this test holds their answers to it. */
  static final List<String> OPERATIONS =
      List.of(
          "POST /finance/payout-batches",
          "GET /finance/payout-batches",
          "GET /finance/payout-batches/{id}",
          "GET /finance/payout-batches/{id}/pain.001",
          "GET /finance/payout-batches/{id}/payouts.csv",
          "POST /finance/payout-batches/{id}/status");

  private static final String FINANCE = "finance-token-0123456789";
  private static final String AFF1 = "aff1-token-0123456789";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String IBAN_1 = "DE89370400440532013000";
  private static final String IBAN_2 = "GB82WEST12345698765432";

  @RegisterExtension static final KafkaClusterExtension kafka = new KafkaClusterExtension();
  @TempDir static Path dir;

  private static LedgerRuntime ledger;
  private static final ApiClient API = new ApiClient(() -> ledger.httpPort());

  /** Two affiliates earn, their commission is posted, each asks for a withdrawal. */
  private static final List<String> HISTORY =
      List.of(
          click("c1", "aff-1", "s1", "2026-01-10T10:00:00Z"),
          click("c2", "aff-2", "s2", "2026-01-10T11:00:00Z"),
          order("p1", "o1", "s1", 100_000, "2026-01-10T10:05:00Z"),
          order("p2", "o2", "s2", 50_000, "2026-01-10T11:05:00Z"),
          "{\"type\":\"OrderCompleted\",\"eventId\":\"d1\",\"orderId\":\"o1\",\"occurredAt\":\"2026-01-15T08:00:00Z\"}",
          "{\"type\":\"OrderCompleted\",\"eventId\":\"d2\",\"orderId\":\"o2\",\"occurredAt\":\"2026-01-15T09:00:00Z\"}",
          tick("2026-02-17T00:00:00Z"),
          withdrawal("w1", "wd-1", "aff-1", 3000, IBAN_1, "COBADEFFXXX", "Jane Doe"),
          withdrawal("w2", "wd-2", "aff-2", 2500, IBAN_2, "NWBKGB2L", "John Roe & Sons <Ltd>"),
          tick("2026-02-18T00:00:00Z"));

  @Test
  void shouldPayAcceptedWithdrawalsThroughABatchAndSettleThemFromTheBankReport() throws Exception {
    Path tokens = TestLedgers.tokensFile(dir, FINANCE + " finance", AFF1 + " affiliate aff-1");
    ledger =
        TestLedgers.start(
            dir,
            kafka.bootstrapServers(),
            tokens,
            ClockMode.MANUAL,
            3,
            Settings.empty()
                .with("ledger.payout.debtor-name", "Portals Affiliate Programme")
                .with("ledger.payout.debtor-iban", "FR1420041010050500013M02606")
                .with("ledger.payout.debtor-bic", "PSSTFRPPPAR"));
    try {
      await("the read side", () -> API.get("/health", null).statusCode() == 200);
      HttpResponse<String> posted = API.post("/events", FINANCE, String.join("\n", HISTORY));
      assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);
      await(
          "both withdrawals accepted",
          () ->
              API.get("/affiliates/aff-2/withdrawals", FINANCE).body().contains("ACCEPTED")
                  && API.get("/affiliates/aff-1/withdrawals", FINANCE).body().contains("ACCEPTED"));
      // aff-2 earned 8% of 500.00 = 40.00 and withdrew 25.00.
      await("aff-2's balance after its withdrawal", () -> balance("aff-2") == 1500);

      OpenApiSchemas openApi =
          new OpenApiSchemas(JSON.readTree(API.get("/openapi.json", null).body()));

      // --- the batch
      HttpResponse<String> early =
          API.post("/finance/payout-batches", FINANCE, "{\"cutoff\":\"2026-02-17T08:00:00Z\"}");
      conforms(openApi, "POST /finance/payout-batches", early, 409);
      assertThat(early.body()).contains("2026-02-17T08:00:00Z");
      HttpResponse<String> created = API.post("/finance/payout-batches", FINANCE, "");
      conforms(openApi, "POST /finance/payout-batches", created, 201);
      JsonNode batch = JSON.readTree(created.body());
      String batchId = batch.path("batchId").asText();
      assertThat(batchId).startsWith("PB-").hasSizeLessThanOrEqualTo(35);
      assertThat(created.headers().firstValue("Location"))
          .contains("/finance/payout-batches/" + batchId);
      assertThat(ids(batch.path("withdrawals"))).containsExactly("wd-1", "wd-2");
      assertThat(batch.path("totalCents").asLong()).isEqualTo(5500);
      assertThat(batch.path("payoutCents").asLong()).isEqualTo(2500);
      HttpResponse<String> again = API.post("/finance/payout-batches", FINANCE, "");
      assertThat(again.statusCode()).as(again.body()).isEqualTo(409);
      assertThat(JSON.readTree(again.body()).path("code").asText()).isEqualTo("NOTHING_TO_PAY");

      postTick("2026-02-18T01:00:00Z");
      await(
          "the batch applied by the ledger",
          () -> {
            JsonNode list = JSON.readTree(API.get("/finance/payout-batches", FINANCE).body());
            return list.size() == 1 && list.get(0).path("statuses").path("ACCEPTED").asInt() == 2;
          });
      conforms(
          openApi, "GET /finance/payout-batches", API.get("/finance/payout-batches", FINANCE), 200);
      conforms(
          openApi,
          "GET /finance/payout-batches/{id}",
          API.get("/finance/payout-batches/" + batchId, FINANCE),
          200);
      conforms(
          openApi,
          "GET /finance/payout-batches/{id}",
          API.get("/finance/payout-batches/PB-none", FINANCE),
          404);
      JsonNode listed = JSON.readTree(API.get("/finance/payout-batches", FINANCE).body()).get(0);
      assertThat(listed.path("batchId").asText()).isEqualTo(batchId);
      assertThat(listed.path("withdrawals").asInt()).isEqualTo(2);
      assertThat(listed.path("payoutCents").asLong()).isEqualTo(2500);

      // The affiliate sees which batch its withdrawal is in.
      JsonNode own = JSON.readTree(API.get("/affiliates/aff-1/withdrawals", AFF1).body()).get(0);
      assertThat(own.path("batchId").asText()).isEqualTo(batchId);
      assertThat(own.path("batchedAt").asText()).isEqualTo("2026-02-18T00:00:00Z");
      assertThat(own.path("bankAccount").asText()).isEqualTo("****3000");
      assertThat(API.get("/affiliates/aff-1/withdrawals", AFF1).body()).doesNotContain(IBAN_1);
      assertThat(API.get("/finance/payout-batches", AFF1).statusCode()).isEqualTo(403);

      // --- the bank file
      HttpResponse<String> file =
          API.get(
              "/finance/payout-batches/" + batchId + "/pain.001?executionDate=2026-02-19", FINANCE);
      assertThat(file.statusCode()).as(file.body()).isEqualTo(200);
      assertThat(file.headers().firstValue("Content-Type").orElse(""))
          .startsWith("application/xml");
      byte[] xml = file.body().getBytes(StandardCharsets.UTF_8);
      SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI)
          .newSchema(PayoutBatchIntegrationTest.class.getResource("/pain.001.001.09.xsd"))
          .newValidator()
          .validate(new StreamSource(new ByteArrayInputStream(xml)));
      Document document = parse(xml);
      assertThat(text(document, "//*[local-name()='GrpHdr']/*[local-name()='MsgId']"))
          .isEqualTo(batchId);
      assertThat(text(document, "//*[local-name()='GrpHdr']/*[local-name()='NbOfTxs']"))
          .isEqualTo("2");
      assertThat(text(document, "//*[local-name()='GrpHdr']/*[local-name()='CtrlSum']"))
          .isEqualTo("25.00");
      assertThat(text(document, "//*[local-name()='DbtrAcct']//*[local-name()='IBAN']"))
          .isEqualTo("FR1420041010050500013M02606");
      assertThat(texts(document, "//*[local-name()='EndToEndId']")).containsExactly("wd-1", "wd-2");
      assertThat(texts(document, "//*[local-name()='InstdAmt']")).containsExactly("15.00", "10.00");
      assertThat(texts(document, "//*[local-name()='CdtrAcct']//*[local-name()='IBAN']"))
          .containsExactly(IBAN_1, IBAN_2);
      assertThat(texts(document, "//*[local-name()='CdtrAgt']//*[local-name()='BICFI']"))
          .containsExactly("COBADEFFXXX", "NWBKGB2L");
      assertThat(texts(document, "//*[local-name()='Cdtr']/*[local-name()='Nm']"))
          .containsExactly("Jane Doe", "John Roe & Sons <Ltd>");

      HttpResponse<String> csv =
          API.get("/finance/payout-batches/" + batchId + "/payouts.csv", FINANCE);
      assertThat(csv.statusCode()).isEqualTo(200);
      List<CSVRecord> rows;
      try (CSVParser parser =
          CSVParser.parse(
              new StringReader(csv.body()),
              CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get())) {
        rows = parser.getRecords();
      }
      assertThat(rows).extracting(r -> r.get("withdrawal_id")).containsExactly("wd-1", "wd-2");
      assertThat(rows).extracting(r -> r.get("payout")).containsExactly("15.00", "10.00");
      assertThat(rows).extracting(r -> r.get("iban")).containsExactly(IBAN_1, IBAN_2);

      // --- the bank's answer: refused whole when it names a payment not in the batch
      HttpResponse<String> unknown =
          API.post(
              "/finance/payout-batches/" + batchId + "/status",
              FINANCE,
              pain002("STS-0", batchId, "wd-1", "ACSC", null, null, "wd-9", "ACSC", null, null));
      conforms(openApi, "POST /finance/payout-batches/{id}/status", unknown, 409);
      assertThat(unknown.body()).contains("wd-9").contains("not a payment of batch");
      HttpResponse<String> hostile =
          API.post(
              "/finance/payout-batches/" + batchId + "/status",
              FINANCE,
              "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>");
      assertThat(hostile.statusCode()).as(hostile.body()).isEqualTo(400);
      assertThat(JSON.readTree(hostile.body()).path("code").asText())
          .isEqualTo("INVALID_STATUS_REPORT");

      HttpResponse<String> settled =
          API.post(
              "/finance/payout-batches/" + batchId + "/status",
              FINANCE,
              pain002(
                  "STS-1",
                  batchId,
                  "wd-1",
                  "ACSC",
                  null,
                  null,
                  "wd-2",
                  "RJCT",
                  "AC04",
                  "account closed"));
      conforms(openApi, "POST /finance/payout-batches/{id}/status", settled, 200);
      JsonNode answer = JSON.readTree(settled.body());
      assertThat(ids(answer.path("completed"))).containsExactly("wd-1");
      assertThat(ids(answer.path("failed"))).containsExactly("wd-2");
      postTick("2026-02-19T00:00:00Z");
      await(
          "one paid, one failed",
          () -> {
            JsonNode list = JSON.readTree(API.get("/finance/payout-batches", FINANCE).body());
            return list.get(0).path("statuses").path("PAID").asInt() == 1
                && list.get(0).path("statuses").path("FAILED").asInt() == 1;
          });
      conforms(
          openApi,
          "GET /affiliates/{id}/withdrawals",
          API.get("/affiliates/aff-1/withdrawals", AFF1),
          200);
      JsonNode paid = JSON.readTree(API.get("/affiliates/aff-1/withdrawals", AFF1).body()).get(0);
      assertThat(paid.path("status").asText()).isEqualTo("PAID");
      assertThat(paid.path("batchId").asText()).isEqualTo(batchId);
      assertThat(paid.path("paidAt").asText()).isEqualTo("2026-02-18T01:00:00Z");
      JsonNode failed =
          JSON.readTree(API.get("/affiliates/aff-2/withdrawals", FINANCE).body()).get(0);
      assertThat(failed.path("status").asText()).isEqualTo("FAILED");
      assertThat(failed.path("message").asText()).isEqualTo("AC04 account closed");
      await("aff-2's failed payout back on its balance", () -> balance("aff-2") == 4000);

      // A second status for a settled payment changes nothing; nothing is left to batch.
      HttpResponse<String> twice =
          API.post(
              "/finance/payout-batches/" + batchId + "/status",
              FINANCE,
              pain002("STS-2", batchId, "wd-2", "ACSC", null, null, null, null, null, null));
      assertThat(twice.statusCode()).as(twice.body()).isEqualTo(409);
      assertThat(twice.body()).contains("already settled");
      HttpResponse<String> second = API.post("/finance/payout-batches", FINANCE, "");
      assertThat(second.statusCode()).as(second.body()).isEqualTo(409);
      assertThat(JSON.readTree(API.get("/finance/payout-batches", FINANCE).body()).size())
          .isEqualTo(1);
      assertThat(balance("aff-2")).isEqualTo(4000);

      TestLedgers.Cli verified =
          TestLedgers.cli(
              "verify", "--data-dir", dir.resolve("data").toString(), "--timeout", "3m");
      assertThat(verified.exit()).as(verified.out() + verified.err()).isZero();
      assertThat(verified.out())
          .contains("IDENTICAL")
          .contains("2 batched withdrawals checked")
          .contains("every payout batch is the replay's");
    } finally {
      ledger.close();
    }
  }

  /** {@code answer} has {@code status} and a body as the OpenAPI document describes it. */
  private static void conforms(
      OpenApiSchemas openApi, String operation, HttpResponse<String> answer, int status)
      throws Exception {
    assertThat(answer.statusCode()).as(operation + ": " + answer.body()).isEqualTo(status);
    String mediaType = status < 400 ? "application/json" : "application/problem+json";
    assertThat(answer.headers().firstValue("Content-Type").orElse(""))
        .as(operation)
        .startsWith(mediaType);
    assertThat(
            OpenApiSchemas.problems(
                openApi.answer(operation, status, mediaType), JSON.readTree(answer.body())))
        .as(operation + " answered " + answer.body())
        .isEmpty();
  }

  private static long balance(String affiliate) throws Exception {
    return JSON.readTree(API.get("/affiliates/" + affiliate + "/balance", FINANCE).body())
        .path("balanceCents")
        .asLong();
  }

  private static void postTick(String at) throws Exception {
    HttpResponse<String> posted = API.post("/events", FINANCE, tick(at));
    assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);
  }

  private static List<String> ids(JsonNode array) {
    List<String> ids = new ArrayList<>();
    array.forEach(id -> ids.add(id.asText()));
    return ids;
  }

  private static Document parse(byte[] xml) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
  }

  private static String text(Document document, String path) throws Exception {
    return XPathFactory.newInstance().newXPath().evaluate(path, document);
  }

  private static List<String> texts(Document document, String path) throws Exception {
    XPath xpath = XPathFactory.newInstance().newXPath();
    NodeList nodes = (NodeList) xpath.evaluate(path, document, XPathConstants.NODESET);
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < nodes.getLength(); i++) {
      texts.add(nodes.item(i).getTextContent());
    }
    return texts;
  }

  /** A pain.002.001.10 report on {@code batchId} with one or two payments' statuses. */
  private static String pain002(
      String messageId,
      String batchId,
      String e2e1,
      String status1,
      String reason1,
      String info1,
      String e2e2,
      String status2,
      String reason2,
      String info2) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        + "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.002.001.10\"><CstmrPmtStsRpt>"
        + "<GrpHdr><MsgId>"
        + messageId
        + "</MsgId><CreDtTm>2026-02-18T12:00:00Z</CreDtTm></GrpHdr>"
        + "<OrgnlGrpInfAndSts><OrgnlMsgId>"
        + batchId
        + "</OrgnlMsgId><OrgnlMsgNmId>pain.001.001.09</OrgnlMsgNmId></OrgnlGrpInfAndSts>"
        + "<OrgnlPmtInfAndSts><OrgnlPmtInfId>"
        + batchId
        + "</OrgnlPmtInfId>"
        + transaction(e2e1, status1, reason1, info1)
        + (e2e2 == null ? "" : transaction(e2e2, status2, reason2, info2))
        + "</OrgnlPmtInfAndSts></CstmrPmtStsRpt></Document>";
  }

  private static String transaction(String e2e, String status, String reason, String info) {
    return "<TxInfAndSts><OrgnlEndToEndId>"
        + e2e
        + "</OrgnlEndToEndId><TxSts>"
        + status
        + "</TxSts>"
        + (reason == null
            ? ""
            : "<StsRsnInf><Rsn><Cd>"
                + reason
                + "</Cd></Rsn><AddtlInf>"
                + info
                + "</AddtlInf></StsRsnInf>")
        + "</TxInfAndSts>";
  }

  private static String click(String eventId, String affiliate, String session, String at) {
    return "{\"type\":\"ClickRecorded\",\"eventId\":\""
        + eventId
        + "\",\"clickId\":\"k-"
        + eventId
        + "\",\"affiliateId\":\""
        + affiliate
        + "\",\"trackingId\":\"blog\",\"sessionId\":\""
        + session
        + "\",\"promotionType\":\"BANNER\",\"occurredAt\":\""
        + at
        + "\"}";
  }

  private static String order(
      String eventId, String orderId, String session, long cents, String at) {
    return "{\"type\":\"OrderPlaced\",\"eventId\":\""
        + eventId
        + "\",\"orderId\":\""
        + orderId
        + "\",\"sessionId\":\""
        + session
        + "\",\"lines\":[{\"productId\":\"p\",\"category\":\"toys\",\"amountCents\":"
        + cents
        + ",\"quantity\":1}],\"occurredAt\":\""
        + at
        + "\"}";
  }

  private static String withdrawal(
      String eventId,
      String withdrawalId,
      String affiliate,
      long cents,
      String iban,
      String swift,
      String holder) {
    return JSON.createObjectNode()
        .put("type", "WithdrawalRequested")
        .put("eventId", eventId)
        .put("withdrawalId", withdrawalId)
        .put("affiliateId", affiliate)
        .put("amountCents", cents)
        .<com.fasterxml.jackson.databind.node.ObjectNode>set(
            "bankAccount",
            JSON.createObjectNode().put("iban", iban).put("swift", swift).put("holder", holder))
        .put("occurredAt", "2026-02-17T09:00:00Z")
        .toString();
  }

  private static String tick(String at) {
    return "{\"type\":\"ClockTick\",\"at\":\"" + at + "\"}";
  }
}
