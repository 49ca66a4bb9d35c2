package com.portals.ledger.app.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ProcFsTest {

  @Test
  void shouldAddUserAndSystemTimeEvenWhenTheCommandHoldsSpacesAndParentheses() {
    String stat =
        "4242 (java (broker) x) S 1 4242 4242 0 -1 4194560 123 0 0 0 1500 250 7 3 20 0 40 0 99"
            + " 5000000 30000 18446744073709551615 1 1 0 0 0 0 0 4096 0 0 0 17 1 0 0 0 0 0";

    assertThat(ProcFs.cpuTicks(stat)).isEqualTo(1750);
  }

  @Test
  void shouldReadAFieldOfTheStatusInKib() {
    String status = "Name:\tjava\nVmPeak:\t 9000 kB\nVmHWM:\t  123456 kB\nVmRSS:\t   65432 kB\n";

    assertThat(ProcFs.statusKib(status, "VmHWM")).isEqualTo(OptionalLong.of(123456));
    assertThat(ProcFs.statusKib(status, "VmRSS")).isEqualTo(OptionalLong.of(65432));
    assertThat(ProcFs.statusKib(status, "VmSwap")).isEmpty();
    assertThat(ProcFs.mib(OptionalLong.of(2048))).isEqualTo(2.0);
    assertThat(ProcFs.mib(OptionalLong.empty())).isZero();
  }

  @Test
  void shouldReadThisProcessOnLinux() {
    assumeTrue(Files.exists(Path.of("/proc/self/status")), "a Linux /proc");
    long pid = ProcessHandle.current().pid();

    assertThat(ProcFs.peakRssKib("self").orElseThrow()).isPositive();
    assertThat(ProcFs.peakRssKib("self").orElseThrow())
        .isGreaterThanOrEqualTo(ProcFs.rssKib("self").orElseThrow() - 1024);
    long cpu = ProcFs.cpuNanos(pid).orElseThrow();
    assertThat(cpu).isPositive();
    // The JVM's own count of its CPU time and /proc's agree within /proc's tick and the gap
    // between the two readings.
    assertThat(Math.abs(ProcFs.ownCpuNanos() - cpu)).isLessThan(1_000_000_000L);
    assertThat(ProcFs.cpuModel()).isNotBlank();
  }

  @Test
  void shouldSayNothingOfAProcessThatIsNotThere() {
    assertThat(ProcFs.cpuNanos(Long.MAX_VALUE)).isEmpty();
    assertThat(ProcFs.peakRssKib(Long.toString(Long.MAX_VALUE))).isEmpty();
  }
}
