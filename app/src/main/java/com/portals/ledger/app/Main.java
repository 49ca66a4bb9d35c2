package com.portals.ledger.app;

import com.portals.ledger.app.bench.BenchCommand;
import com.portals.ledger.app.cli.PublishCommand;
import com.portals.ledger.app.cli.ReplayCommand;
import com.portals.ledger.app.cli.RunCommand;
import com.portals.ledger.app.cli.TickCommand;
import com.portals.ledger.app.cli.VerifyCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code ./ledger} command line (docs/contract.md "Command line"). Errors the user can fix (no
 * broker, bad option, unreadable file) are printed as one line, without a stack trace, and exit
 * with status 2.
 */
@Command(
    name = "ledger",
    description = "Portals commission ledger: an event-sourced ledger on Apache Kafka.",
    mixinStandardHelpOptions = true,
    version = "ledger 0.1.0",
    subcommands = {
      RunCommand.class,
      PublishCommand.class,
      TickCommand.class,
      ReplayCommand.class,
      VerifyCommand.class,
      BenchCommand.class
    })
public final class Main {

  /** Exit status of errors that are the user's to fix. */
  public static final int USAGE_ERROR = 2;

  /** {@code json} for JSON log lines, {@code text} (the default) for readable ones. */
  public static final String LOG_FORMAT_ENV = "LEDGER_LOG_FORMAT";

  public static void main(String[] args) {
    String logConfig = logConfiguration(System.getenv(LOG_FORMAT_ENV));
    if (logConfig != null && System.getProperty(LOG4J_CONFIG) == null) {
      System.setProperty(LOG4J_CONFIG, logConfig);
    }
    System.exit(commandLine().execute(args));
  }

  static final String LOG4J_CONFIG = "log4j2.configurationFile";

  /**
   * The log4j configuration for {@value #LOG_FORMAT_ENV}: {@code log4j2-json.xml} for {@code json},
   * null (log4j2.xml, found by itself) for {@code text} or nothing. Set before the first logger
   * exists; an explicit {@code -Dlog4j2.configurationFile} wins.
   */
  public static String logConfiguration(String format) {
    if (format == null || format.isBlank() || format.strip().equalsIgnoreCase("text")) {
      return null;
    }
    if (format.strip().equalsIgnoreCase("json")) {
      return "log4j2-json.xml";
    }
    throw new IllegalArgumentException(LOG_FORMAT_ENV + "='" + format + "' must be text or json");
  }

  /** The command line, ready to execute; tests call it without exiting the JVM. */
  public static CommandLine commandLine() {
    CommandLine commandLine = new CommandLine(new Main());
    commandLine.setExecutionExceptionHandler(
        (exception, cmd, parseResult) -> {
          if (exception instanceof IllegalArgumentException
              || exception instanceof IllegalStateException) {
            cmd.getErr().println("ledger " + cmd.getCommandName() + ": " + exception.getMessage());
            return USAGE_ERROR;
          }
          throw exception;
        });
    return commandLine;
  }
}
