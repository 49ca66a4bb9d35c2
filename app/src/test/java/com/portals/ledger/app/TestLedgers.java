package com.portals.ledger.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.portals.ledger.app.cli.Settings;
import com.portals.ledger.app.runtime.LedgerRuntime;
import com.portals.ledger.app.runtime.LedgerRuntime.ClockMode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine;

/** Ledgers as {@code ledger run} starts them, for tests against a broker of their own. */
final class TestLedgers {

  private TestLedgers() {}

  /** A tokens file {@code dir/tokens} of {@code lines}, readable by its owner only. */
  static Path tokensFile(Path dir, String... lines) throws IOException {
    Files.createDirectories(dir);
    Path file = dir.resolve("tokens");
    Files.write(file, List.of(lines));
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    return file;
  }

  /**
   * A ledger on {@code bootstrapServers} with its data under {@code dir}, its API on a free port of
   * 127.0.0.1 with {@code tokens}, the system clock ticking every 100 ms when {@code clock} is
   * {@link ClockMode#SYSTEM}, and {@code partitions} per topic it creates.
   */
  static LedgerRuntime start(
      Path dir,
      String bootstrapServers,
      Path tokens,
      ClockMode clock,
      int partitions,
      Settings settings)
      throws Exception {
    return LedgerRuntime.start(
        new LedgerRuntime.Options(
            dir.resolve("data"),
            bootstrapServers,
            "127.0.0.1",
            0,
            tokens,
            clock,
            Duration.ofMillis(100),
            false,
            1,
            partitions,
            settings),
        new PrintWriter(new StringWriter()));
  }

  /**
   * A ledger on the manual clock under {@code dir}, its tokens file of {@code tokenLines}, as
   * {@code ledger run --clock manual} starts it.
   */
  static LedgerRuntime manual(
      Path dir, String bootstrapServers, int partitions, String... tokenLines) throws Exception {
    Path tokens = tokensFile(dir, tokenLines);
    return start(dir, bootstrapServers, tokens, ClockMode.MANUAL, partitions, Settings.empty());
  }

  /** What a {@code ledger} command run in this JVM did: its exit status and what it printed. */
  record Cli(int exit, String out, String err) {}

  /** Runs {@code ledger args...} in this JVM, as the {@code ledger} script would. */
  static Cli cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine commandLine = Main.commandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int exit = commandLine.execute(args);
    return new Cli(exit, out.toString(), err.toString());
  }

  /** Runs {@code ledger command...} against {@code bootstrapServers}, given after the verb. */
  static Cli cliOn(String bootstrapServers, List<String> command) {
    List<String> line = new ArrayList<>(command.subList(0, 1));
    line.addAll(List.of("--bootstrap-servers", bootstrapServers));
    line.addAll(command.subList(1, command.size()));
    return cli(line.toArray(String[]::new));
  }

  /** The checkout: the first directory up from the working directory that holds the example. */
  static Path repositoryRoot() {
    for (Path at = Path.of("").toAbsolutePath(); at != null; at = at.getParent()) {
      if (Files.isRegularFile(at.resolve("examples/first-session.jsonl"))) {
        return at;
      }
    }
    throw new IllegalStateException("examples/first-session.jsonl not found above the working dir");
  }

  /** Reads a JSON answer of the API. */
  interface JsonGet {
    JsonNode get(String path) throws Exception;
  }

  /**
   * Whether each of {@code paths} answers the same from the running totals as with {@code
   * full=true} (every affiliate read again); the reconciliation's differences as a set, since the
   * two list them in different orders.
   */
  static boolean runningEqualsFull(JsonGet api, String... paths) throws Exception {
    for (String path : paths) {
      JsonNode running = api.get(path).deepCopy();
      JsonNode full = api.get(path + "?full=true").deepCopy();
      if (!(running instanceof ObjectNode r) || !(full instanceof ObjectNode f)) {
        return false;
      }
      Set<String> runningDifferences = new TreeSet<>();
      Set<String> fullDifferences = new TreeSet<>();
      r.path("differences").forEach(d -> runningDifferences.add(d.toString()));
      f.path("differences").forEach(d -> fullDifferences.add(d.toString()));
      r.remove("differences");
      f.remove("differences");
      if (!r.equals(f) || !runningDifferences.equals(fullDifferences)) {
        return false;
      }
    }
    return true;
  }
}
