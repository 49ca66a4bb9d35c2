package com.portals.ledger.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** What {@code ledger bench} refuses before it starts anything. */
class BenchCommandTest {

  private record Run(int exit, String out, String err) {}

  private static Run bench(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine commandLine = new CommandLine(new BenchCommand());
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int exit = commandLine.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void shouldRefuseTooFewEvents() {
    Run run = bench("--events", "99");

    assertThat(run.exit()).isNotZero();
    assertThat(run.err()).contains("--events must be at least 100");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void shouldRefuseTheLedgersOwnSettings() {
    Run run = bench("--set", "ledger.session.ttl=1h");

    assertThat(run.exit()).isNotZero();
    assertThat(run.err()).contains("--set ledger.session.ttl");
  }

  @Test
  void shouldRefuseNonsenseOptions() {
    assertThat(bench("--partitions", "0").err()).contains("--partitions must be at least 1");
    assertThat(bench("--affiliates", "0").err()).contains("--affiliates must be at least 1");
    assertThat(bench("--tick-every", "0s").err()).contains("--tick-every must be positive");
    assertThat(bench("--latency-duration", "0s").err())
        .contains("--latency-duration must be positive");
    assertThat(bench("--load", "0").err()).contains("a load is a share of the capacity");
  }

  @Test
  void shouldRefuseLoadsWithoutTheLoadOfTheLastLine() {
    Run run = bench("--loads", "0.25,0.75");

    assertThat(run.exit()).isNotZero();
    assertThat(run.err()).contains("--loads must include --load (0.5)");
  }

  @Test
  void shouldDescribeItsOptions() {
    Run run = bench("--help");

    assertThat(run.exit()).isZero();
    assertThat(run.out())
        .contains("--events", "--partitions", "--seed", "--affiliates", "--span", "--tick-every")
        .contains("--write-events", "--load", "--loads", "--latency-duration", "--idle-duration")
        .contains("--data-dir", "--timeout", "--set");
  }
}
