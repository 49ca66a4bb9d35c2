package com.portals.ledger.schemas.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.portals.ledger.avro.events.BankAccount;
import com.portals.ledger.avro.events.ClickRecorded;
import com.portals.ledger.avro.events.ClockTick;
import com.portals.ledger.avro.events.CommissionRateSet;
import com.portals.ledger.avro.events.OrderCancelled;
import com.portals.ledger.avro.events.OrderCompleted;
import com.portals.ledger.avro.events.OrderEvent;
import com.portals.ledger.avro.events.OrderLine;
import com.portals.ledger.avro.events.OrderPlaced;
import com.portals.ledger.avro.events.OrderRefunded;
import com.portals.ledger.avro.events.PayoutBatched;
import com.portals.ledger.avro.events.PayoutCompleted;
import com.portals.ledger.avro.events.PayoutFailed;
import com.portals.ledger.avro.events.PromotionType;
import com.portals.ledger.avro.events.WithdrawalEvent;
import com.portals.ledger.avro.events.WithdrawalRequested;
import com.portals.ledger.schemas.topics.Topic;
import com.portals.ledger.schemas.topics.Topics;
import com.portals.ledger.schemas.validation.EventRules;
import com.portals.ledger.schemas.validation.Problem;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;

/**
 * The JSON form of upstream events (docs/contract.md "Events"), both ways: a JSON line becomes the
 * Avro record that goes on its topic, with the topic, key and timestamp the contract prescribes; an
 * Avro record becomes its JSON line.
 *
 * <p>A line that cannot become an event is {@link Invalid}, with every problem named by field.
 */
public final class EventJson {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** The contract's event types, in the order docs/contract.md lists them. */
  public static final List<String> TYPES =
      List.of(
          "ClickRecorded",
          "OrderPlaced",
          "OrderCompleted",
          "OrderCancelled",
          "OrderRefunded",
          "CommissionRateSet",
          "WithdrawalRequested",
          "PayoutCompleted",
          "PayoutFailed",
          "ClockTick");

  private EventJson() {}

  /** Outcome of reading one line. */
  public sealed interface Result permits Parsed, Invalid {}

  /**
   * An event ready to publish.
   *
   * @param type the contract type name
   * @param topic where it goes
   * @param key its record key (null for ticks, which go to every partition)
   * @param timestamp its record timestamp: occurredAt, effectiveFrom for rates, at for ticks
   * @param value the Avro value written to the topic (the envelope for orders and withdrawals)
   * @param eventId the event's id (null for ticks)
   */
  public record Parsed(
      String type,
      Topic<? extends SpecificRecord> topic,
      String key,
      Instant timestamp,
      SpecificRecord value,
      String eventId)
      implements Result {

    /** Ticks are published once to every partition of their topic. */
    public boolean toEveryPartition() {
      return value instanceof ClockTick;
    }
  }

  /** A line that is not a valid event, and why. */
  public record Invalid(String reason) implements Result {}

  /** Reads one JSON line. */
  public static Result parse(String line) {
    if (line == null || line.isBlank()) {
      return new Invalid("empty line");
    }
    JsonNode tree;
    try {
      tree = MAPPER.readTree(line);
    } catch (JsonProcessingException e) {
      return new Invalid("not valid JSON: " + e.getOriginalMessage());
    }
    if (tree == null || !tree.isObject()) {
      return new Invalid("not a JSON object");
    }
    return parse((ObjectNode) tree);
  }

  /** Reads one event from its JSON object. */
  public static Result parse(ObjectNode object) {
    JsonNode typeNode = object.get("type");
    if (typeNode == null || typeNode.isNull()) {
      return new Invalid("missing field 'type'");
    }
    if (!typeNode.isTextual()) {
      return new Invalid("field 'type' must be a string, got " + typeNode);
    }
    String type = typeNode.textValue();
    if (!TYPES.contains(type)) {
      return new Invalid("unknown type '" + type + "' (known: " + String.join(", ", TYPES) + ")");
    }
    List<Problem> problems = new ArrayList<>();
    JsonFields f = new JsonFields(object, "", problems);
    Parsed parsed =
        switch (type) {
          case "ClickRecorded" -> click(f);
          case "OrderPlaced" -> orderPlaced(f);
          case "OrderCompleted" -> orderCompleted(f);
          case "OrderCancelled" -> orderCancelled(f);
          case "OrderRefunded" -> orderRefunded(f);
          case "CommissionRateSet" -> rateSet(f);
          case "WithdrawalRequested" -> withdrawalRequested(f);
          case "PayoutCompleted" -> payoutCompleted(f);
          case "PayoutFailed" -> payoutFailed(f);
          default -> tick(f);
        };
    // Value rules run on what could be read; a field already reported as missing or mistyped is
    // not reported a second time.
    Set<String> reported = problems.stream().map(Problem::field).collect(Collectors.toSet());
    EventRules.problems(parsed.value()).stream()
        .filter(problem -> !reported.contains(problem.field()))
        .forEach(problems::add);
    if (!problems.isEmpty()) {
      return new Invalid(problems.stream().map(Problem::message).collect(Collectors.joining("; ")));
    }
    return parsed;
  }

