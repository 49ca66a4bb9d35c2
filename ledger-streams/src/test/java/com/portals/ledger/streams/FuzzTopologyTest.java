package com.portals.ledger.streams;

import static org.assertj.core.api.Assertions.assertThat;

import com.portals.ledger.avro.events.BankAccount;
import com.portals.ledger.avro.events.ClickRecorded;
import com.portals.ledger.avro.events.CommissionRateSet;
import com.portals.ledger.avro.events.OrderEvent;
import com.portals.ledger.avro.events.OrderLine;
import com.portals.ledger.avro.events.OrderPlaced;
import com.portals.ledger.avro.events.OrderRefunded;
import com.portals.ledger.avro.events.WithdrawalEvent;
import com.portals.ledger.avro.events.WithdrawalRequested;
import com.portals.ledger.avro.ledger.Rejection;
import com.portals.ledger.domain.rules.LedgerRules;
import com.portals.ledger.schemas.json.EventJson;
import com.portals.ledger.schemas.json.EventJson.Parsed;
import com.portals.ledger.schemas.serde.LedgerSerdes;
import com.portals.ledger.schemas.topics.Topic;
import com.portals.ledger.schemas.topics.Topics;
import com.portals.ledger.schemas.validation.EventRules;
import com.portals.ledger.streams.ReferenceModel.Result;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/**
 * More than ten thousand random and mutated records (random bytes, truncations, flipped bits,
 * records of another topic's schema, absurd values, empty values) mixed into a valid history on
 * every input topic: each is rejected exactly once with its reason and its original bytes, the
 * pipeline goes on, and the valid events give exactly the reference model's ledger.
 */
class FuzzTopologyTest {

  private static final int GARBAGE = 10_500;
  private static final List<Topic<?>> INPUTS = Topics.inputs();

  private final LedgerSerdes serdes = LedgerSerdes.singleObject();
  private final Random random = new Random(20261124L);
  private final Map<String, List<byte[]>> validBytes = new HashMap<>();

  private enum Mutation {
    RANDOM_BYTES,
    TRUNCATED,
    FINGERPRINT_FLIP,
    BODY_FLIP,
    WRONG_SCHEMA,
    ABSURD_VALUE,
    EMPTY_VALUE
  }

  private record Sent(Topic<?> topic, long offset, byte[] value, Mutation mutation) {}

