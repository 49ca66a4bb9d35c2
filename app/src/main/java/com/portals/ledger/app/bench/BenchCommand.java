package com.portals.ledger.app.bench;

import com.portals.ledger.app.broker.EmbeddedBroker;
import com.portals.ledger.app.cli.Durations;
import com.portals.ledger.app.cli.Settings;
import com.portals.ledger.app.runtime.LedgerRuntime;
import com.portals.ledger.app.runtime.SystemClockTicker;
import com.portals.ledger.schemas.publish.EventPublisher;
import com.portals.ledger.schemas.serde.LedgerSerdes;
import com.portals.ledger.schemas.serde.WireFormat;
import com.portals.ledger.schemas.topics.TopicAdmin;
import com.portals.ledger.schemas.topics.TopicNamespace;
import com.portals.ledger.schemas.topics.Topics;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ledger bench} (docs/contract.md "Command line"): measures the write side on a Kafka broker
 * of its own, in one run, in five phases, open loop throughout (no phase waits for the ledger
 * before sending more):
 *
 * <ol>
 *   <li>raw Kafka ({@link RawPhase}): the history's records encoded, produced and read back with no
 *       ledger: the ceiling of this machine and broker;
 *   <li>capacity ({@link CapacityPhase}): the history published first, then the ledger started; how
 *       fast it catches up is its capacity;
 *   <li>latency ({@link LatencyPhase}): new events published live at {@code --load} × capacity (or
 *       each of {@code --loads}), with the production ticker; from when each was due to its output;
 *   <li>replay ({@link ReplayPhase}): {@code ledger replay} of all of it;
 *   <li>idle ({@link IdlePhase}): the CPU and the records the ledger and the broker use when
 *       nothing comes.
 * </ol>
 *
 * <p>In: the options below; the history is a {@link Workload} (seeded: the same events every run).
 * Out: progress and a report on standard output, whose last line is a {@link BenchLine}: {@code
 * events_per_s=X raw_events_per_s=Y ratio=Z p50_ms=A p99_ms=B p999_ms=C ...}. Exit status 0; 1 (the
 * report and the line printed all the same) when the ledger's outputs are not what the workload
 * implies: an output missing, an order applied without commission, a rejection. A run that cannot
 * go on (the ledger stops, the broker fails) ends with an exception and no line. Whatever happens,
 * the ledger, the clients and the broker are stopped, and the scratch directory is deleted unless
 * {@code --data-dir} named it.
 */
@Command(
    name = "bench",
    description =
        "Measures the write side on an embedded broker of its own: raw Kafka, the ledger's capacity"
            + " (catching up with a backlog), its latency at a share of that capacity (open loop),"
            + " replay and idle cost.",
    mixinStandardHelpOptions = true)
public final class BenchCommand implements Callable<Integer> {

  /**
   * {@code segment.ms} of every topic of the benchmark, the ledger's internal topics included: ten
   * years. Kafka rolls a new log segment when the record timestamps in the current one span more
   * than {@code segment.ms} (seven days by default). Records carry event times, and the benchmark
   * runs 120 days of them through in seconds: with the default, every partition would roll a
   * segment about every week of event time, hundreds of file creations a second that a live ledger,
   * whose event time moves with the wall clock, meets once a week. On a two-core machine they
   * halved the raw rate and cut the ledger's by a fifth.
   */
  static final String SEGMENT_MS = String.valueOf(Duration.ofDays(3650).toMillis());

  /** Prefix of the copy of the input topics the raw phase writes to. */
  static final TopicNamespace RAW_TOPICS = TopicNamespace.prefixed("bench-raw");

  /** Interval of the ticker of the latency phase. */
  static final Duration TICK_INTERVAL = Duration.ofMillis(100);

  /** Pause between the end of publishing and the idle window. */
  static final Duration IDLE_SETTLE = Duration.ofSeconds(5);

  @Spec CommandSpec spec;

  @Option(
      names = "--events",
      defaultValue = "100000",
      paramLabel = "N",
      description =
          "Events of the history the ledger catches up with, ticks not counted (default:"
              + " ${DEFAULT-VALUE}).")
  long events;

  @Option(
      names = "--partitions",
      defaultValue = "6",
      paramLabel = "N",
      description = "Partitions of every topic (default: ${DEFAULT-VALUE}).")
  int partitions;