  private static Parsed click(JsonFields f) {
    ClickRecorded click =
        ClickRecorded.newBuilder()
            .setEventId(f.requiredString("eventId"))
            .setClickId(f.requiredString("clickId"))
            .setAffiliateId(f.requiredString("affiliateId"))
            .setTrackingId(f.optionalString("trackingId"))
            .setSessionId(f.requiredString("sessionId"))
            .setAf(f.optionalString("af"))
            .setCn(f.optionalString("cn"))
            .setCv(f.optionalString("cv"))
            .setDp(f.optionalString("dp"))
            .setPromotionType(f.optionalEnum("promotionType", PromotionType.class))
            .setProductId(f.optionalString("productId"))
            .setOccurredAt(f.requiredInstant("occurredAt"))
            .build();
    return new Parsed(
        "ClickRecorded",
        Topics.CLICKS,
        click.getSessionId(),
        click.getOccurredAt(),
        click,
        click.getEventId());
  }

  private static Parsed orderPlaced(JsonFields f) {
    OrderPlaced placed =
        OrderPlaced.newBuilder()
            .setEventId(f.requiredString("eventId"))
            .setOrderId(f.requiredString("orderId"))
            .setSessionId(f.optionalString("sessionId"))
            .setBuyerId(f.optionalString("buyerId"))
            .setLines(f.requiredObjectArray("lines", EventJson::line))
            .setOccurredAt(f.requiredInstant("occurredAt"))
            .build();
    return order(
        "OrderPlaced", placed.getOrderId(), placed.getOccurredAt(), placed.getEventId(), placed);
  }

  private static OrderLine line(JsonFields f) {
    Integer quantity = f.optionalInt("quantity");
    return OrderLine.newBuilder()
        .setProductId(f.requiredString("productId"))
        .setCategory(f.requiredString("category"))
        .setAmountCents(f.requiredLong("amountCents"))
        .setQuantity(quantity == null ? 1 : quantity)
        .build();
  }

  private static Parsed orderCompleted(JsonFields f) {
    OrderCompleted completed =
        OrderCompleted.newBuilder()
            .setEventId(f.requiredString("eventId"))
            .setOrderId(f.requiredString("orderId"))
            .setOccurredAt(f.requiredInstant("occurredAt"))
            .build();
    return order(
        "OrderCompleted",
        completed.getOrderId(),
        completed.getOccurredAt(),
        completed.getEventId(),
        completed);
  }

  private static Parsed orderCancelled(JsonFields f) {
    OrderCancelled cancelled =
        OrderCancelled.newBuilder()
            .setEventId(f.requiredString("eventId"))
            .setOrderId(f.requiredString("orderId"))
            .setReason(f.optionalString("reason"))
            .setOccurredAt(f.requiredInstant("occurredAt"))
            .build();
    return order(
        "OrderCancelled",
        cancelled.getOrderId(),
        cancelled.getOccurredAt(),
        cancelled.getEventId(),
        cancelled);
  }

  private static Parsed orderRefunded(JsonFields f) {
    OrderRefunded refunded =
        OrderRefunded.newBuilder()
            .setEventId(f.requiredString("eventId"))
            .setOrderId(f.requiredString("orderId"))
            .setRefundCents(f.requiredLong("refundCents"))
            .setOccurredAt(f.requiredInstant("occurredAt"))
            .build();
    return order(
        "OrderRefunded",
        refunded.getOrderId(),
        refunded.getOccurredAt(),
        refunded.getEventId(),
        refunded);
  }

  private static Parsed order(
      String type, String orderId, Instant occurredAt, String eventId, SpecificRecord event) {
    return new Parsed(
        type,
        Topics.ORDERS,
        orderId,
        occurredAt,
        OrderEvent.newBuilder().setEvent(event).build(),
        eventId);
  }

