package com.portals.ledger.app.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class JvmOptionsTest {

  @Test
  void shouldGiveTheBrokerTheDefaultsWhenNothingIsAdded() {
    assertThat(JvmOptions.BROKER.resolve(null))
        .containsExactly("-XX:+UseParallelGC", "-XX:InlineSmallCode=1000");
    assertThat(JvmOptions.BROKER.resolve("  ")).isEqualTo(JvmOptions.BROKER.resolve(null));
  }

  @Test
  void shouldAddTheOptionsOfTheEnvironmentAfterTheDefaultsSoThatTheyWin() {
    assertThat(JvmOptions.BROKER.resolve(" -XX:InlineSmallCode=2500\t-Xss1m "))
        .containsExactly(
            "-XX:+UseParallelGC", "-XX:InlineSmallCode=1000", "-XX:InlineSmallCode=2500", "-Xss1m");
  }

  @Test
  void shouldReplaceTheDefaultCollectorWhenAnotherIsNamed() {
    assertThat(JvmOptions.BROKER.resolve("-XX:+UseG1GC"))
        .isEqualTo(List.of("-XX:InlineSmallCode=1000", "-XX:+UseG1GC"));
  }
}
