package com.portals.ledger.app.cli;

import com.portals.ledger.app.runtime.LedgerRuntime;
import com.portals.ledger.app.runtime.LedgerRuntime.ClockMode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ledger run}: the ledger, its projections and the HTTP API, until SIGTERM or Ctrl-C. With
 * no {@code --bootstrap-servers} it starts an embedded Kafka broker whose data lives in the data
 * directory and survives restarts.
 */
@Command(
    name = "run",
    description = "Runs the ledger, its projections and the HTTP API.",
    mixinStandardHelpOptions = true)
public final class RunCommand implements Callable<Integer> {

  /** Exit status when the ledger stopped on an error of its own (not the user's): EX_SOFTWARE. */
  public static final int FAILED = 70;

  private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

  @Mixin CommonOptions common;

  @Spec CommandSpec spec;

  @Option(
      names = "--http-port",
      defaultValue = "8080",
      paramLabel = "PORT",
      description = "Port of the HTTP API (default: ${DEFAULT-VALUE}; 0 picks a free one).")
  int httpPort;

  @Option(
      names = "--http-host",
      defaultValue = "127.0.0.1",
      paramLabel = "HOST",
      description = "Address the HTTP API listens on (default: ${DEFAULT-VALUE}).")
  String httpHost;

  @Option(
      names = "--tokens",
      paramLabel = "FILE",
      description =
          "API tokens, lines TOKEN ROLE [AFFILIATE_ID]. Default: <data-dir>/api-tokens, generated"
              + " with one finance and one ingest token if missing.")
  Path tokens;

  @Option(
      names = "--clock",
      defaultValue = "system",
      paramLabel = "system|manual",
      description =
          "system: a tick with the current time when input arrived (checked every --tick-interval),"
              + " and at least every ledger.clock.idle-interval; manual: only ./ledger tick moves"
              + " time (default: ${DEFAULT-VALUE}).")
  String clock;

  @Option(
      names = "--tick-interval",
      defaultValue = "100ms",
      paramLabel = "DURATION",
      converter = Durations.class,
      description =
          "How often the system clock looks for new input to tick past (default:"
              + " ${DEFAULT-VALUE}).")
  Duration tickInterval;

  @Option(
      names = "--simulate",
      description = "Feed realistic simulated traffic on an accelerated clock (replaces --clock).")
  boolean simulate;

  @Option(
      names = "--simulate-speed",
      defaultValue = "21600",
      paramLabel = "N",
      description =
          "Simulated seconds per second with --simulate (default: ${DEFAULT-VALUE}, 6 h/s).")
  long simulateSpeed;

  @Option(
      names = "--partitions",
      defaultValue = "6",
      paramLabel = "N",
      description = "Partitions of topics the ledger creates (default: ${DEFAULT-VALUE}).")
  int partitions;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    ClockMode clockMode =
        switch (clock) {
          case "system" -> ClockMode.SYSTEM;
          case "manual" -> ClockMode.MANUAL;
          default ->
              throw new IllegalArgumentException(
                  "--clock " + clock + ": expected system or manual");
        };
    if (tickInterval.isNegative() || tickInterval.isZero()) {
      throw new IllegalArgumentException("--tick-interval must be positive, got " + tickInterval);
    }
    LedgerRuntime.Options options =
        new LedgerRuntime.Options(
            common.dataDir(),
            common.explicitBootstrapServers(),
            httpHost,
            httpPort,
            tokens,
            clockMode,
            tickInterval,
            simulate,
            simulateSpeed,
            partitions,
            common.settings());
    CountDownLatch stopped = new CountDownLatch(1);
    LedgerRuntime runtime = LedgerRuntime.start(options, out);
    Thread shutdown =
        new Thread(
            () -> {
              try {
                runtime.close();
                out.println("Ledger stopped.");
                out.flush();
              } finally {
                stopped.countDown();
              }
            },
            "ledger-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdown);
    CompletableFuture<Throwable> failure = runtime.failure();
    failure.thenRun(stopped::countDown);
    stopped.await();
    if (!failure.isDone()) {
      return 0;
    }
    // A stage threw what is not bad input (that is rejected record by record): a bug. Stop the
    // whole process rather than serve answers that no longer move, and exit non-zero.
    Throwable cause = failure.join();
    log.error("the ledger stopped on an error; a restart resumes from the last commit", cause);
    try {
      Runtime.getRuntime().removeShutdownHook(shutdown);
    } catch (IllegalStateException alreadyShuttingDown) {
      return FAILED;
    }
    runtime.close();
    PrintWriter err = spec.commandLine().getErr();
    err.println("ledger run: stopped on an error (" + cause + "); see the log for the cause");
    err.flush();
    return FAILED;
  }
}