  private static Parsed rateSet(JsonFields f) {
    CommissionRateSet rate =
        CommissionRateSet.newBuilder()
            .setEventId(f.requiredString("eventId"))
            .setCategory(f.requiredString("category"))
            .setRateBps(f.requiredInt("rateBps"))
            .setEffectiveFrom(f.requiredInstant("effectiveFrom"))
            .build();
    return new Parsed(
        "CommissionRateSet",
        Topics.COMMISSION_RATES,
        rateKey(rate),
        rate.getEffectiveFrom(),
        rate,
        rate.getEventId());
  }

  /**
   * Key of a rate on its compacted topic: one key per category and version, so compaction keeps
   * every version.
   */
  public static String rateKey(CommissionRateSet rate) {
    return rate.getCategory() + "@" + rate.getEffectiveFrom();
  }

  private static Parsed withdrawalRequested(JsonFields f) {
    WithdrawalRequested requested =
        WithdrawalRequested.newBuilder()
            .setEventId(f.requiredString("eventId"))
            .setWithdrawalId(f.requiredString("withdrawalId"))
            .setAffiliateId(f.requiredString("affiliateId"))
            .setAmountCents(f.optionalLong("amountCents"))
            .setBankAccount(orEmpty(f.requiredObject("bankAccount", EventJson::bankAccount)))
            .setOccurredAt(f.requiredInstant("occurredAt"))
            .build();
    return withdrawal(
        "WithdrawalRequested",
        requested.getAffiliateId(),
        requested.getOccurredAt(),
        requested.getEventId(),
        requested);
  }

  private static BankAccount bankAccount(JsonFields f) {
    return BankAccount.newBuilder()
        .setIban(f.requiredString("iban"))
        .setSwift(f.requiredString("swift"))
        .setHolder(f.requiredString("holder"))
        .build();
  }

  private static BankAccount orEmpty(BankAccount account) {
    return account != null
        ? account
        : BankAccount.newBuilder().setIban("").setSwift("").setHolder("").build();
  }

  private static Parsed payoutCompleted(JsonFields f) {
    PayoutCompleted completed =
        PayoutCompleted.newBuilder()
            .setEventId(f.requiredString("eventId"))
            .setWithdrawalId(f.requiredString("withdrawalId"))
            .setAffiliateId(f.requiredString("affiliateId"))
            .setOccurredAt(f.requiredInstant("occurredAt"))
            .build();
    return withdrawal(
        "PayoutCompleted",
        completed.getAffiliateId(),
        completed.getOccurredAt(),
        completed.getEventId(),
        completed);
  }

  private static Parsed payoutFailed(JsonFields f) {
    PayoutFailed failed =
        PayoutFailed.newBuilder()
            .setEventId(f.requiredString("eventId"))
            .setWithdrawalId(f.requiredString("withdrawalId"))
            .setAffiliateId(f.requiredString("affiliateId"))
            .setReason(f.requiredString("reason"))
            .setOccurredAt(f.requiredInstant("occurredAt"))
            .build();
    return withdrawal(
        "PayoutFailed",
        failed.getAffiliateId(),
        failed.getOccurredAt(),
        failed.getEventId(),
        failed);
  }

  private static Parsed withdrawal(
      String type, String affiliateId, Instant occurredAt, String eventId, SpecificRecord event) {
    return new Parsed(
        type,
        Topics.WITHDRAWALS,
        affiliateId,
        occurredAt,
        WithdrawalEvent.newBuilder().setEvent(event).build(),
        eventId);
  }

  private static Parsed tick(JsonFields f) {
    ClockTick tick = ClockTick.newBuilder().setAt(f.requiredInstant("at")).build();
    return new Parsed("ClockTick", Topics.CLOCK, null, tick.getAt(), tick, null);
  }

  /** The JSON line of an upstream event or of the envelope that carries it. */
  public static String toJson(SpecificRecord event) {
    try {
      return MAPPER.writeValueAsString(toTree(event));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON of " + event, e);
    }
  }

