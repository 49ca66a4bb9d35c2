package com.portals.ledger.app.broker;

import java.util.ArrayList;
import java.util.List;

/**
 * The JVM options of the embedded broker's child process beyond its heap: defaults chosen for a
 * broker that shares a small machine with the ledger, and what {@value #BROKER_ENV} adds (a
 * collector named there replaces the default one, as in the {@code ledger} script).
 */
final class JvmOptions {

  /** The environment variable whose options the broker child gets after the defaults. */
  static final String BROKER_ENV = "LEDGER_BROKER_JAVA_OPTS";

  /**
   * The parallel collector (less CPU per request than G1 for a heap of 512 MiB that keeps little),
   * and C2 inlining limited to small compiled methods, which halves the compiler's CPU while the
   * broker warms up without slowing the code it compiles (docs/performance.md).
   */
  static final JvmOptions BROKER =
      new JvmOptions(List.of("-XX:+UseParallelGC", "-XX:InlineSmallCode=1000"));

  private final List<String> defaults;

  private JvmOptions(List<String> defaults) {
    this.defaults = defaults;
  }

  /** The defaults, then {@code extra} (whitespace-separated; null or blank: none). */
  List<String> resolve(String extra) {
    List<String> added = new ArrayList<>();
    if (extra != null && !extra.isBlank()) {
      added.addAll(List.of(extra.trim().split("\\s+")));
    }
    boolean collectorNamed = added.stream().anyMatch(JvmOptions::namesCollector);
    List<String> options = new ArrayList<>();
    for (String option : defaults) {
      if (!(collectorNamed && namesCollector(option))) {
        options.add(option);
      }
    }
    options.addAll(added);
    return options;
  }

  private static boolean namesCollector(String option) {
    return option.startsWith("-XX:+Use") && option.endsWith("GC");
  }
}
