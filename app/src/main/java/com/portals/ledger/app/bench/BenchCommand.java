package com.portals.ledger.app.bench;

import com.portals.ledger.app.bench.BenchWorkload.Kind;
import com.portals.ledger.app.broker.EmbeddedBroker;
import com.portals.ledger.app.cli.Durations;
import com.portals.ledger.app.cli.Settings;
import com.portals.ledger.schemas.serde.LedgerSerdes;
import com.portals.ledger.schemas.serde.WireFormat;
import com.portals.ledger.schemas.topics.TopicAdmin;
import com.portals.ledger.schemas.topics.TopicNamespace;
import com.portals.ledger.schemas.topics.Topics;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 * {@code ledger bench [--events N]} (CONTRACT.md "Command line"): measures, on a Kafka broker of
 * its own and in one run, the raw Kafka produce+consume rate of the benchmark's records and the
 * ledger's end-to-end rate and publish-to-balance latency on the same records.
 *
 * <p>In: the options below. Out: progress and a report on standard output, whose last line is
 * {@code events_per_s=X raw_events_per_s=Y ratio=Z p50_ms=A p99_ms=B} ({@link BenchLine}). Exit
 * status 0; 1 (the report and the line are printed all the same) when the ledger's outputs are not
 * what the workload implies: an order applied without its click, or a rejection. A run that cannot
 * finish (the ledger stops, or nothing expected comes back for {@code --timeout}) ends with an
 * exception naming what is missing, and no such line. Whatever happens, the ledger's topology, the
 * clients and the broker are stopped, and the scratch directory is deleted unless {@code
 * --data-dir} named it.
 *
 * <p>The run:
 *
 * <ol>
 *   <li>A {@link BenchWorkload} of {@code --events} events (seeded, so every run publishes the same
 *       events), cut into batches of {@code --batch-size} events, each followed by a tick one
 *       millisecond after its last event: the tick that releases the batch.
 *   <li>An {@link EmbeddedBroker} in the scratch directory; the ledger's topics with {@code
 *       --partitions} partitions, and a copy of the input topics under the prefix {@code
 *       bench-raw.} for the baseline.
 *   <li>The raw baseline ({@link RawBaseline}): the very records the ledger run will publish (same
 *       bytes, keys, timestamps, ticks to every partition), produced flat out by a plain producer
 *       with the publisher's settings ({@code acks=all}, idempotent) and read back meanwhile by a
 *       plain {@code read_committed} consumer. {@code raw_events_per_s} = events ÷ (last record
 *       read back − first send); the ticks travel too but are not counted, as in the ledger's
 *       figure.
 *   <li>The ledger ({@link LedgerBench}): its topology started as {@code ledger run} starts it (the
 *       time to start is not measured), the same batches and ticks published through {@code
 *       EventPublisher}, the output topics read {@code read_committed}. {@code events_per_s} =
 *       events ÷ (last expected output read − start of the first send), where an event's expected
 *       output is the journal entry it causes (order events), the decision on it (withdrawal
 *       requests) or a rejection naming it; clicks and rates have no output of their own.
 *   <li>Latency ({@code p50_ms}, {@code p99_ms}): publish-to-balance, for every event that moved a
 *       balance: from the start of sending the event's batch to reading the first journal entry the
 *       event caused. It includes the acknowledgement of the batch, the publishing of the tick that
 *       releases it, and every stage of the topology; the balance is written in the same
 *       transaction as the entry. Ticks follow each batch, so the wait for a tick is at most the
 *       time to publish one batch, far shorter than with the live 1 s ticker, where it adds up to a
 *       second.
 * </ol>
 *
 * <p>The ledger's publisher keeps at most {@code --in-flight} batches ahead of what has been read
 * back: it starts batch k only once every expected output of batch k − in-flight has been read.
 * Unbounded, a publisher twenty times faster than the ledger would measure nothing but the length
 * of the queue it builds; bounded, the ledger is kept busy while the latency stays that of a system
 * that keeps up. The report states the batch size and window used; both shape the figures (larger
 * ones raise the rate and, past a point, the latency). Both runs begin with an unmeasured warm-up
 * batch ({@link BenchWorkload#warmUp()}), published and awaited alone.
 *
 * <p>{@code ratio} = events_per_s ÷ raw_events_per_s.
 */
@Command(
    name = "bench",
    description =
        "Measures the ledger's end-to-end rate and publish-to-balance latency next to the raw Kafka"
            + " produce+consume rate of the same records, on an embedded broker of its own.",
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

  /** Prefix of the copy of the input topics the raw baseline writes to. */
  static final TopicNamespace RAW_TOPICS = TopicNamespace.prefixed("bench-raw");

  @Spec CommandSpec spec;

  @Option(
      names = "--events",
      defaultValue = "20000",
      paramLabel = "N",
      description = "Number of events to publish, ticks not counted (default: ${DEFAULT-VALUE}).")
  int events;

  @Option(
      names = "--partitions",
      defaultValue = "6",
      paramLabel = "N",
      description = "Partitions of every topic (default: ${DEFAULT-VALUE}).")
  int partitions;

  @Option(
      names = "--batch-size",
      defaultValue = "500",
      paramLabel = "N",
      description =
          "Events published together, then released by one tick (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(
      names = "--in-flight",
      defaultValue = "4",
      paramLabel = "N",
      description =
          "Batches the publisher may be ahead of what has been read back (default:"
              + " ${DEFAULT-VALUE}).")
  int inFlight;

  @Option(
      names = "--seed",
      defaultValue = "2026",
      paramLabel = "N",
      description = "Seed of the workload (default: ${DEFAULT-VALUE}).")
  long seed;

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
          "Give up when nothing expected has been read back for this long, or the ledger takes"
              + " longer to start (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description =
          "A Kafka Streams or client setting for the ledger under test (e.g."
              + " num.stream.threads=2); repeatable. The ledger's rules stay at their defaults.")
  List<String> overrides = new ArrayList<>();

  /** Everything one run measured, and the line it ended with. */
  record Report(
      BenchWorkload workload, RawBaseline.Result raw, LedgerBench.Result ledger, String line) {}

  private Report report;

  /** What the last {@link #call()} measured, or null. */
  Report report() {
    return report;
  }

  @Override
  public Integer call() throws InterruptedException {
    validate();
    Map<String, String> streamsOverrides = streamsOverrides();
    PrintWriter out = spec.commandLine().getOut();
    BenchWorkload workload = BenchWorkload.generate(events, seed, batchSize);
    int batches = workload.batches().size();
    out.printf(
        Locale.ROOT,
        "ledger bench: %d events (seed %d), %d partitions, %d batches of up to %d events, each"
            + " followed by a tick; at most %d batch(es) in flight%n",
        workload.eventCount(),
        seed,
        partitions,
        batches,
        batchSize,
        inFlight);
    out.println("  workload: " + describe(workload.countsByKind()));
    out.println(
        "  event time: "
            + BenchWorkload.START
            + " to "
            + workload.end()
            + " ("
            + batches
            + " ticks)");
    out.flush();

    LedgerSerdes serdes = LedgerSerdes.singleObject();
    RawBaseline.Result raw;
    LedgerBench.Result ledger;
    try (ScratchDir scratch = ScratchDir.create(dataDir);
        Interruption interruption = new Interruption(scratch)) {
      out.println("Starting a Kafka broker in " + scratch.path() + " ...");
      out.flush();
      try (EmbeddedBroker broker = interruption.watch(EmbeddedBroker.start(scratch.path()))) {
        String bootstrap = broker.bootstrapServers();
        createTopics(bootstrap);
        out.println("Raw Kafka: producing the benchmark's records and reading them back ...");
        out.flush();
        raw = RawBaseline.run(bootstrap, RAW_TOPICS, partitions, workload, serdes, timeout, out);
        out.println("Ledger: starting its topology, then publishing the same events ...");
        out.flush();
        ledger =
            LedgerBench.run(
                bootstrap,
                partitions,
                workload,
                serdes,
                streamsOverrides,
                scratch.path().resolve("streams"),
                inFlight,
                timeout,
                out);
        out.println("Stopping the broker ...");
        out.flush();
      }
      if (scratch.kept()) {
        out.println("The broker's data and the ledger's state stay in " + scratch.path());
      }
    }

    String line =
        BenchLine.format(
            ledger.eventsPerSecond(),
            raw.eventsPerSecond(),
            ledger.latency().p50Ms(),
            ledger.latency().p99Ms());
    report = new Report(workload, raw, ledger, line);
    printResults(out, raw, ledger);
    boolean faithful = ledger.unattributedOrders() == 0 && ledger.rejections().isEmpty();
    if (!faithful) {
      out.printf(
          Locale.ROOT,
          "  WARNING   : the ledger's outputs are not what the workload implies: %d order(s)"
              + " applied without their click (%d event(s) without commission) and rejections %s,"
              + " where there should be none. Every event was acknowledged by the broker before"
              + " the tick after it was sent; these outputs come from events the ledger took"
              + " after that tick (late).%n",
          ledger.unattributedOrders(),
          ledger.eventsWithoutCommission(),
          ledger.rejections());
    }
    out.println(line);
    out.flush();
    return faithful ? 0 : 1;
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
    if (batchSize < 1) {
      throw new IllegalArgumentException("--batch-size must be at least 1, got " + batchSize);
    }
    if (inFlight < 1) {
      throw new IllegalArgumentException("--in-flight must be at least 1, got " + inFlight);
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("--timeout must be positive, got " + timeout);
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
   * The ledger's topics and the baseline's copy of the inputs, as {@code ledger run} creates them,
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

  private static String describe(Map<Kind, Integer> counts) {
    return counts.entrySet().stream()
        .map(e -> e.getValue() + " " + e.getKey().name().toLowerCase(Locale.ROOT).replace('_', ' '))
        .collect(Collectors.joining(", "));
  }

  private void printResults(PrintWriter out, RawBaseline.Result raw, LedgerBench.Result ledger) {
    out.println("Results");
    out.printf(
        Locale.ROOT,
        "  raw Kafka : %d events (%d records with the ticks) produced and read back in %.2f s ="
            + " %.1f events/s%n",
        raw.events(),
        raw.records(),
        raw.elapsedNanos() / 1e9,
        raw.eventsPerSecond());
    out.printf(
        Locale.ROOT,
        "              produce-to-consume latency of %s%n",
        percentiles(raw.latency()));
    out.printf(
        Locale.ROOT,
        "  ledger    : %d events published and their outputs read back in %.2f s = %.1f"
            + " events/s%n",
        ledger.events(),
        ledger.elapsedNanos() / 1e9,
        ledger.eventsPerSecond());
    out.printf(
        Locale.ROOT,
        "              publish-to-balance latency of %s%n",
        percentiles(ledger.latency()));
    out.printf(
        Locale.ROOT,
        "              (from the start of sending an event's batch, the tick that releases it sent"
            + " right after the batch, to reading the journal entry it caused; batches of %d"
            + " events, a tick after each, at most %d in flight)%n",
        batchSize,
        inFlight);
    out.printf(
        Locale.ROOT,
        "  outputs   : %d journal entries (%d caused by benchmark events, the others by balance"
            + " postings and 60-day releases), %d balance updates, withdrawal decisions %s,"
            + " rejections %s%n",
        ledger.journalEntries(),
        ledger.entriesOfEvents(),
        ledger.balanceUpdates(),
        ledger.decisions(),
        ledger.rejections());
    out.printf(
        Locale.ROOT,
        "  accounted : %d of the %d events that must show in the ledger's output did (order"
            + " events and withdrawal requests; %d of them without commission); clicks and rates"
            + " have no output of their own%n",
        ledger.accounted(),
        ledger.expectedOutputs(),
        ledger.eventsWithoutCommission());
  }

  private static String percentiles(LatencySummary latency) {
    return String.format(
        Locale.ROOT,
        "%d events: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms",
        latency.count(),
        latency.p50Ms(),
        latency.p90Ms(),
        latency.p99Ms(),
        latency.maxMs());
  }
}
