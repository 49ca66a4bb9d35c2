package com.portals.ledger.app.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.portals.ledger.app.cli.Settings;
import com.portals.ledger.app.runtime.LedgerRuntime.ClockMode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LedgerRuntimeSettingsTest {

  @TempDir Path dataDir;

  @Test
  void shouldRefuseAClockIdleIntervalThatIsNotAPositiveDurationBeforeStartingAnything()
      throws Exception {
    for (String value : new String[] {"0s", "soon"}) {
      assertThatThrownBy(
              () -> start(Settings.empty().with(LedgerRuntime.CLOCK_IDLE_INTERVAL, value)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("ledger.clock.idle-interval");
    }
    try (Stream<Path> written = Files.list(dataDir)) {
      assertThat(written).as("what was written to the data directory").isEmpty();
    }
  }

  @Test
  void shouldRefuseAClockMaxAheadThatIsNotAPositiveDuration() {
    for (String value : new String[] {"-5m", "later"}) {
      assertThatThrownBy(() -> start(Settings.empty().with("ledger.clock.max-ahead", value)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("ledger.clock.max-ahead");
    }
  }

  @Test
  void shouldRefuseATokensFileOthersMayReadBeforeStartingTheBroker() throws Exception {
    Path tokens = Files.createTempFile("tokens", "");
    try {
      Files.write(tokens, List.of("finance-token-0123456789 finance"));
      Files.setPosixFilePermissions(tokens, PosixFilePermissions.fromString("rw-r--r--"));

      assertThatThrownBy(() -> start(Settings.empty(), tokens))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageEndingWith("chmod 600 " + tokens);
      assertThat(dataDir.resolve("broker")).doesNotExist();
    } finally {
      Files.delete(tokens);
    }
  }

  private void start(Settings settings) throws Exception {
    start(settings, null);
  }

  private void start(Settings settings, Path tokens) throws Exception {
    LedgerRuntime.start(
            new LedgerRuntime.Options(
                dataDir,
                null,
                "127.0.0.1",
                0,
                tokens,
                ClockMode.SYSTEM,
                Duration.ofMillis(100),
                false,
                1,
                1,
                settings),
            new PrintWriter(new StringWriter()))
        .close();
  }
}