  @Option(
      names = "--seed",
      defaultValue = "2026",
      paramLabel = "N",
      description = "Seed of the workload (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--affiliates",
      defaultValue = "6000",
      paramLabel = "N",
      description = "Affiliates, of Zipf popularity (default: ${DEFAULT-VALUE}).")
  int affiliates;

  @Option(
      names = "--span",
      defaultValue = "120d",
      paramLabel = "DURATION",
      converter = Durations.class,
      description = "Event time the history spreads over (default: ${DEFAULT-VALUE}).")
  Duration span;

  @Option(
      names = "--tick-every",
      defaultValue = "1h",
      paramLabel = "DURATION",
      converter = Durations.class,
      description = "Event time between two ticks of the history (default: ${DEFAULT-VALUE}).")
  Duration tickEvery;

  @Option(
      names = "--write-events",
      paramLabel = "FILE",
      description =
          "Also write the history's JSON lines, ticks included, to FILE (for ledger publish).")
  Path writeEvents;

  @Option(
      names = "--load",
      defaultValue = "0.5",
      paramLabel = "SHARE",
      description =
          "Share of the capacity the latency of the last line is measured at (default:"
              + " ${DEFAULT-VALUE}).")
  double load;

  @Option(
      names = "--loads",
      split = ",",
      paramLabel = "SHARE",
      description =
          "Measure the latency at each of these shares of the capacity, in turn (e.g."
              + " 0.25,0.5,0.75,0.9); must include --load. Default: --load alone.")
  List<Double> loads = new ArrayList<>();

  @Option(
      names = "--latency-duration",
      defaultValue = "30s",
      paramLabel = "DURATION",
      converter = Durations.class,
      description = "How long each load is published for (default: ${DEFAULT-VALUE}).")
  Duration latencyDuration;

