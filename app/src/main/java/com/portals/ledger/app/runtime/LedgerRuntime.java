package com.portals.ledger.app.runtime;

import com.portals.ledger.app.broker.EmbeddedBroker;
import com.portals.ledger.app.cli.CommonOptions;
import com.portals.ledger.app.cli.Durations;
import com.portals.ledger.app.cli.Settings;
import com.portals.ledger.app.sim.SimulationSummary;
import com.portals.ledger.app.sim.TrafficSimulator;
import com.portals.ledger.domain.rules.LedgerRules;
import com.portals.ledger.projections.http.ApiTokens;
import com.portals.ledger.projections.http.ClockPolicy;
import com.portals.ledger.projections.http.Health;
import com.portals.ledger.projections.http.LedgerApi;
import com.portals.ledger.projections.http.LedgerHttpServer;
import com.portals.ledger.projections.payout.Debtor;
import com.portals.ledger.projections.payout.PayoutDesk;
import com.portals.ledger.projections.query.QueryRouter;
import com.portals.ledger.projections.query.ReadModel;
import com.portals.ledger.projections.store.ProjectionTopology;
import com.portals.ledger.schemas.clients.KafkaClients;
import com.portals.ledger.schemas.publish.EventPublisher;
import com.portals.ledger.schemas.publish.GroupPublisher;
import com.portals.ledger.schemas.serde.LedgerSerdes;
import com.portals.ledger.schemas.serde.WireFormat;
import com.portals.ledger.schemas.topics.Replication;
import com.portals.ledger.schemas.topics.TopicAdmin;
import com.portals.ledger.schemas.topics.TopicNamespace;
import com.portals.ledger.schemas.topics.Topics;
import com.portals.ledger.streams.LedgerStreams;
import com.portals.ledger.streams.LedgerTopology;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running ledger: the Kafka broker (embedded unless one is given), the topics, the HTTP API and
 * the clock. {@link #start} brings the parts up in order and {@link #close} takes them down in the
 * reverse order, also when start fails half-way.
 */
public final class LedgerRuntime implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LedgerRuntime.class);

  /** How often {@code --simulate} prints its summary line. */
  private static final Duration SIMULATION_SUMMARY_EVERY = Duration.ofSeconds(10);

  /** Where "now" comes from. */
  public enum ClockMode {
    /** A tick with the wall-clock time every tick interval. */
    SYSTEM,
    /** No ticks but those published by hand ({@code ledger tick}). */
    MANUAL
  }

  /** Everything {@code ledger run} was told. */
  public record Options(
      Path dataDir,
      String bootstrapServers,
      String httpHost,
      int httpPort,
      Path tokensFile,
      ClockMode clock,
      Duration tickInterval,
      boolean simulate,
      long simulationSpeed,
      int partitions,
      Settings settings) {
    public Options {
      Objects.requireNonNull(dataDir, "dataDir");
      Objects.requireNonNull(clock, "clock");
      Objects.requireNonNull(settings, "settings");
    }
  }

  /** Setting naming the Kafka Streams application (consumer group, internal topic prefix). */
  public static final String APPLICATION_ID = "ledger.application-id";

  /**
   * {@code true}: every HTTP request answered goes to the access log (logger {@value
   * #ACCESS_LOGGER}).
   */
  public static final String ACCESS_LOG = "ledger.http.access-log";

  public static final String ACCESS_LOGGER = "com.portals.ledger.access";

  public static final String DEFAULT_APPLICATION_ID = "portals-ledger";

  /**
   * Setting: the host other instances reach this one's HTTP API at (interactive queries are
   * forwarded there). Default: the --http-host, or 127.0.0.1 when that is a wildcard.
   */
  public static final String ADVERTISED_HOST = "ledger.http.advertised-host";

  /**
   * Setting: with {@code --clock system}, the longest time without a tick (a heartbeat when nothing
   * arrives), so that scheduled actions still happen in a quiet ledger.
   */
  public static final String CLOCK_IDLE_INTERVAL = "ledger.clock.idle-interval";

  public static final String DEFAULT_CLOCK_IDLE_INTERVAL = "10m";

  /**
   * Setting: with {@code --clock system}, how far ahead of this machine's clock a tick posted to
   * {@code POST /events} may be; a tick beyond is refused there (TICK_AHEAD_OF_CLOCK).
   */
  public static final String CLOCK_MAX_AHEAD = "ledger.clock.max-ahead";

  public static final String DEFAULT_CLOCK_MAX_AHEAD = "5m";

  /**
   * Setting: whether a {@code --tokens} file that group or others may read is refused at start
   * (default true). Only for mounts that cannot be made owner-only, such as a container's secret.
   */
  public static final String TOKENS_OWNER_ONLY = "ledger.tokens.owner-only";

  /**
   * Settings: the programme's own bank account, which payout batches' bank files (pain.001) pay
   * from. Without them a batch can still be made, its bank file is refused.
   */
  public static final String PAYOUT_DEBTOR_NAME = "ledger.payout.debtor-name";

  public static final String PAYOUT_DEBTOR_IBAN = "ledger.payout.debtor-iban";
  public static final String PAYOUT_DEBTOR_BIC = "ledger.payout.debtor-bic";

  private final Options options;
  private final Duration clockIdleInterval;
  private final ClockPolicy clockPolicy;
  private final Deque<AutoCloseable> started = new ArrayDeque<>();
  private String bootstrapServers;

  private Replication replication = Replication.SINGLE;
  private LedgerHttpServer http;
  private LedgerStreams streams;
  private LedgerStreams projections;
  private LedgerApi api;
  private ApiTokens tokens;
  private volatile boolean running;

  private LedgerRuntime(Options options) {
    this.options = options;
    this.clockIdleInterval =
        positiveDuration(options.settings(), CLOCK_IDLE_INTERVAL, DEFAULT_CLOCK_IDLE_INTERVAL);
    this.clockPolicy = clockPolicy(options);
  }

  /** The programme's bank account from the settings, or null if its name or IBAN is not set. */
  private Debtor debtor() {
    String name = options.settings().get(PAYOUT_DEBTOR_NAME, "");
    String iban = options.settings().get(PAYOUT_DEBTOR_IBAN, "");
    String bic = options.settings().get(PAYOUT_DEBTOR_BIC, "");
    if (name.isBlank() || iban.isBlank()) {
      return null;
    }
    return new Debtor(name.strip(), iban, bic.isBlank() ? null : bic);
  }

  /** Starts every part; on failure, stops what had started and rethrows. */
  public static LedgerRuntime start(Options options, PrintWriter out) throws Exception {
    LedgerRuntime runtime = new LedgerRuntime(options);
    try {
      runtime.startParts(out);
      return runtime;
    } catch (Exception | Error e) {
      runtime.close();
      throw e;
    }
  }

  private void startParts(PrintWriter out) throws Exception {
    Path dataDir = options.dataDir();
    started.push(DataDirLock.acquire(dataDir));
    // Before anything starts: a tokens file to refuse should not cost a broker start.
    tokens = loadTokens(dataDir);
    Path bootstrapFile = dataDir.resolve(CommonOptions.BOOTSTRAP_FILE);

    if (options.bootstrapServers() == null) {
      out.println("Starting the embedded Kafka broker in " + dataDir.resolve("broker") + " ...");
      out.flush();
      EmbeddedBroker broker = EmbeddedBroker.start(dataDir);
      started.push(broker);
      bootstrapServers = broker.bootstrapServers();
    } else {
      bootstrapServers = options.bootstrapServers();
      Files.writeString(bootstrapFile, bootstrapServers + "\n", StandardCharsets.UTF_8);
      started.push(() -> Files.deleteIfExists(bootstrapFile));
    }

    // Partition count of the input topics: they are all alike (TopicAdmin checked it).
    int partitions;
    try (Admin admin = Admin.create(clients().admin(Map.of()))) {
      TopicAdmin topics = new TopicAdmin(admin);
      replication = topics.replication(options.settings().asMap());
      log.info("topics the ledger creates: {}", replication);
      TopicAdmin.Report report =
          topics.ensure(TopicNamespace.CONTRACT, Topics.all(), options.partitions(), replication);
      if (!report.created().isEmpty()) {
        log.info("created topics {}", report.created());
      }
      partitions = report.partitions().get(Topics.CLOCK.name());
    }

    LedgerSerdes serdes = LedgerSerdes.fromConfig(options.settings().asMap());
    LedgerRules rules = LedgerRules.from(options.settings().asMap(), Durations::parse);

    String applicationId = options.settings().get(APPLICATION_ID, DEFAULT_APPLICATION_ID);

    // The API first: the read side must advertise the port it actually listens on.
    api = new LedgerApi(tokens, this::health, clockPolicy);
    http =
        LedgerHttpServer.start(
            options.httpHost(),
            options.httpPort(),
            api,
            options.settings().get(ACCESS_LOG, "false").strip().equalsIgnoreCase("true")
                ? LoggerFactory.getLogger(ACCESS_LOGGER)::info
                : null);
    started.push(http);
    started.push(api::detach);

    streams =
        LedgerStreams.startLedger(
            new LedgerTopology.Config(
                TopicNamespace.CONTRACT,
                TopicNamespace.CONTRACT,
                partitions,
                rules,
                serdes,
                applicationId),
            LedgerStreams.config(
                applicationId,
                bootstrapServers,
                dataDir.resolve("streams"),
                withReplication(streamsOverrides(dataDir, "ledger-", options.settings()))));
    started.push(streams);

    HostInfo self =
        new HostInfo(
            options.settings().get(ADVERTISED_HOST, advertisedHostDefault(options.httpHost())),
            http.port());
    Map<String, String> projectionOverrides =
        withReplication(streamsOverrides(dataDir, "projections-", options.settings()));
    projectionOverrides.put(
        StreamsConfig.APPLICATION_SERVER_CONFIG, self.host() + ":" + self.port());
    // The read side re-keys orders and clicks through repartition topics, each hop a commit
    // away: it keeps the short interval (the write side's 250 ms comes with commits at once when
    // live, which the read side has not).
    projectionOverrides.putIfAbsent(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100");
    // It commits on that interval only, in a loop turn after the one that processed: a turn that
    // waited in poll for a second would hold its outputs back as long.
    projectionOverrides.putIfAbsent(StreamsConfig.POLL_MS_CONFIG, "100");
    projections =
        LedgerStreams.start(
            ProjectionTopology.build(
                new ProjectionTopology.Config(TopicNamespace.CONTRACT, partitions, serdes)),
            LedgerStreams.config(
                applicationId + "-projections",
                bootstrapServers,
                dataDir.resolve("projections"),
                projectionOverrides));
    started.push(projections);
    EventPublisher ingest = EventPublisher.connect(clients(), serdes);
    started.push(ingest);
    ReadModel reads = new ReadModel(projections.kafkaStreams(), rules.calendar());
    GroupPublisher payoutPublisher =
        GroupPublisher.connect(clients(), serdes, TopicNamespace.CONTRACT);
    started.push(payoutPublisher);
    api.attach(
        new LedgerApi.Backend(
            reads,
            new QueryRouter(projections.kafkaStreams(), self),
            ingest,
            new PayoutDesk(payoutPublisher::publish, debtor())));
    LedgerMetrics metrics =
        new LedgerMetrics(
            clients(),
            Map.of("write", applicationId, "read", applicationId + "-projections"),
            () -> reads,
            Clock.systemUTC());
    started.push(metrics);
    metrics.bind("write", streams.kafkaStreams());
    metrics.bind("read", projections.kafkaStreams());
    api.metrics(metrics::scrape);

    if (options.simulate()) {
      EventPublisher publisher = EventPublisher.connect(clients(), serdes);
      started.push(publisher);
      TrafficSimulator simulator =
          TrafficSimulator.start(
              publisher,
              clients(),
              Clock.systemUTC().instant(),
              options.simulationSpeed(),
              2026L,
              rules.withdrawalMinimum().cents(),
              rules.withdrawalFee().cents());
      started.push(simulator);
      started.push(
          PeriodicTask.start(
              "ledger-simulation-summary",
              SIMULATION_SUMMARY_EVERY,
              SIMULATION_SUMMARY_EVERY,
              () -> printSummary(out, reads, simulator)));
    } else if (options.clock() == ClockMode.SYSTEM) {
      EventPublisher publisher = EventPublisher.connect(clients(), serdes);
      started.push(publisher);
      started.push(
          SystemClockTicker.start(
              publisher, Clock.systemUTC(), options.tickInterval(), clockIdleInterval));
    }
    running = true;

    out.println("Ledger running.");
    out.println("  Kafka:     " + bootstrapServers);
    String site = "http://" + options.httpHost() + ":" + http.port();
    out.println("  HTTP API:  " + site + "/health");
    out.println("  Dashboard: " + dashboard(site));
    out.println("  Data:      " + dataDir.toAbsolutePath().normalize());
    out.println(
        "  Clock:     "
            + (options.simulate()
                ? "simulated, " + options.simulationSpeed() + "x"
                : options.clock() == ClockMode.SYSTEM
                    ? "system, a tick within "
                        + Durations.format(options.tickInterval())
                        + " of new input, at least every "
                        + Durations.format(clockIdleInterval)
                    : "manual (./ledger tick --at INSTANT)"));
    if (options.simulate()) {
      out.println(
          "  Simulated: affiliates sim-aff-1 to sim-aff-"
              + TrafficSimulator.AFFILIATES
              + "; a summary every "
              + Durations.format(SIMULATION_SUMMARY_EVERY)
              + " below");
    }
    out.println("Stop with Ctrl-C.");
    out.flush();
  }

  /**
   * Where the dashboard is. A simulation's link carries a finance token in its fragment (which the
   * browser keeps to itself: the page takes it and drops it from the address); otherwise the line
   * says which file holds the tokens to sign in with.
   */
  private String dashboard(String site) {
    Path file =
        options.tokensFile() != null
            ? options.tokensFile()
            : options.dataDir().resolve("api-tokens");
    if (options.simulate()) {
      Optional<String> finance = tokens.anyTokenOf(ApiTokens.Role.FINANCE);
      if (finance.isPresent()) {
        return site + "/#token=" + finance.get();
      }
    }
    return site
        + "/ (sign in with a finance or affiliate token from "
        + file.toAbsolutePath().normalize()
        + ")";
  }

  /** With {@code --simulate}: the simulation's summary line, unless the read side is moving. */
  private static void printSummary(PrintWriter out, ReadModel reads, TrafficSimulator simulator) {
    try {
      out.println(SimulationSummary.line(reads.now(), simulator.published(), reads.localSummary()));
      out.flush();
    } catch (RuntimeException e) {
      log.debug("no simulation summary this time: {}", e.toString());
    }
  }

  private static Duration positiveDuration(Settings settings, String key, String defaultValue) {
    Duration interval;
    try {
      interval = Durations.parse(settings.get(key, defaultValue));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
    }
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException(
          key + " must be positive, got " + Durations.format(interval));
    }
    return interval;
  }

  /** What POST /events lets through of ticks: bounded by this machine's clock when it drives. */
  private static ClockPolicy clockPolicy(Options options) {
    if (options.simulate()) {
      return ClockPolicy.unbounded(ClockPolicy.Mode.SIMULATED);
    }
    if (options.clock() == ClockMode.MANUAL) {
      return ClockPolicy.unbounded(ClockPolicy.Mode.MANUAL);
    }
    return ClockPolicy.system(
        Clock.systemUTC(),
        positiveDuration(options.settings(), CLOCK_MAX_AHEAD, DEFAULT_CLOCK_MAX_AHEAD));
  }

  private static String advertisedHostDefault(String httpHost) {
    return httpHost.equals("0.0.0.0") || httpHost.equals("::") ? "127.0.0.1" : httpHost;
  }

  /** {@code overrides} with the replication of the ledger's topics, unless they set their own. */
  private Map<String, String> withReplication(Map<String, String> overrides) {
    LedgerStreams.replicationConfig(replication).forEach(overrides::putIfAbsent);
    return overrides;
  }

  /**
   * Kafka Streams settings: static group membership under this data directory's own instance id, so
   * that a restart after a crash takes its partitions back at once instead of waiting for the dead
   * member's session to time out; then every setting that is not the ledger's own, as is.
   */
  static Map<String, String> streamsOverrides(Path dataDir, String member, Settings settings)
      throws IOException {
    Map<String, String> overrides = new TreeMap<>();
    overrides.put(
        StreamsConfig.mainConsumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG),
        member + instanceId(dataDir));
    overrides.putAll(streamsSettings(settings.asMap()));
    return overrides;
  }

  /**
   * Of the ledger's settings, those for Kafka Streams and its clients (security, timeouts, Streams'
   * own keys): every one that is not the ledger's own, as is.
   */
  public static Map<String, String> streamsSettings(Map<String, String> settings) {
    Map<String, String> streams = new TreeMap<>();
    settings.forEach(
        (key, value) -> {
          boolean ledgerOwn =
              key.startsWith("ledger.") && !key.equals(LedgerStreams.HELD_IN_MEMORY_CONFIG);
          if (!ledgerOwn && !key.equals(WireFormat.REGISTRY_URL_CONFIG)) {
            streams.put(key, value);
          }
        });
    return streams;
  }

  /**
   * A random id generated at the first start with this data directory, kept in {@code instance-id}.
   */
  static String instanceId(Path dataDir) throws IOException {
    Path file = dataDir.resolve("instance-id");
    if (Files.isRegularFile(file)) {
      String id = Files.readString(file, StandardCharsets.UTF_8).strip();
      if (!id.isEmpty()) {
        return id;
      }
    }
    String id = UUID.randomUUID().toString();
    Files.writeString(file, id + "\n", StandardCharsets.UTF_8);
    return id;
  }

  private ApiTokens loadTokens(Path dataDir) {
    if (options.tokensFile() != null) {
      return ApiTokens.read(
          options.tokensFile(),
          // Anything but an explicit "false" keeps the check.
          !options.settings().get(TOKENS_OWNER_ONLY, "true").strip().equalsIgnoreCase("false"));
    }
    Path generated = dataDir.resolve("api-tokens");
    if (Files.isRegularFile(generated)) {
      return ApiTokens.read(generated);
    }
    return ApiTokens.generate(generated);
  }

  /**
   * What {@code GET /health} and {@code GET /health/ready} report: ready only while both Kafka
   * Streams clients are RUNNING (a rebalancing read side answers queries 503, a stopped one not at
   * all) and the API is attached to them.
   */
  Health health() {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("kafka", bootstrapServers);
    details.put("streams", streams == null ? "NOT_STARTED" : streams.state().name());
    details.put("projections", projections == null ? "NOT_STARTED" : projections.state().name());
    details.put(
        "clock",
        options.simulate() ? "simulated" : options.clock().name().toLowerCase(Locale.ROOT));
    List<String> notReady = new ArrayList<>();
    if (!running) {
      notReady.add("the ledger is starting or stopping");
    }
    notRunning("streams (the write side)", streams).ifPresent(notReady::add);
    notRunning("projections (the read side)", projections).ifPresent(notReady::add);
    return new Health(notReady.isEmpty(), details, notReady);
  }

  private static Optional<String> notRunning(String name, LedgerStreams client) {
    if (client == null) {
      return Optional.of(name + " not started");
    }
    KafkaStreams.State state = client.state();
    if (state == KafkaStreams.State.RUNNING) {
      return Optional.empty();
    }
    return Optional.of(
        name
            + " is "
            + state
            + ", not RUNNING"
            + (client.failure() == null ? "" : " (stopped by a failure: see the log)"));
  }

  /**
   * Completes with the exception that stopped the write side or the read side: a bug, not bad input
   * (bad input is rejected record by record). {@code run} then stops and exits non-zero, so that a
   * supervisor restarts it and the operator sees why.
   */
  public CompletableFuture<Throwable> failure() {
    return CompletableFuture.anyOf(streams.failed(), projections.failed())
        .thenApply(Throwable.class::cast);
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** The Kafka clients of the runtime: its broker, with the settings' client settings. */
  private KafkaClients clients() {
    return new KafkaClients(bootstrapServers, options.settings().asMap());
  }

  public int httpPort() {
    return http.port();
  }

  public LedgerStreams streams() {
    return streams;
  }

  /** The read side's Kafka Streams client (query stores, their metadata). */
  public LedgerStreams projections() {
    return projections;
  }

  public ApiTokens tokens() {
    return tokens;
  }

  /**
   * Stops every part, newest first, and keeps going past a part that fails to stop (it is logged):
   * the broker must stop even if the HTTP server did not.
   */
  @Override
  public synchronized void close() {
    running = false;
    while (!started.isEmpty()) {
      AutoCloseable part = started.pop();
      try {
        part.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        log.warn("interrupted stopping {}", part);
      } catch (Exception e) {
        log.warn("stopping {} failed: {}", part, e.toString());
      }
    }
  }
}
