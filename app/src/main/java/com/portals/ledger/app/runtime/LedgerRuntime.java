package com.portals.ledger.app.runtime;

import com.portals.ledger.app.broker.EmbeddedBroker;
import com.portals.ledger.app.cli.CommonOptions;
import com.portals.ledger.app.cli.Settings;
import com.portals.ledger.app.sim.TrafficSimulator;
import com.portals.ledger.projections.http.ApiTokens;
import com.portals.ledger.projections.http.Health;
import com.portals.ledger.projections.http.LedgerHttpServer;
import com.portals.ledger.schemas.publish.EventPublisher;
import com.portals.ledger.schemas.serde.LedgerSerdes;
import com.portals.ledger.schemas.topics.TopicAdmin;
import com.portals.ledger.schemas.topics.Topics;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running ledger: the Kafka broker (embedded unless one is given), the topics, the HTTP API and
 * the clock. {@link #start} brings the parts up in order and {@link #close} takes them down in the
 * reverse order, also when start fails half-way.
 */
public final class LedgerRuntime implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LedgerRuntime.class);

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

  private final Options options;
  private final Deque<AutoCloseable> started = new ArrayDeque<>();
  private String bootstrapServers;
  private LedgerHttpServer http;
  private ApiTokens tokens;
  private volatile boolean running;

  private LedgerRuntime(Options options) {
    this.options = options;
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

    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      TopicAdmin.Report report =
          new TopicAdmin(admin).ensure(Topics.all(), options.partitions(), (short) 1);
      if (!report.created().isEmpty()) {
        log.info("created topics {}", report.created());
      }
    }

    tokens = loadTokens(dataDir);
    LedgerSerdes serdes = LedgerSerdes.fromConfig(options.settings().asMap());

    http = LedgerHttpServer.start(options.httpHost(), options.httpPort(), this::health);
    started.push(http);

    if (options.simulate()) {
      EventPublisher publisher = EventPublisher.connect(bootstrapServers, serdes);
      started.push(publisher);
      started.push(
          TrafficSimulator.start(
              publisher, Clock.systemUTC().instant(), options.simulationSpeed(), 2026L));
    } else if (options.clock() == ClockMode.SYSTEM) {
      EventPublisher publisher = EventPublisher.connect(bootstrapServers, serdes);
      started.push(publisher);
      started.push(SystemClockTicker.start(publisher, Clock.systemUTC(), options.tickInterval()));
    }
    running = true;

    out.println("Ledger running.");
    out.println("  Kafka:     " + bootstrapServers);
    out.println("  HTTP API:  http://" + options.httpHost() + ":" + http.port() + "/health");
    out.println("  Data:      " + dataDir.toAbsolutePath().normalize());
    out.println(
        "  Clock:     "
            + (options.simulate()
                ? "simulated, " + options.simulationSpeed() + "x"
                : options.clock() == ClockMode.SYSTEM
                    ? "system, a tick every " + options.tickInterval()
                    : "manual (./ledger tick --at INSTANT)"));
    out.println("Stop with Ctrl-C.");
    out.flush();
  }

  private ApiTokens loadTokens(Path dataDir) {
    if (options.tokensFile() != null) {
      return ApiTokens.read(options.tokensFile());
    }
    Path generated = dataDir.resolve("api-tokens");
    if (Files.isRegularFile(generated)) {
      return ApiTokens.read(generated);
    }
    return ApiTokens.generate(generated);
  }

  /** What {@code GET /health} reports. */
  Health health() {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("kafka", bootstrapServers);
    details.put(
        "clock",
        options.simulate() ? "simulated" : options.clock().name().toLowerCase(Locale.ROOT));
    return new Health(running, details);
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  public int httpPort() {
    return http.port();
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