  @Option(
      names = "--idle-duration",
      defaultValue = "20s",
      paramLabel = "DURATION",
      converter = Durations.class,
      description = "How long the idle cost is measured for (default: ${DEFAULT-VALUE}).")
  Duration idleDuration;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description =
          "New or empty directory for the benchmark's broker and state, kept afterwards. Default: a"
              + " temporary directory, deleted afterwards.")
  Path dataDir;

  @Option(
      names = "--timeout",
      defaultValue = "2m",
      paramLabel = "DURATION",
      converter = Durations.class,
      description =
          "Give up when nothing new has been read back for this long, or the ledger takes longer"
              + " to start (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description =
          "A Kafka Streams or client setting for the ledger under test (e.g."
              + " num.stream.threads=2); repeatable. The ledger's rules stay at their defaults.")
  List<String> overrides = new ArrayList<>();

  private BenchReport report;

  /** What the last {@link #call()} measured, or null. */
  BenchReport report() {
    return report;
  }

  @Override
  public Integer call() throws InterruptedException {
    validate();
    Map<String, String> streamsOverrides = streamsOverrides();
    List<Double> steps = loads.isEmpty() ? List.of(load) : List.copyOf(loads);
    PrintWriter out = spec.commandLine().getOut();
    Workload workload = Workload.history(events, seed, affiliates, span, tickEvery);
    Workload.Summary history = workload.summarise();
    printSettings(out, history, steps, streamsOverrides);
    if (writeEvents != null) {
      long lines = workload.write(writeEvents);
      out.printf(Locale.ROOT, "  wrote the history's %d lines to %s%n", lines, writeEvents);
    }
    out.flush();

    LedgerSerdes serdes = LedgerSerdes.singleObject();
    Run run = new Run(history);
    try (ScratchDir scratch = ScratchDir.create(dataDir);
        Interruption interruption = new Interruption(scratch)) {
      out.println("Starting a Kafka broker in " + scratch.path() + " ...");
      out.flush();
      try (EmbeddedBroker broker = interruption.watch(EmbeddedBroker.start(scratch.path()))) {
        String bootstrap = broker.bootstrapServers();
        createTopics(bootstrap);
        out.println("(a) Raw Kafka: the history's records encoded, produced and read back");
        out.flush();
        run.raw =
            RawPhase.run(
                bootstrap, RAW_TOPICS, partitions, workload, history, serdes, timeout, out);
        out.println("(b) Capacity: the history published, then the ledger started");
        out.flush();
        run.published = CapacityPhase.publish(bootstrap, workload, history, serdes, out);
        measureLedger(run, broker, serdes, streamsOverrides, steps, scratch.path(), out);
        run.brokerPeakRss = ProcFs.mib(ProcFs.peakRssKib(Long.toString(broker.pid())));
        run.brokerRss = ProcFs.mib(ProcFs.rssKib(Long.toString(broker.pid())));
        run.peakRss = ProcFs.mib(ProcFs.peakRssKib("self"));
        out.println("Stopping the broker ...");
        out.flush();
      }
      if (scratch.kept()) {
        out.println("The broker's data and the ledger's state stay in " + scratch.path());
      }
    }
    report = run.report();
    report.print(out);
    out.println(report.line().format());
    out.flush();
    return report.problems().isEmpty() ? 0 : 1;
  }

  /** What the phases measured so far. */
  private final class Run {
    final Workload.Summary history;
    RawPhase.Result raw;
    CapacityPhase.Published published;
    CapacityPhase.Result capacity;
    List<LatencyPhase.Step> latency = List.of();
    ReplayPhase.Result replay;
    IdlePhase.Result idle;
    OutputWatcher watcher;
    Expectations live;
    long heapAfterGc;
    long collections;
    double peakRss;
    double brokerPeakRss;
    double brokerRss;

    Run(Workload.Summary history) {
      this.history = history;
    }

    BenchReport report() {
      return new BenchReport(
          history,
          raw,
          published,
          capacity,
          latency,
          load,
          replay,
          idle,
          new BenchReport.Memory(heapAfterGc, collections, peakRss, brokerPeakRss, brokerRss),
          watcher == null ? null : watcher.counts(),
          live);
    }
  }

  /** Phases (b) to (e): the ledger's, on the history already published. */
  private void measureLedger(
      Run run,
      EmbeddedBroker broker,
      LedgerSerdes serdes,
      Map<String, String> streamsOverrides,
      List<Double> steps,
      Path scratch,
      PrintWriter out)
      throws InterruptedException {
    String bootstrap = broker.bootstrapServers();
    run.watcher = new OutputWatcher(serdes, run.history.expectations());
    TopicReader reader =
        TopicReader.start(
            "ledger-bench-output-reader", bootstrap, OutputWatcher.TOPICS, run.watcher);
    long jvmCpu = ProcFs.ownCpuNanos();
    OptionalLong brokerCpu = ProcFs.cpuNanos(broker.pid());
    try (LedgerUnderTest ledger =
        LedgerUnderTest.start(
            bootstrap, partitions, serdes, streamsOverrides, scratch.resolve("streams"))) {
      try (HeapWatch heap = HeapWatch.start()) {
        run.capacity =
            CapacityPhase.catchUp(
                ledger,
                run.history,
                run.history.events() + run.history.ticks() * partitions,
                timeout,
                out);
        reader.check();
        OptionalLong brokerCpuNow = ProcFs.cpuNanos(broker.pid());
        CapacityPhase.printCost(
            run.history.events(),
            ProcFs.ownCpuNanos() - jvmCpu,
            brokerCpu.isPresent() && brokerCpuNow.isPresent()
                ? OptionalLong.of(brokerCpuNow.getAsLong() - brokerCpu.getAsLong())
                : OptionalLong.empty(),
            ledger.written(),
            out);
        run.collections = heap.collections();
        run.heapAfterGc = run.collections > 0 ? heap.maxAfterGcBytes() : HeapWatch.usedNow();
        out.println("  capacity: in this JVM, " + heap.describePauses());
        out.flush();
      }
      if (!run.capacity.complete()) {
        out.println("The history's outputs did not all come: the other phases are skipped.");
        return;
      }
      // Live time goes on from the end of the history: the 60-day releases and balance postings
      // the wall clock would make due at once stay out of the latencies.
      Clock clock =
          Clock.offset(
              Clock.systemUTC(),
              Duration.between(Instant.now(), run.history.lastTick().plusSeconds(1)));
      try (EventPublisher tickPublisher = EventPublisher.connect(bootstrap, serdes)) {
        SystemClockTicker ticker =
            SystemClockTicker.start(
                tickPublisher,
                clock,
                TICK_INTERVAL,
                Durations.parse(LedgerRuntime.DEFAULT_CLOCK_IDLE_INTERVAL));
        try {
          measureLive(run, ledger, reader, broker, serdes, clock, steps, scratch, out);
        } finally {
          ticker.close();
        }
      }
    } finally {
      reader.close();
    }
  }

  /** Phases (c) to (e), on the ledger that caught up, while the ticker runs. */
  private void measureLive(
      Run run,
      LedgerUnderTest ledger,
      TopicReader reader,
      EmbeddedBroker broker,
      LedgerSerdes serdes,
      Clock clock,
      List<Double> steps,
      Path scratch,
      PrintWriter out)
      throws InterruptedException {
    String bootstrap = broker.bootstrapServers();
    double capacity = run.capacity.eventsPerSecond();
    long liveEvents =
        steps.stream()
            .mapToLong(share -> LatencyPhase.eventsOf(share * capacity, latencyDuration))
            .sum();
    Workload live = Workload.live(liveEvents, seed, affiliates, span);
    run.live = live.summarise().expectations();
    out.printf(
        Locale.ROOT,
        "(c) Latency: %d live events, open loop, a tick every %d ms%n",
        liveEvents,
        TICK_INTERVAL.toMillis());
    out.flush();
    try (HeapWatch heap = HeapWatch.start()) {
      run.latency =
          LatencyPhase.run(
              ledger,
              run.watcher,
              bootstrap,
              serdes,
              clock,
              capacity,
              steps,
              latencyDuration,
              live,
              run.live,
              timeout,
              out);
      out.println("  latency: in this JVM, " + heap.describePauses());
      out.flush();
    }
    reader.check();
    out.println("(d) Replay: ledger replay of everything published");
    out.flush();
    // As long as the catch-up would take five times over, and --timeout more.
    double seconds = (run.history.events() + liveEvents) / capacity;
    run.replay =
        ReplayPhase.run(
            bootstrap,
            partitions,
            serdes,
            scratch.resolve("replay"),
            timeout.plusMillis((long) (5_000 * seconds)),
            out);
    out.println("(e) Idle: the ledger and its ticker with nothing to do");
    out.flush();
    reader.close();
    run.idle = IdlePhase.run(ledger, broker.pid(), bootstrap, IDLE_SETTLE, idleDuration, out);
  }

  /**
   * Cleans up when the JVM is stopped mid-run (Ctrl-C, SIGTERM), which skips the normal closing:
   * stops the broker, then deletes the scratch directory. The broker would stop by itself once this
   * JVM is gone, but only after the directory could be deleted. Removed again at the normal end.
   */
  private static final class Interruption implements AutoCloseable {
    private final Thread hook;
    private volatile EmbeddedBroker broker;

    Interruption(ScratchDir scratch) {
      this.hook =
          new Thread(
              () -> {
                EmbeddedBroker running = broker;
                if (running != null) {
                  running.close();
                }
                scratch.close();
              },
              "ledger-bench-cleanup");
      Runtime.getRuntime().addShutdownHook(hook);
    }

    EmbeddedBroker watch(EmbeddedBroker started) {
      broker = started;
      return started;
    }

    @Override
    public void close() {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // The JVM is stopping: the hook runs, and does the cleaning.
      }
    }
  }

  private void validate() {
    if (events < 100) {
      throw new IllegalArgumentException(
          "--events must be at least 100, so that the workload holds orders; got " + events);
    }
    if (partitions < 1) {
      throw new IllegalArgumentException("--partitions must be at least 1, got " + partitions);
    }
    if (affiliates < 1) {
      throw new IllegalArgumentException("--affiliates must be at least 1, got " + affiliates);
    }
    positive("--span", span);
    positive("--tick-every", tickEvery);
    positive("--latency-duration", latencyDuration);
    positive("--idle-duration", idleDuration);
    positive("--timeout", timeout);
    for (double share : loads.isEmpty() ? List.of(load) : loads) {
      if (!(share > 0 && share <= 2)) {
        throw new IllegalArgumentException(
            "a load is a share of the capacity in (0, 2], got " + share);
      }
    }
    if (!loads.isEmpty() && !loads.contains(load)) {
      throw new IllegalArgumentException(
          "--loads must include --load (" + load + "), the load whose latency the last line gives");
    }
  }

  private static void positive(String option, Duration value) {
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(option + " must be positive, got " + value);
    }
  }

  /**
   * The {@code --set} settings, all of which go to Kafka Streams. The ledger's own settings are
   * refused: the workload's expected outputs follow from the default rules and wire format.
   */
  private Map<String, String> streamsOverrides() {
    Map<String, String> settings = new TreeMap<>(Settings.load(null, overrides).asMap());
    for (String key : settings.keySet()) {
      if (key.startsWith("ledger.")
          || key.equals(WireFormat.CONFIG)
          || key.equals(WireFormat.REGISTRY_URL_CONFIG)) {
        throw new IllegalArgumentException(
            "--set " + key + ": the benchmark runs the ledger with its default rules and format");
      }
    }
    Map<String, String> streams = new TreeMap<>();
    streams.put(StreamsConfig.topicPrefix(TopicConfig.SEGMENT_MS_CONFIG), SEGMENT_MS);
    streams.putAll(settings);
    return streams;
  }

  /**
   * The ledger's topics and the raw phase's copy of the inputs, as {@code ledger run} creates them,
   * but for {@link #SEGMENT_MS}.
   */
  private void createTopics(String bootstrapServers) throws InterruptedException {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      TopicAdmin topics = new TopicAdmin(admin);
      List<String> names = new ArrayList<>();
      names.addAll(
          topics
              .ensure(TopicNamespace.CONTRACT, Topics.all(), partitions, (short) 1)
              .partitions()
              .keySet());
      names.addAll(
          topics.ensure(RAW_TOPICS, Topics.inputs(), partitions, (short) 1).partitions().keySet());
      Map<ConfigResource, Collection<AlterConfigOp>> changes = new HashMap<>();
      for (String name : names) {
        changes.put(
            new ConfigResource(ConfigResource.Type.TOPIC, name),
            List.of(
                new AlterConfigOp(
                    new ConfigEntry(TopicConfig.SEGMENT_MS_CONFIG, SEGMENT_MS),
                    AlterConfigOp.OpType.SET)));
      }
      admin.incrementalAlterConfigs(changes).all().get(1, TimeUnit.MINUTES);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot configure the benchmark's topics: " + e, e);
    }
  }

  private void printSettings(
      PrintWriter out,
      Workload.Summary history,
      List<Double> steps,
      Map<String, String> streamsOverrides) {
    Runtime runtime = Runtime.getRuntime();
    com.sun.management.OperatingSystemMXBean system =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    out.printf(
        Locale.ROOT,
        "ledger bench: %d events (seed %d), %d partitions, %d affiliates%n",
        history.events(),
        seed,
        partitions,
        affiliates);
    out.printf(
        Locale.ROOT,
        "  machine : %d cores (%s), %.1f GiB of memory, load average %.2f; Java %s, max heap %.0f"
            + " MiB%n",
        runtime.availableProcessors(),
        ProcFs.cpuModel(),
        system.getTotalMemorySize() / (1024.0 * 1024 * 1024),
        system.getSystemLoadAverage(),
        Runtime.version(),
        runtime.maxMemory() / (1024.0 * 1024));
    out.printf(
        Locale.ROOT,
        "  settings: --span %s --tick-every %s --loads %s --latency-duration %s --idle-duration %s"
            + " --timeout %s; Kafka Streams %s%n",
        written(span),
        written(tickEvery),
        steps.stream().map(String::valueOf).collect(Collectors.joining(",")),
        written(latencyDuration),
        written(idleDuration),
        written(timeout),
        streamsOverrides);
    out.println(
        "  workload: "
            + history.counts().entrySet().stream()
                .map(
                    e ->
                        String.format(
                            Locale.ROOT,
                            "%d %s (%.1f%%)",
                            e.getValue(),
                            e.getKey().plural(),
                            100.0 * e.getValue() / history.events()))
                .collect(Collectors.joining(", ")));
    out.printf(
        Locale.ROOT,
        "            %d orders left open; event time %s to %s, %d ticks; %d outputs owed%n",
        history.openOrders(),
        history.firstEvent(),
        history.lastEvent(),
        history.ticks(),
        history.expectations().expected());
  }

  /** {@code duration} as the options are written: {@code 120d}, {@code 1h}, {@code 500ms}. */
  static String written(Duration duration) {
    long millis = duration.toMillis();
    long[] units = {Duration.ofDays(1).toMillis(), 3_600_000, 60_000, 1_000};
    String[] names = {"d", "h", "m", "s"};
    for (int i = 0; i < units.length; i++) {
      if (millis % units[i] == 0) {
        return millis / units[i] + names[i];
      }
    }
    return millis + "ms";
  }
}
