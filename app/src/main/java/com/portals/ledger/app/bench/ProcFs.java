package com.portals.ledger.app.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What Linux's {@code /proc} says about a process: CPU time used and resident memory. Elsewhere
 * every reading is empty, and the report says "unknown".
 */
final class ProcFs {

  /**
   * Clock ticks per second of {@code /proc/<pid>/stat}'s times: Linux's USER_HZ, 100 on every
   * platform the JDK runs on.
   */
  static final long TICKS_PER_SECOND = 100;

  private static final long NANOS_PER_TICK = 1_000_000_000L / TICKS_PER_SECOND;
  private static final double KIB_PER_MIB = 1024.0;

  private ProcFs() {}

  /** CPU time (user + system) process {@code pid} has used so far, in nanoseconds. */
  static OptionalLong cpuNanos(long pid) {
    return read(Path.of("/proc", Long.toString(pid), "stat"))
        .map(stat -> OptionalLong.of(cpuTicks(stat) * NANOS_PER_TICK))
        .orElse(OptionalLong.empty());
  }

  /**
   * utime + stime, in clock ticks, from the text of {@code /proc/<pid>/stat}: fields 14 and 15,
   * counted after the command name, which is in parentheses and may hold spaces and parentheses.
   */
  static long cpuTicks(String stat) {
    int close = stat.lastIndexOf(')');
    if (close < 0) {
      throw new IllegalArgumentException("not a /proc/<pid>/stat line: " + stat);
    }
    // After ") " come field 3 (state), 4, ...: utime is field 14, stime field 15.
    String[] fields = stat.substring(close + 2).trim().split(" +");
    return Long.parseLong(fields[14 - 3]) + Long.parseLong(fields[15 - 3]);
  }

  /** CPU time this JVM has used so far, in nanoseconds, as the JVM counts it. */
  static long ownCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /**
   * The peak resident set ({@code VmHWM}) of process {@code pid}, or of this one for "self", in
   * KiB.
   */
  static OptionalLong peakRssKib(String pid) {
    return readStatusKib(pid, "VmHWM");
  }

  /** The resident set ({@code VmRSS}) now, in KiB. */
  static OptionalLong rssKib(String pid) {
    return readStatusKib(pid, "VmRSS");
  }

  /** KiB in MiB; 0 if unknown. */
  static double mib(OptionalLong kib) {
    return kib.isPresent() ? kib.getAsLong() / KIB_PER_MIB : 0;
  }

  private static OptionalLong readStatusKib(String pid, String field) {
    return read(Path.of("/proc", pid, "status"))
        .map(status -> statusKib(status, field))
        .orElse(OptionalLong.empty());
  }

  /** The value in KiB of {@code field} ({@code VmHWM: 123456 kB}) in a status text. */
  static OptionalLong statusKib(String status, String field) {
    for (String line : status.split("\n")) {
      if (line.startsWith(field + ":")) {
        String value = line.substring(field.length() + 1).trim();
        int space = value.indexOf(' ');
        return OptionalLong.of(Long.parseLong(space < 0 ? value : value.substring(0, space)));
      }
    }
    return OptionalLong.empty();
  }

  /** The processor's model name, from {@code /proc/cpuinfo}. */
  static String cpuModel() {
    return read(Path.of("/proc/cpuinfo"))
        .flatMap(
            info ->
                info.lines()
                    .filter(line -> line.startsWith("model name"))
                    .map(line -> line.substring(line.indexOf(':') + 1).trim())
                    .findFirst())
        .orElse("unknown processor");
  }

  private static Optional<String> read(Path file) {
    try {
      return Optional.of(Files.readString(file, StandardCharsets.ISO_8859_1));
    } catch (IOException | UnsupportedOperationException e) {
      return Optional.empty();
    }
  }
}
