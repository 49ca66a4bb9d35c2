package com.portals.ledger.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.portals.ledger.app.bench.Workload.Kind;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code ledger bench} end to end, small, in this JVM: its own broker, every phase, the outputs
 * check, the last line with every key, nothing left behind. Figures are printed, never asserted
 * beyond being there: how fast a shared build machine is says nothing about the code.
 */
@Timeout(300)
class BenchCommandIntegrationTest {

  private static final Pattern SCRATCH =
      Pattern.compile("Starting a Kafka broker in (\\S+) \\.\\.\\.");

  @TempDir Path temp;

  @Test
  void shouldRunEveryPhaseAndAccountForEveryOutput() throws Exception {
    BenchCommand command = new BenchCommand();
    StringWriter out = new StringWriter();
    CommandLine commandLine = new CommandLine(command);
    commandLine.setOut(new PrintWriter(out, true));
    Path events = temp.resolve("events.jsonl");

    int exit =
        commandLine.execute(
            "--events", "3000",
            "--partitions", "2",
            "--tick-every", "6h",
            "--latency-duration", "3s",
            "--idle-duration", "2s",
            "--timeout", "60s",
            "--write-events", events.toString());

    String printed = out.toString();
    System.out.println(printed);
    assertThat(exit).as(printed).isZero();
    List<String> lines = printed.lines().toList();
    String last = lines.get(lines.size() - 1);
    assertThat(last).matches(BenchLineTest.PATTERN);
    BenchLine line = BenchLine.parse(last);
    assertThat(
            List.of(
                line.eventsPerS(),
                line.rawEventsPerS(),
                line.ratio(),
                line.p50Ms(),
                line.p99Ms(),
                line.p999Ms(),
                line.maxMs(),
                line.publishEventsPerS(),
                line.replayEventsPerS(),
                line.idleCpuPct(),
                line.heapMb(),
                line.rssMb(),
                line.brokerRssMb()))
        .allSatisfy(value -> assertThat(value).isPositive());
    assertThat(line.load()).isEqualTo(0.5);
    assertThat(printed)
        .containsPattern("CPU per event [0-9.]+ us in the ledger's JVM, [0-9.]+ us in the broker")
        .containsPattern("ledger-bench-ledger-orders-changelog +[0-9]+\\.[0-9]{3}")
        .containsPattern("ledger\\.journal +[0-9]+\\.[0-9]{3}")
        .as("the sessions are not logged")
        .doesNotContain("ledger-sessions-changelog");
    assertThat(line.idleRecordsPerS()).isNotNegative();
    assertThat(line.p50Ms()).isLessThanOrEqualTo(line.p99Ms());
    assertThat(line.p99Ms()).isLessThanOrEqualTo(line.p999Ms());

    BenchReport report = command.report();
    assertThat(report.line().format()).isEqualTo(last);
    assertThat(report.problems()).isEmpty();
    Workload.Summary history = report.history();
    assertThat(history.events()).isEqualTo(3000);
    long owed =
        history.count(Kind.ORDER_PLACED)
            + history.count(Kind.ORDER_COMPLETED)
            + history.count(Kind.ORDER_CANCELLED)
            + history.count(Kind.ORDER_REFUNDED)
            + history.count(Kind.WITHDRAWAL_REQUESTED);
    assertThat(report.capacity().complete()).isTrue();
    assertThat(report.capacity().expected()).isEqualTo(owed);
    assertThat(report.capacity().accounted()).isEqualTo(owed);
    assertThat(report.raw().complete()).isTrue();
    assertThat(report.raw().records()).isEqualTo(3000 + 2 * history.ticks());
    assertThat(report.latency()).hasSize(1);
    LatencyPhase.Step step = report.latency().get(0);
    assertThat(step.complete()).isTrue();
    assertThat(step.read()).isEqualTo(step.owed()).isPositive();
    assertThat(step.latency().count()).isEqualTo((int) step.owed());
    assertThat(report.replay().events()).isEqualTo(3000 + step.events());
    assertThat(report.outputs().rejections()).isEmpty();
    assertThat(report.outputs().decisions().values().stream().mapToLong(Long::longValue).sum())
        .isGreaterThanOrEqualTo(history.count(Kind.WITHDRAWAL_REQUESTED));
    assertThat(Files.readAllLines(events)).hasSize((int) (3000 + history.ticks()));

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
}
