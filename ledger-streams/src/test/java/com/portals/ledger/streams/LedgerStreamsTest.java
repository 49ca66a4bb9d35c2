package com.portals.ledger.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LedgerStreamsTest {

  @Test
  void shouldReadHowManyHeldRecordsATaskKeepsInMemory() {
    assertThat(LedgerStreams.heldInMemory(Map.of())).isEqualTo(10_000);
    assertThat(LedgerStreams.heldInMemory(Map.of(LedgerStreams.HELD_IN_MEMORY_CONFIG, " 250 ")))
        .isEqualTo(250);
    assertThat(LedgerStreams.heldInMemory(Map.of(LedgerStreams.HELD_IN_MEMORY_CONFIG, "0")))
        .isZero();
  }

  @Test
  void shouldRefuseAHeldInMemoryLimitThatIsNotACount() {
    for (String bad : new String[] {"many", "-1", "1.5", ""}) {
      assertThatThrownBy(
              () -> LedgerStreams.heldInMemory(Map.of(LedgerStreams.HELD_IN_MEMORY_CONFIG, bad)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("ledger.intake.held-in-memory must be a whole number");
    }
  }
}
