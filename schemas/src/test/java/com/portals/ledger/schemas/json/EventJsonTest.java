package com.portals.ledger.schemas.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.portals.ledger.avro.events.ClockTick;
import com.portals.ledger.avro.events.OrderEvent;
import com.portals.ledger.avro.events.OrderPlaced;
import com.portals.ledger.avro.events.WithdrawalEvent;
import com.portals.ledger.avro.events.WithdrawalRequested;
import com.portals.ledger.schemas.json.EventJson.Invalid;
import com.portals.ledger.schemas.json.EventJson.Parsed;
import com.portals.ledger.schemas.json.EventJson.Result;
import com.portals.ledger.schemas.topics.Topics;
import com.portals.ledger.testkit.ContractExamples;
import java.time.Instant;
import java.util.Collections;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class EventJsonTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  static java.util.List<String> examples() {
    return ContractExamples.lines();
  }

  @ParameterizedTest
  @MethodSource("examples")
  void shouldReadEveryContractExampleAndWriteItBackUnchanged(String line) throws Exception {
    Parsed parsed = parsed(line);

    assertThat(MAPPER.readTree(EventJson.toJson(parsed.value()))).isEqualTo(MAPPER.readTree(line));
  }

  @Test
  void shouldCoverEveryContractTypeWithAnExample() {
    assertThat(examples().stream().map(line -> parsed(line).type()))
        .containsExactlyElementsOf(EventJson.TYPES);
  }

  @ParameterizedTest
  @CsvSource({
    "ClickRecorded, portals.clicks, s1, 2026-01-10T10:00:00Z",
    "OrderPlaced, portals.orders, o1, 2026-01-10T10:05:00Z",
    "OrderCompleted, portals.orders, o1, 2026-01-20T08:00:00Z",
    "OrderCancelled, portals.orders, o2, 2026-01-21T08:00:00Z",
    "OrderRefunded, portals.orders, o1, 2026-02-01T08:00:00Z",
    "CommissionRateSet, portals.commission-rates, electronics@2026-01-01T00:00:00Z,"
        + " 2026-01-01T00:00:00Z",
    "WithdrawalRequested, portals.withdrawals, aff-1, 2026-03-01T09:00:00Z",
    "PayoutCompleted, portals.withdrawals, aff-1, 2026-03-03T09:00:00Z",
    "PayoutFailed, portals.withdrawals, aff-1, 2026-03-03T09:00:00Z",
  })
  void shouldRouteKeyAndTimestampEachTypeAsTheContractSays(
      String type, String topic, String key, String timestamp) {
    Parsed parsed = parsed(ContractExamples.of(type));

    assertThat(parsed.topic().name()).isEqualTo(topic);
    assertThat(parsed.key()).isEqualTo(key);
    assertThat(parsed.timestamp()).isEqualTo(Instant.parse(timestamp));
    assertThat(parsed.toEveryPartition()).isFalse();
  }

  @Test
  void shouldSendTicksToEveryPartitionOfTheClock() {
    Parsed parsed = parsed(ContractExamples.of("ClockTick"));

    assertThat(parsed.topic()).isEqualTo(Topics.CLOCK);
    assertThat(parsed.toEveryPartition()).isTrue();
    assertThat(((ClockTick) parsed.value()).getAt())
        .isEqualTo(Instant.parse("2026-03-02T00:00:00Z"));
  }

  @Test
  void shouldWrapOrderAndWithdrawalEventsInTheirEnvelopes() {
    assertThat(parsed(ContractExamples.of("OrderPlaced")).value())
        .isInstanceOfSatisfying(
            OrderEvent.class, e -> assertThat(e.getEvent()).isInstanceOf(OrderPlaced.class));
    assertThat(parsed(ContractExamples.of("WithdrawalRequested")).value())
        .isInstanceOfSatisfying(
            WithdrawalEvent.class,
            e -> assertThat(e.getEvent()).isInstanceOf(WithdrawalRequested.class));
  }

  @Test
  void shouldTreatAnAbsentWithdrawalAmountAsTheWholeBalance() {
    String line = ContractExamples.of("WithdrawalRequested").replace("\"amountCents\":5000,", "");

    WithdrawalEvent envelope = (WithdrawalEvent) parsed(line).value();

    assertThat(((WithdrawalRequested) envelope.getEvent()).getAmountCents()).isNull();
  }

  @Test
  void shouldDefaultAnAbsentQuantityToOne() {
    String line = ContractExamples.of("OrderPlaced").replace(",\"quantity\":1", "");

    OrderPlaced placed = (OrderPlaced) ((OrderEvent) parsed(line).value()).getEvent();

    assertThat(placed.getLines().get(0).getQuantity()).isEqualTo(1);
  }

  @Test
  void shouldAcceptAnInstantWithAnOffsetAsTheSameUtcInstant() {
    String line =
        ContractExamples.of("OrderCompleted")
            .replace("2026-01-20T08:00:00Z", "2026-01-20T09:00:00+01:00");

    assertThat(parsed(line).timestamp()).isEqualTo(Instant.parse("2026-01-20T08:00:00Z"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "missing orderId | OrderCompleted | \"orderId\":\"o1\", | | missing field 'orderId'",
        "negative amountCents | OrderPlaced | \"amountCents\":10000 | \"amountCents\":-5 |"
            + " field 'lines[0].amountCents' must be positive, got -5",
        "zero refund | OrderRefunded | \"refundCents\":2500 | \"refundCents\":0 |"
            + " field 'refundCents' must be positive, got 0",
        "amount as a string | WithdrawalRequested | \"amountCents\":5000 | \"amountCents\":\"5000\""
            + " | field 'amountCents' must be an integer, got \"5000\"",
        "fractional amount | OrderPlaced | \"amountCents\":10000 | \"amountCents\":100.5 |"
            + " field 'lines[0].amountCents' must be an integer, got 100.5",
        "unknown type | OrderCompleted | \"OrderCompleted\" | \"OrderShipped\" |"
            + " unknown type 'OrderShipped'",
        "unknown promotionType | ClickRecorded | \"BANNER\" | \"POPUP\" |"
            + " field 'promotionType': unknown promotionType 'POPUP' (known: TEXT_LINK, BANNER,"
            + " DATA_FEED, PRODUCT_LINK, API, OTHER)",
        "unparseable instant | OrderCompleted | 2026-01-20T08:00:00Z | 2026-13-40T08:00:00Z |"
            + " field 'occurredAt': '2026-13-40T08:00:00Z' is not an ISO-8601 instant",
        "instant finer than a millisecond | OrderCompleted | 2026-01-20T08:00:00Z |"
            + " 2026-01-20T08:00:00.0001Z | is more precise than a millisecond",
        "blank id | OrderCompleted | \"eventId\":\"e3\" | \"eventId\":\" \" |"
            + " field 'eventId' must not be blank",
        "no lines | OrderPlaced | [{\"productId\":\"p-B\",\"category\":\"electronics\","
            + "\"amountCents\":10000,\"quantity\":1}] | [] | field 'lines' must hold at least one"
            + " line",
        "missing bank account | WithdrawalRequested | \"bankAccount\" | \"bank\" |"
            + " missing field 'bankAccount'",
        "missing iban | WithdrawalRequested | \"iban\":\"DE89370400440532013000\", | |"
            + " missing field 'bankAccount.iban'",
        "rate above 100% | CommissionRateSet | \"rateBps\":900 | \"rateBps\":10001 |"
            + " field 'rateBps' must be between 0 and 10000 basis points, got 10001",
        "tick without instant | ClockTick | \"at\" | \"when\" | missing field 'at'",
        "line beyond US$1B | OrderPlaced | \"amountCents\":10000 |"
            + " \"amountCents\":9000000000000000000 | field 'lines[0].amountCents' must be at most"
            + " 100000000000, got 9000000000000000000",
        "quantity beyond a million | OrderPlaced | \"quantity\":1 | \"quantity\":1000001 |"
            + " field 'lines[0].quantity' must be at most 1000000, got 1000001",
        "refund beyond US$10B | OrderRefunded | \"refundCents\":2500 |"
            + " \"refundCents\":1000000000001 | field 'refundCents' must be at most"
            + " 1000000000000, got 1000000000001",
        "withdrawal beyond US$10B | WithdrawalRequested | \"amountCents\":5000 |"
            + " \"amountCents\":1000000000001 | field 'amountCents' must be at most"
            + " 1000000000000",
        "instant in year 3000 | OrderCompleted | 2026-01-20T08:00:00Z | 3000-01-01T00:00:00Z |"
            + " field 'occurredAt' must be from 1970-01-01T00:00:00Z and before"
            + " 3000-01-01T00:00:00Z, got 3000-01-01T00:00:00Z",
        "instant before 1970 | CommissionRateSet | 2026-01-01T00:00:00Z | 1969-12-31T23:59:59Z |"
            + " field 'effectiveFrom' must be from 1970-01-01T00:00:00Z",
        "tick far beyond a long of millis | ClockTick | 2026-03-02T00:00:00Z |"
            + " +999999999-12-31T23:59:59Z | field 'at'",
        "id longer than 256 | OrderCompleted | \"eventId\":\"e3\" | \"eventId\":\"%257\" |"
            + " field 'eventId' is at most 256 characters long, got 257",
      })
  void shouldNameTheFieldAndTheProblemOfABadLine(
      String description, String type, String find, String replace, String expected) {
    String line =
        ContractExamples.of(type)
            .replace(find, replace == null ? "" : replace.replace("%257", "x".repeat(257)));

    assertThat(EventJson.parse(line))
        .isInstanceOfSatisfying(
            Invalid.class, invalid -> assertThat(invalid.reason()).contains(expected));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "\"iban\":\"DE89370400440532013000\" | \"iban\":370400440532013000 | a number",
        "\"swift\":\"COBADEFFXXX\" | \"swift\":[\"COBA370400440532013000\"] | an array",
        "\"holder\":\"Jane Doe\" | \"holder\":{\"name\":\"370400440532013000\"} | an object",
        "\"bankAccount\":{ | \"bankAccount\":\"370400440532013000\",\"x\":{ | a string",
      })
  void shouldNameOnlyTheKindOfABadBankAccountValueNeverTheValue(
      String find, String replace, String kind) {
    String line = ContractExamples.of("WithdrawalRequested").replace(find, replace);

    assertThat(EventJson.parse(line))
        .isInstanceOfSatisfying(
            Invalid.class,
            invalid ->
                assertThat(invalid.reason())
                    .contains("bankAccount")
                    .contains("got " + kind)
                    .doesNotContain("370400440532013000"));
  }

  @Test
  void shouldAcceptTheLargestOrderAndRefuseOneLineMore() {
    String line = "{\"productId\":\"p\",\"category\":\"toys\",\"amountCents\":1000000000}";
    String largest =
        "{\"type\":\"OrderPlaced\",\"eventId\":\"e2\",\"orderId\":\"o1\",\"lines\":["
            + String.join(",", Collections.nCopies(1000, line))
            + "],\"occurredAt\":\"2999-12-31T23:59:59.999Z\"}";

    assertThat(EventJson.parse(largest)).isInstanceOf(Parsed.class);
    assertThat(EventJson.parse(largest.replace("[" + line, "[" + line + "," + line)))
        .isInstanceOfSatisfying(
            Invalid.class,
            invalid ->
                assertThat(invalid.reason())
                    .isEqualTo("field 'lines' holds at most 1000 lines, got 1001"));
  }

  @Test
  void shouldRefuseAnOrderWhoseLinesSumBeyondTheLargestOrder() {
    String line = "{\"productId\":\"p\",\"category\":\"toys\",\"amountCents\":100000000000}";
    String order =
        "{\"type\":\"OrderPlaced\",\"eventId\":\"e2\",\"orderId\":\"o1\",\"lines\":["
            + String.join(",", Collections.nCopies(11, line))
            + "],\"occurredAt\":\"2026-01-10T10:05:00Z\"}";

    assertThat(EventJson.parse(order))
        .isInstanceOfSatisfying(
            Invalid.class,
            invalid ->
                assertThat(invalid.reason())
                    .isEqualTo(
                        "an order amounts to at most 1000000000000 cents in all, its lines sum to"
                            + " 1100000000000"));
  }

  @Test
  void shouldReportEveryProblemOfALineAtOnce() {
    Result result =
        EventJson.parse("{\"type\":\"OrderRefunded\",\"eventId\":\"e5\",\"refundCents\":-1}");

    assertThat(((Invalid) result).reason())
        .isEqualTo(
            "missing field 'orderId'; missing field 'occurredAt';"
                + " field 'refundCents' must be positive, got -1");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "'' | empty line",
        "'   ' | empty line",
        "not json | not valid JSON",
        "[1,2] | not a JSON object",
        "{\"eventId\":\"e1\"} | missing field 'type'",
        "{\"type\":7} | field 'type' must be a string, got 7",
      })
  void shouldRejectLinesThatAreNotEvents(String line, String expected) {
    assertThat(EventJson.parse(line))
        .isInstanceOfSatisfying(
            Invalid.class, invalid -> assertThat(invalid.reason()).startsWith(expected));
  }

  private static Parsed parsed(String line) {
    Result result = EventJson.parse(line);
    assertThat(result).as(line).isInstanceOf(Parsed.class);
    return (Parsed) result;
  }
}
