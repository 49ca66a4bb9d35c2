package com.portals.ledger.app.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.portals.ledger.schemas.json.EventJson;
import com.portals.ledger.schemas.json.EventJson.Parsed;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PublishWorkloadTest {

  @Test
  void shouldWriteValidEventsInTheAdvertisedMixWithATickEveryHour() {
    List<String> lines = PublishWorkload.lines(40_000, 2026L);

    assertThat(lines).hasSize(40_000);
    Map<String, Long> types =
        lines.stream()
            .map(EventJson::parse)
            .map(result -> result instanceof Parsed parsed ? parsed.type() : "invalid")
            .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    assertThat(types).doesNotContainKey("invalid");
    assertThat(types.get("ClockTick")).isEqualTo(PublishWorkload.SPAN.toHours());
    assertThat(types.get("CommissionRateSet")).isEqualTo(4);
    double events = lines.size() - types.get("ClockTick") - types.get("CommissionRateSet");
    assertThat(types.get("ClickRecorded") / events).isCloseTo(0.72, within(0.01));
    assertThat(types.get("OrderPlaced") / events).isCloseTo(0.15, within(0.01));
    assertThat(types.get("OrderCompleted") / events).isCloseTo(0.10, within(0.01));
    assertThat((types.get("OrderRefunded") + types.get("OrderCancelled")) / events)
        .isCloseTo(0.02, within(0.005));
    assertThat(types.get("WithdrawalRequested") / events).isCloseTo(0.01, within(0.005));
  }
}