  @Test
  void shouldRejectEveryBadRecordOnceAndStillComputeTheModelsLedger() {
    List<String> history = Histories.generate(99L);
    ReferenceModel model = new ReferenceModel(LedgerRules.DEFAULTS);
    history.forEach(model::publish);
    Result expected = model.result();
    for (String line : history) {
      Parsed parsed = (Parsed) EventJson.parse(line);
      validBytes
          .computeIfAbsent(parsed.topic().name(), name -> new ArrayList<>())
          .add(encode(parsed.topic(), parsed.value()));
    }

    List<Sent> garbage = new ArrayList<>();
    try (LedgerDriver ledger = new LedgerDriver()) {
      int perLine = GARBAGE / history.size() + 1;
      for (String line : history) {
        Instant at = Histories.timeOf(line);
        for (int i = 0; i < perLine; i++) {
          Topic<?> topic = INPUTS.get(random.nextInt(INPUTS.size()));
          Mutation mutation = Mutation.values()[random.nextInt(Mutation.values().length)];
          byte[] value = garbage(topic, mutation);
          garbage.add(new Sent(topic, ledger.nextOffset(topic), value, mutation));
          ledger.givenBytes(topic, "fuzz-" + garbage.size(), value, at);
        }
        ledger.given(line);
      }

      assertThat(garbage).hasSizeGreaterThanOrEqualTo(10_000);
      Map<String, Rejection> byOrigin = new HashMap<>();
      List<Rejection> ofValidEvents = new ArrayList<>();
      for (Rejection rejection : ledger.rejections()) {
        String origin = rejection.getSourceTopic() + "@" + rejection.getSourceOffset();
        if (rejection.getOriginalKey() != null
            && new String(bytes(rejection.getOriginalKey())).startsWith("fuzz-")) {
          assertThat(byOrigin.put(origin, rejection)).as("rejected twice: " + origin).isNull();
        } else {
          ofValidEvents.add(rejection);
        }
      }
      Map<String, Integer> byCode = new TreeMap<>();
      for (Sent sent : garbage) {
        Rejection rejection = byOrigin.get(sent.topic().name() + "@" + sent.offset());
        assertThat(rejection)
            .as("rejection of %s record at %s@%d", sent.mutation(), sent.topic(), sent.offset())
            .isNotNull();
        assertThat(rejection.getReasonCode()).isNotBlank();
        assertThat(rejection.getMessage()).isNotBlank();
        if (sent.value() == null) {
          assertThat(rejection.getOriginalValue()).isNull();
        } else {
          assertThat(bytes(rejection.getOriginalValue())).isEqualTo(sent.value());
        }
        byCode.merge(rejection.getReasonCode(), 1, Integer::sum);
      }
      assertThat(byOrigin).hasSameSizeAs(garbage);
      System.out.printf(
          "fuzz: %d bad records among %d valid lines, all rejected: %s%n",
          garbage.size(), history.size(), byCode);

      assertThat(Outputs.rejected(ofValidEvents))
          .containsExactlyInAnyOrderElementsOf(expected.rejections());
      assertThat(Outputs.journalByAffiliate(ledger.journal())).isEqualTo(expected.journal());
      assertThat(Outputs.decisionsByAffiliate(ledger.decisions())).isEqualTo(expected.decisions());
      expected
          .accounts()
          .forEach(
              (affiliate, account) ->
                  assertThat(Outputs.figures(ledger.balance(affiliate)))
                      .as(affiliate)
                      .isEqualTo(Outputs.figures(account)));
    }
  }

  /** A record that must be rejected: regenerated until the ledger cannot apply it. */
  private byte[] garbage(Topic<?> topic, Mutation mutation) {
    while (true) {
      byte[] value = mutate(topic, mutation);
      if (value == null || !applicable(topic, value)) {
        return value;
      }
      mutation = Mutation.RANDOM_BYTES;
    }
  }

  private byte[] mutate(Topic<?> topic, Mutation mutation) {
    List<byte[]> valid = validBytes.getOrDefault(topic.name(), List.of());
    if (valid.isEmpty() && mutation != Mutation.ABSURD_VALUE && mutation != Mutation.EMPTY_VALUE) {
      mutation = Mutation.RANDOM_BYTES;
    }
    switch (mutation) {
      case TRUNCATED -> {
        byte[] source = valid.get(random.nextInt(valid.size()));
        return Arrays.copyOf(source, random.nextInt(source.length));
      }
      case FINGERPRINT_FLIP -> {
        byte[] flipped = valid.get(random.nextInt(valid.size())).clone();
        flipped[2 + random.nextInt(8)] ^= (byte) (1 << random.nextInt(8));
        return flipped;
      }
      case BODY_FLIP -> {
        byte[] flipped = valid.get(random.nextInt(valid.size())).clone();
        int at = 10 + random.nextInt(flipped.length - 10);
        flipped[at] ^= (byte) (1 << random.nextInt(8));
        return flipped;
      }
      case WRONG_SCHEMA -> {
        Topic<?> other = INPUTS.get(random.nextInt(INPUTS.size()));
        List<byte[]> foreign = validBytes.getOrDefault(other.name(), List.of());
        return other.equals(topic) || foreign.isEmpty()
            ? mutate(topic, Mutation.RANDOM_BYTES)
            : foreign.get(random.nextInt(foreign.size())).clone();
      }
      case ABSURD_VALUE -> {
        SpecificRecord absurd = absurd(topic);
        return absurd == null ? mutate(topic, Mutation.RANDOM_BYTES) : encode(topic, absurd);
      }
      case EMPTY_VALUE -> {
        return null;
      }
      default -> {
        byte[] bytes = new byte[random.nextInt(120)];
        random.nextBytes(bytes);
        if (bytes.length > 0 && bytes[0] == (byte) 0xC3) {
          bytes[0] = 0;
        }
        return bytes;
      }
    }
  }

