package com.portals.ledger.app.broker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Finding and stopping a broker child process that a crashed {@code ./ledger run} left behind.
 *
 * <p>A broker is recognised by its command line, never by its pid alone: a pid in a stale pid file
 * may have been reused by an unrelated process, which must not be killed.
 */
final class BrokerProcesses {

  private BrokerProcesses() {}

  /** The pid written in a pid file, or empty if {@code content} is not one positive number. */
  static OptionalLong parsePid(String content) {
    String trimmed = content.strip();
    if (trimmed.isEmpty() || !trimmed.chars().allMatch(Character::isDigit)) {
      return OptionalLong.empty();
    }
    try {
      long pid = Long.parseLong(trimmed);
      return pid > 0 ? OptionalLong.of(pid) : OptionalLong.empty();
    } catch (NumberFormatException tooLong) {
      return OptionalLong.empty();
    }
  }

  /**
   * Whether {@code process} is a broker started by {@link BrokerMain} for the data directory whose
   * server.properties is {@code serverProperties}. False when the command line cannot be read (for
   * example, a process of another user): such a process is never stopped.
   */
  static boolean isBrokerOf(ProcessHandle process, Path serverProperties) {
    ProcessHandle.Info info = process.info();
    Optional<String[]> arguments = info.arguments();
    if (arguments.isPresent()) {
      return isBrokerCommand(Arrays.asList(arguments.get()), serverProperties);
    }
    return info.commandLine()
        .map(line -> isBrokerCommandLine(line, serverProperties))
        .orElse(false);
  }

  /**
   * Whether the arguments of a process (without the executable) start {@link BrokerMain} on exactly
   * {@code serverProperties}.
   */
  static boolean isBrokerCommand(List<String> arguments, Path serverProperties) {
    int main = arguments.indexOf(BrokerMain.class.getName());
    return main >= 0
        && arguments.subList(main + 1, arguments.size()).contains(serverProperties.toString());
  }

  /**
   * Like {@link #isBrokerCommand} for a command line known only as one string. The path must be the
   * last argument, so that {@code /a/data} does not match a broker of {@code /x/a/data}.
   */
  static boolean isBrokerCommandLine(String commandLine, Path serverProperties) {
    String line = commandLine.strip();
    String main = " " + BrokerMain.class.getName() + " ";
    return line.contains(main) && line.endsWith(" " + serverProperties);
  }

  /**
   * Stops {@code process} and returns once it has exited: a polite request first (SIGTERM, which
   * runs Kafka's shutdown hook), then a forced kill after {@code grace}. Kafka's lock on its log
   * directory is released by the operating system only when the process is gone, hence the wait.
   *
   * @throws EmbeddedBrokerException if the process is still alive after the forced kill
   */
  static void terminate(ProcessHandle process, Duration grace) throws InterruptedException {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    if (awaitExit(process, grace)) {
      return;
    }
    process.destroyForcibly();
    if (!awaitExit(process, Duration.ofSeconds(10))) {
      throw new EmbeddedBrokerException(
          "Could not stop the Kafka broker left behind by a previous run (pid "
              + process.pid()
              + "); stop it by hand and try again.");
    }
  }

  /** Waits up to {@code timeout} for {@code process} to exit; true if it has. */
  static boolean awaitExit(ProcessHandle process, Duration timeout) throws InterruptedException {
    try {
      process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException stillRunning) {
      return !process.isAlive();
    } catch (ExecutionException unexpected) {
      return !process.isAlive();
    }
  }
}
