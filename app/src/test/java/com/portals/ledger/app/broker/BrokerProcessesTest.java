package com.portals.ledger.app.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class BrokerProcessesTest {

  @TempDir Path tempDir;

  @Test
  void shouldReadThePidOfAPidFile() {
    assertThat(BrokerProcesses.parsePid("12345\n")).isEqualTo(OptionalLong.of(12345));
    assertThat(BrokerProcesses.parsePid("  42 ")).isEqualTo(OptionalLong.of(42));
  }

  @Test
  void shouldIgnoreAPidFileThatHoldsNoPid() {
    for (String content : List.of("", " \n", "abc", "-5", "0", "12 34", "99999999999999999999")) {
      assertThat(BrokerProcesses.parsePid(content)).as("'%s'", content).isEmpty();
    }
  }

  @Test
  void shouldRecogniseTheCommandOfTheBrokerOfThisDataDirectory() throws IOException {
    BrokerLayout layout = BrokerLayout.create(tempDir.resolve("data"));
    List<String> command = EmbeddedBroker.childCommand(layout);
    List<String> arguments = command.subList(1, command.size());

    assertThat(BrokerProcesses.isBrokerCommand(arguments, layout.serverProperties())).isTrue();
    assertThat(
            BrokerProcesses.isBrokerCommandLine(
                String.join(" ", command), layout.serverProperties()))
        .isTrue();
  }

  @Test
  void shouldNotRecogniseTheBrokerOfAnotherDataDirectory() throws IOException {
    BrokerLayout ours = BrokerLayout.create(tempDir.resolve("data"));
    BrokerLayout sibling = BrokerLayout.create(tempDir.resolve("data2"));
    BrokerLayout nested =
        BrokerLayout.create(Path.of(tempDir.toString(), "x", ours.dataDir().toString()));
    List<String> siblingCommand = EmbeddedBroker.childCommand(sibling);
    List<String> nestedCommand = EmbeddedBroker.childCommand(nested);

    assertThat(
            BrokerProcesses.isBrokerCommand(
                siblingCommand.subList(1, siblingCommand.size()), ours.serverProperties()))
        .isFalse();
    assertThat(
            BrokerProcesses.isBrokerCommandLine(
                String.join(" ", nestedCommand), ours.serverProperties()))
        .as("a path that merely ends like ours")
        .isFalse();
  }

  @Test
  void shouldNotRecogniseAnotherProgramOnTheSameFile() throws IOException {
    BrokerLayout layout = BrokerLayout.create(tempDir.resolve("data"));
    String file = layout.serverProperties().toString();

    assertThat(
            BrokerProcesses.isBrokerCommand(
                List.of("-cp", "x.jar", "kafka.Kafka", file), layout.serverProperties()))
        .isFalse();
    assertThat(
            BrokerProcesses.isBrokerCommand(
                List.of("-cp", "x.jar", BrokerMain.class.getName()), layout.serverProperties()))
        .isFalse();
    assertThat(BrokerProcesses.isBrokerOf(ProcessHandle.current(), layout.serverProperties()))
        .isFalse();
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void shouldRecogniseAndStopARunningProcessByItsCommandLine() throws Exception {
    BrokerLayout layout = BrokerLayout.create(tempDir.resolve("data"));
    // A shell that looks like a broker of this data directory (its last two arguments are $0 and
    // $1) and waits on its standard input without starting any child process.
    Process lookalike =
        new ProcessBuilder(
                "sh",
                "-c",
                "read line",
                BrokerMain.class.getName(),
                layout.serverProperties().toString())
            .start();
    Process bystander = new ProcessBuilder("sleep", "300").start();
    try {
      assertThat(BrokerProcesses.isBrokerOf(lookalike.toHandle(), layout.serverProperties()))
          .isTrue();
      assertThat(BrokerProcesses.isBrokerOf(bystander.toHandle(), layout.serverProperties()))
          .isFalse();

      BrokerProcesses.terminate(lookalike.toHandle(), Duration.ofSeconds(30));

      assertThat(lookalike.isAlive()).isFalse();
      assertThat(bystander.isAlive()).isTrue();
    } finally {
      lookalike.destroyForcibly();
      bystander.destroyForcibly();
    }
  }
}
