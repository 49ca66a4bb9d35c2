package com.portals.ledger.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.portals.ledger.app.bench.BenchCommand.Report;
import com.portals.ledger.app.bench.BenchWorkload.Kind;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/**
 * {@code ledger bench} end to end, in this JVM: its own broker, the raw baseline, the ledger; the
 * contract's last line, every event accounted for, nothing left behind. Figures are printed, never
 * asserted: how fast a shared build machine is says nothing about the code.
 */
@Timeout(180)
class BenchCommandIntegrationTest {

  private static final Pattern SCRATCH =
      Pattern.compile("Starting a Kafka broker in (\\S+) \\.\\.\\.");

  @Test
  void shouldMeasureBothRunsAndAccountForEveryEvent() {
    BenchCommand command = new BenchCommand();
    StringWriter out = new StringWriter();
    CommandLine commandLine = new CommandLine(command);
    commandLine.setOut(new PrintWriter(out, true));

    int exit =
        commandLine.execute(
            "--events", "2000", "--batch-size", "100", "--partitions", "3", "--timeout", "60s");

    String printed = out.toString();
    System.out.println(printed);
    assertThat(exit).as(printed).isZero();
    List<String> lines = printed.lines().toList();
    String last = lines.get(lines.size() - 1);
    assertThat(last).matches(BenchLineTest.PATTERN);
    Map<String, Double> figures = figures(last);
    assertThat(figures.values()).allSatisfy(value -> assertThat(value).isPositive());

    Report report = command.report();
    assertThat(report.line()).isEqualTo(last);
    Map<Kind, Integer> kinds = report.workload().countsByKind();
    int orderEvents =
        kinds.get(Kind.ORDER_PLACED)
            + kinds.get(Kind.ORDER_COMPLETED)
            + kinds.get(Kind.ORDER_CANCELLED)
            + kinds.get(Kind.ORDER_REFUNDED);
    int withdrawals = kinds.get(Kind.WITHDRAWAL_REQUESTED);
    LedgerBench.Result ledger = report.ledger();
    assertThat(ledger.events()).isEqualTo(2000);
    assertThat(ledger.expectedOutputs()).isEqualTo(orderEvents + withdrawals);
    assertThat(ledger.accounted()).isEqualTo(ledger.expectedOutputs());
    assertThat(ledger.unattributedOrders()).isZero();
    assertThat(ledger.rejections()).isEmpty();
    long accepted = ledger.decisions().getOrDefault("ACCEPTED", 0L);
    assertThat(ledger.decisions().values().stream().mapToLong(Long::longValue).sum())
        .isEqualTo(withdrawals);
    // One entry per order event (accrued, completed, cancelled, refunded), two per accepted
    // withdrawal (the payout and the fee).
    assertThat(ledger.entriesOfEvents()).isEqualTo(orderEvents + 2 * accepted);
    assertThat(ledger.journalEntries()).isGreaterThan(ledger.entriesOfEvents());
    assertThat(ledger.balanceUpdates()).isPositive();
    assertThat(ledger.latency().count()).isEqualTo((int) (orderEvents + accepted));
    assertThat(report.raw().events()).isEqualTo(2000);
    assertThat(report.raw().records()).isEqualTo(2000 + 3L * report.workload().batches().size());
    assertThat(report.raw().latency().count()).isEqualTo(2000);

    Matcher scratch = SCRATCH.matcher(printed);
    assertThat(scratch.find()).isTrue();
    Path dir = Path.of(scratch.group(1));
    assertThat(dir).as("the scratch directory is deleted").doesNotExist();
    try (Stream<ProcessHandle> processes = ProcessHandle.allProcesses()) {
      assertThat(
              processes.filter(
                  p -> p.info().commandLine().map(c -> c.contains(dir.toString())).orElse(false)))
          .as("no broker left running")
          .isEmpty();
    }
  }

  private static Map<String, Double> figures(String line) {
    return Pattern.compile(" ")
        .splitAsStream(line)
        .map(pair -> pair.split("="))
        .collect(Collectors.toMap(pair -> pair[0], pair -> Double.valueOf(pair[1])));
  }
}