  /** A well-formed record with values no programme allows. */
  private SpecificRecord absurd(Topic<?> topic) {
    Instant at = Instant.parse("2026-01-10T00:00:00Z");
    if (topic.equals(Topics.CLICKS)) {
      return ClickRecorded.newBuilder()
          .setEventId("fz-" + random.nextInt())
          .setClickId(" ")
          .setAffiliateId("")
          .setSessionId("s")
          .setOccurredAt(at)
          .build();
    }
    if (topic.equals(Topics.ORDERS)) {
      // Below zero, or beyond the bounds at which pricing or a refund's share would overflow.
      boolean huge = random.nextBoolean();
      SpecificRecord event =
          random.nextBoolean()
              ? OrderPlaced.newBuilder()
                  .setEventId("fz-" + random.nextInt())
                  .setOrderId("fz-order")
                  .setLines(
                      List.of(
                          OrderLine.newBuilder()
                              .setProductId("p")
                              .setCategory("toys")
                              .setAmountCents(
                                  huge
                                      ? Long.MAX_VALUE - random.nextInt(1_000_000)
                                      : -1 - random.nextInt(1_000_000))
                              .build()))
                  .setOccurredAt(at)
                  .build()
              : OrderRefunded.newBuilder()
                  .setEventId("fz-" + random.nextInt())
                  .setOrderId("fz-order")
                  .setRefundCents(
                      huge
                          ? EventRules.MAX_ORDER_CENTS + 1 + random.nextInt(1000)
                          : Long.MIN_VALUE + random.nextInt(1000))
                  .setOccurredAt(huge ? Instant.ofEpochMilli(Long.MAX_VALUE) : at)
                  .build();
      return OrderEvent.newBuilder().setEvent(event).build();
    }
    if (topic.equals(Topics.COMMISSION_RATES)) {
      return CommissionRateSet.newBuilder()
          .setEventId("fz-" + random.nextInt())
          .setCategory("toys")
          .setRateBps(EventRules.MAX_RATE_BPS + 1 + random.nextInt(1_000_000))
          .setEffectiveFrom(at)
          .build();
    }
    if (topic.equals(Topics.WITHDRAWALS)) {
      return WithdrawalEvent.newBuilder()
          .setEvent(
              WithdrawalRequested.newBuilder()
                  .setEventId("fz-" + random.nextInt())
                  .setWithdrawalId("fz-w")
                  .setAffiliateId("aff-1")
                  .setAmountCents(-1L - random.nextInt(1_000_000))
                  .setBankAccount(
                      BankAccount.newBuilder().setIban("XX00").setSwift("?").setHolder("").build())
                  .setOccurredAt(at)
                  .build())
          .build();
    }
    return null;
  }

  /** Whether the ledger could apply these bytes on {@code topic}: decodable and valid. */
  private boolean applicable(Topic<?> topic, byte[] value) {
    try {
      SpecificRecord decoded =
          topic.valueSerde(serdes).deserializer().deserialize(topic.name(), value);
      return decoded != null && EventRules.problems(decoded).isEmpty();
    } catch (RuntimeException e) {
      // Undecodable, whatever the decoder threw: garbage, which the ledger must reject too.
      return false;
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private byte[] encode(Topic topic, Object value) {
    return topic.valueSerde(serdes).serializer().serialize(topic.name(), value);
  }

  private static byte[] bytes(ByteBuffer buffer) {
    ByteBuffer copy = buffer.duplicate();
    byte[] bytes = new byte[copy.remaining()];
    copy.get(bytes);
    return bytes;
  }
}
