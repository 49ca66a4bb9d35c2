package com.portals.ledger.app.bench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What one run of {@code ledger bench} measured, what the outputs check found, the last line, and
 * the results section that comes before it. A phase that did not run is null (no latency step: an
 * empty list).
 *
 * @param history the pre-published workload
 * @param load the load whose latency the last line gives
 * @param memory what the run's processes held
 * @param outputs what the ledger wrote, as read back
 * @param live the outputs the live events owed, null if none were published
 */
record BenchReport(
    Workload.Summary history,
    RawPhase.Result raw,
    CapacityPhase.Published published,
    CapacityPhase.Result capacity,
    List<LatencyPhase.Step> latency,
    double load,
    ReplayPhase.Result replay,
    IdlePhase.Result idle,
    Memory memory,
    OutputWatcher.Counts outputs,
    Expectations live) {

  private static final double BYTES_PER_MIB = 1024.0 * 1024.0;

  /**
   * Memory.
   *
   * @param heapAfterGcBytes the most heap in use after a collection while catching up, or the heap
   *     in use at its end if no collection happened
   * @param collections collections while catching up
   * @param peakRssMb peak resident set of the benchmark's JVM (the ledger's)
   * @param brokerPeakRssMb peak resident set of the broker's process
   * @param brokerRssMb its resident set at the end
   */
  record Memory(
      long heapAfterGcBytes,
      long collections,
      double peakRssMb,
      double brokerPeakRssMb,
      double brokerRssMb) {}

  /** The last line. */
  BenchLine line() {
    LatencyPhase.Step reported =
        latency.stream().filter(step -> step.load() == load).findFirst().orElse(null);
    LatencySummary latencies = reported == null ? LatencySummary.NONE : reported.latency();
    double eventsPerS = capacity == null ? 0 : capacity.eventsPerSecond();
    return new BenchLine(
        eventsPerS,
        raw.eventsPerSecond(),
        BenchLine.ratio(eventsPerS, raw.eventsPerSecond()),
        latencies.p50Ms(),
        latencies.p99Ms(),
        latencies.p999Ms(),
        latencies.maxMs(),
        load,
        published.eventsPerSecond(),
        replay == null ? 0 : replay.eventsPerSecond(),
        idle == null ? 0 : idle.cpuPercent(),
        idle == null ? 0 : idle.recordsPerSecond(),
        memory.heapAfterGcBytes() / BYTES_PER_MIB,
        memory.peakRssMb(),
        memory.brokerPeakRssMb());
  }

  /**
   * What the outputs check found: every way the ledger's outputs are not what the workload implies.
   * Empty if they are.
   */
  List<String> problems() {
    List<String> problems = new ArrayList<>();
    if (!raw.complete()) {
      problems.add(
          "raw Kafka: only "
              + raw.records()
              + " of the "
              + raw.expectedRecords()
              + " records came back");
    }
    if (capacity != null && !capacity.complete()) {
      problems.add(
          "history: "
              + (capacity.expected() - capacity.accounted())
              + " output(s) never came, such as "
              + capacity.missing());
    }
    wrong("history", history.expectations(), problems);
    if (live != null) {
      wrong("live events", live, problems);
    }
    for (LatencyPhase.Step step : latency) {
      if (!step.complete()) {
        problems.add(
            String.format(
                Locale.ROOT,
                "live events at load %.2f: %d output(s) never came",
                step.load(),
                step.owed() - step.read()));
      }
    }
    if (outputs != null && outputs.rejectionCount() > 0) {
      problems.add("rejections where none is expected: " + outputs.rejections());
    }
    return problems;
  }

  private static void wrong(String what, Expectations expected, List<String> problems) {
    if (expected.unattributedOrders() > 0) {
      problems.add(
          what
              + ": "
              + expected.unattributedOrders()
              + " order(s) applied without their click, hence without commission ("
              + expected.withoutCommission()
              + " event(s) not journaled)");
    }
    if (expected.rejected() > 0) {
      problems.add(what + ": " + expected.rejected() + " event(s) rejected");
    }
  }

  /** The results section: each phase's figures, memory, the outputs and the check. */
  void print(PrintWriter out) {
    out.println("Results");
    out.println("  raw      : " + raw.describe());
    out.println("  publish  : " + published.describe());
    if (capacity != null) {
      capacity.describe().forEach(line -> out.println("  capacity : " + line));
    }
    for (LatencyPhase.Step step : latency) {
      List<String> lines = step.describe();
      out.println("  latency  : " + lines.get(0));
      lines.subList(1, lines.size()).forEach(line -> out.println("           " + line));
    }
    if (replay != null) {
      out.println("  replay   : " + replay.describe());
    }
    if (idle != null) {
      idle.describe().forEach(line -> out.println("  idle     : " + line));
    }
    out.printf(
        Locale.ROOT,
        "  memory   : heap %.1f MiB %s while catching up; peak RSS of this JVM %.1f MiB, of the"
            + " broker %.1f MiB (%.1f MiB at the end)%n",
        memory.heapAfterGcBytes() / BYTES_PER_MIB,
        memory.collections() > 0
            ? "at most after a collection (" + memory.collections() + " collections)"
            : "in use at the end (no collection happened)",
        memory.peakRssMb(),
        memory.brokerPeakRssMb(),
        memory.brokerRssMb());
    if (outputs != null) {
      printOutputs(out);
    }
    List<String> problems = problems();
    if (problems.isEmpty()) {
      out.println(
          "  check    : passed (every order event journaled with commission, every withdrawal"
              + " decided, no rejection)");
    } else {
      out.println("  check    : FAILED, the ledger's outputs are not what the workload implies:");
      problems.forEach(problem -> out.println("             - " + problem));
    }
    out.flush();
  }

  private void printOutputs(PrintWriter out) {
    out.printf(
        Locale.ROOT,
        "  outputs  : %d journal entries %s (%d of the 60-day release, %d orders of the history"
            + " left open), %d balance updates, withdrawal decisions %s, rejections %s%n",
        outputs.journalEntries(),
        outputs.entries(),
        outputs.releases(),
        history.openOrders(),
        outputs.balanceUpdates(),
        outputs.decisions(),
        outputs.rejections());
    out.printf(
        Locale.ROOT,
        "  accounted: history %d of %d outputs owed%s%n",
        history.expectations().accounted(),
        history.expectations().expected(),
        live == null
            ? ""
            : String.format(
                Locale.ROOT, ", live events %d of %d", live.accounted(), live.expected()));
  }
}