  /** The JSON object of an upstream event (envelopes are unwrapped). */
  public static ObjectNode toTree(SpecificRecord event) {
    ObjectNode o = MAPPER.createObjectNode();
    if (event instanceof OrderEvent envelope) {
      return toTree((SpecificRecord) envelope.getEvent());
    }
    if (event instanceof WithdrawalEvent envelope) {
      return toTree((SpecificRecord) envelope.getEvent());
    }
    if (event instanceof ClickRecorded e) {
      o.put("type", "ClickRecorded");
      o.put("eventId", e.getEventId());
      o.put("clickId", e.getClickId());
      o.put("affiliateId", e.getAffiliateId());
      putIfPresent(o, "trackingId", e.getTrackingId());
      o.put("sessionId", e.getSessionId());
      putIfPresent(o, "af", e.getAf());
      putIfPresent(o, "cn", e.getCn());
      putIfPresent(o, "cv", e.getCv());
      putIfPresent(o, "dp", e.getDp());
      if (e.getPromotionType() != null) {
        o.put("promotionType", e.getPromotionType().name());
      }
      putIfPresent(o, "productId", e.getProductId());
      o.put("occurredAt", e.getOccurredAt().toString());
    } else if (event instanceof OrderPlaced e) {
      o.put("type", "OrderPlaced");
      o.put("eventId", e.getEventId());
      o.put("orderId", e.getOrderId());
      putIfPresent(o, "sessionId", e.getSessionId());
      putIfPresent(o, "buyerId", e.getBuyerId());
      ArrayNode lines = o.putArray("lines");
      for (OrderLine line : e.getLines()) {
        lines
            .addObject()
            .put("productId", line.getProductId())
            .put("category", line.getCategory())
            .put("amountCents", line.getAmountCents())
            .put("quantity", line.getQuantity());
      }
      o.put("occurredAt", e.getOccurredAt().toString());
    } else if (event instanceof OrderCompleted e) {
      o.put("type", "OrderCompleted");
      o.put("eventId", e.getEventId());
      o.put("orderId", e.getOrderId());
      o.put("occurredAt", e.getOccurredAt().toString());
    } else if (event instanceof OrderCancelled e) {
      o.put("type", "OrderCancelled");
      o.put("eventId", e.getEventId());
      o.put("orderId", e.getOrderId());
      putIfPresent(o, "reason", e.getReason());
      o.put("occurredAt", e.getOccurredAt().toString());
    } else if (event instanceof OrderRefunded e) {
      o.put("type", "OrderRefunded");
      o.put("eventId", e.getEventId());
      o.put("orderId", e.getOrderId());
      o.put("refundCents", e.getRefundCents());
      o.put("occurredAt", e.getOccurredAt().toString());
    } else if (event instanceof CommissionRateSet e) {
      o.put("type", "CommissionRateSet");
      o.put("eventId", e.getEventId());
      o.put("category", e.getCategory());
      o.put("rateBps", e.getRateBps());
      o.put("effectiveFrom", e.getEffectiveFrom().toString());
    } else if (event instanceof WithdrawalRequested e) {
      o.put("type", "WithdrawalRequested");
      o.put("eventId", e.getEventId());
      o.put("withdrawalId", e.getWithdrawalId());
      o.put("affiliateId", e.getAffiliateId());
      if (e.getAmountCents() != null) {
        o.put("amountCents", e.getAmountCents());
      }
      o.putObject("bankAccount")
          .put("iban", e.getBankAccount().getIban())
          .put("swift", e.getBankAccount().getSwift())
          .put("holder", e.getBankAccount().getHolder());
      o.put("occurredAt", e.getOccurredAt().toString());
    } else if (event instanceof PayoutCompleted e) {
      o.put("type", "PayoutCompleted");
      o.put("eventId", e.getEventId());
      o.put("withdrawalId", e.getWithdrawalId());
      o.put("affiliateId", e.getAffiliateId());
      o.put("occurredAt", e.getOccurredAt().toString());
    } else if (event instanceof PayoutFailed e) {
      o.put("type", "PayoutFailed");
      o.put("eventId", e.getEventId());
      o.put("withdrawalId", e.getWithdrawalId());
      o.put("affiliateId", e.getAffiliateId());
      o.put("reason", e.getReason());
      o.put("occurredAt", e.getOccurredAt().toString());
    } else if (event instanceof PayoutBatched e) {
      // Written, never read: only POST /finance/payout-batches publishes these, beside their
      // batch, so they are not among the TYPES a line may have.
      o.put("type", "PayoutBatched");
      o.put("eventId", e.getEventId());
      o.put("withdrawalId", e.getWithdrawalId());
      o.put("affiliateId", e.getAffiliateId());
      o.put("batchId", e.getBatchId());
      o.put("occurredAt", e.getOccurredAt().toString());
    } else if (event instanceof ClockTick e) {
      o.put("type", "ClockTick");
      o.put("at", e.getAt().toString());
    } else {
      throw new IllegalArgumentException(
          "not an upstream event: " + (event == null ? "null" : event.getClass().getName()));
    }
    return o;
  }

  private static void putIfPresent(ObjectNode o, String field, String value) {
    if (value != null) {
      o.put(field, value);
    }
  }
}
