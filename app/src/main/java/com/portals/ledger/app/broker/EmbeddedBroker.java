package com.portals.ledger.app.broker;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Apache Kafka broker that {@code ./ledger run} starts when no {@code --bootstrap-servers} is
 * given: a single KRaft node (broker and controller in one) in a child JVM, listening on free
 * loopback ports chosen at each start, with its data under a data directory so that it survives
 * restarts.
 *
 * <pre>{@code
 * try (EmbeddedBroker broker = EmbeddedBroker.start(dataDir, Duration.ofMinutes(2))) {
 *   String bootstrapServers = broker.bootstrapServers(); // "127.0.0.1:PORT"
 *   ...
 * }
 * }</pre>
 *
 * <p>In: a data directory (created if missing). Out: the address of a broker that answers, also
 * written to {@code <data-dir>/bootstrap-servers} once the broker is ready (so that {@code ./ledger
 * publish} and {@code tick} find it) and deleted when the broker stops. Everything else lives under
 * {@code <data-dir>/broker/}; see {@link BrokerLayout}. The broker's logs go to {@code
 * <data-dir>/broker/logs/server.log}, never to this process's console.
 *
 * <p>Lifetime: the broker never outlives the JVM that started it. It reads its standard input, a
 * pipe held by this object, and exits when the pipe closes, which the operating system does even if
 * this JVM is killed with {@code kill -9}. A start after such a crash stops any broker still
 * running on the same data directory (recognised by its command line, not only its pid) before
 * launching a new one. Two live owners of one data directory are refused: the owner holds a file
 * lock.
 *
 * <p>{@link #close()} may be called from any thread, more than once.
 */
public final class EmbeddedBroker implements AutoCloseable {

  /** How long {@link #start(Path)} waits for the broker to answer. */
  public static final Duration DEFAULT_READY_TIMEOUT = Duration.ofMinutes(2);

  /** How long a broker gets to stop cleanly before it is killed. */
  static final Duration STOP_GRACE = Duration.ofSeconds(30);

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBroker.class);
  private static final String LOG4J_RESOURCE = "/broker-log4j2.xml";
  private static final int LOG_TAIL_LINES = 20;
  private static final int LOG_ERROR_LINES = 10;
  private static final Duration POLL_INTERVAL = Duration.ofMillis(100);
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

  private final BrokerLayout layout;
  private final Process process;
  private final FileChannel ownership;
  private final String bootstrapServers;
  private final String clusterId;
  private boolean closed;

  private EmbeddedBroker(
      BrokerLayout layout,
      Process process,
      FileChannel ownership,
      String bootstrapServers,
      String clusterId) {
    this.layout = layout;
    this.process = process;
    this.ownership = ownership;
    this.bootstrapServers = bootstrapServers;
    this.clusterId = clusterId;
  }

  /** {@link #start(Path, Duration)} with {@link #DEFAULT_READY_TIMEOUT}. */
  public static EmbeddedBroker start(Path dataDir) {
    return start(dataDir, DEFAULT_READY_TIMEOUT);
  }

  /**
   * Starts the broker on {@code dataDir} and returns once it answers requests.
   *
   * <p>The storage is formatted on the first start only. A broker left running on {@code dataDir}
   * by a crashed run is stopped first.
   *
   * @param dataDir the data directory, created if missing
   * @param readyTimeout how long to wait for the broker to answer (for each of at most two
   *     attempts: if the broker cannot bind a port that was free a moment earlier, it is started
   *     again on other ports)
   * @return the running broker; close it to stop the broker
   * @throws EmbeddedBrokerException if another live run owns {@code dataDir}, or if the broker
   *     exits or does not answer in time; the message then ends with the broker's last log lines
   */
  public static EmbeddedBroker start(Path dataDir, Duration readyTimeout) {
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(readyTimeout, "readyTimeout");
    BrokerLayout layout;
    try {
      layout = BrokerLayout.create(dataDir);
    } catch (IOException e) {
      throw new EmbeddedBrokerException("Cannot create the data directory " + dataDir, e);
    }
    FileChannel ownership = takeOwnership(layout);
    boolean started = false;
    try {
      EmbeddedBroker broker = launch(layout, ownership, readyTimeout);
      started = true;
      return broker;
    } catch (IOException e) {
      throw new EmbeddedBrokerException(
          "Cannot start the Kafka broker in " + layout.dataDir() + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EmbeddedBrokerException("Interrupted while starting the Kafka broker", e);
    } finally {
      if (!started) {
        closeQuietly(ownership);
      }
    }
  }

  /** The address of the broker for clients, {@code 127.0.0.1:PORT}. */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** The id of the Kafka cluster, the same at every start on the same data directory. */
  public String clusterId() {
    return clusterId;
  }

  /** Whether the broker process is still running. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** The pid of the broker process. */
  public long pid() {
    return process.pid();
  }

  /**
   * Stops the broker and waits for it to exit: it gets {@link #STOP_GRACE} to shut down cleanly
   * (end of its standard input), then it is killed. Deletes {@code <data-dir>/bootstrap-servers}
   * first, so that no client is sent to a broker on its way out.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      deleteQuietly(layout.bootstrapServersFile());
      stopChild(process);
      deletePidFileOf(layout, process.pid());
    } finally {
      closeQuietly(ownership);
    }
  }

  private static EmbeddedBroker launch(
      BrokerLayout layout, FileChannel ownership, Duration readyTimeout)
      throws IOException, InterruptedException {
    Files.deleteIfExists(layout.bootstrapServersFile());
    stopLeftoverBrokers(layout);
    String clusterId = prepareClusterId(layout);
    for (int attempt = 1; ; attempt++) {
      BrokerPorts ports = BrokerPorts.pickFree();
      ProcessBuilder builder = prepareChild(layout, ports);
      long serverLogStart = sizeOf(layout.serverLog());
      long stdoutLogStart = sizeOf(layout.stdoutLog());
      Process process = builder.start();
      boolean ready = false;
      try {
        writeAtomically(layout.pidFile(), process.pid() + "\n");
        Readiness readiness = awaitReady(process, ports, Instant.now().plus(readyTimeout));
        if (readiness == Readiness.READY) {
          writeAtomically(layout.bootstrapServersFile(), ports.bootstrapServers() + "\n");
          ready = true;
          LOG.info(
              "Kafka broker ready at {} (pid {}, data in {})",
              ports.bootstrapServers(),
              process.pid(),
              layout.dataDir());
          return new EmbeddedBroker(
              layout, process, ownership, ports.bootstrapServers(), clusterId);
        }
        String logs =
            tail(layout.serverLog(), serverLogStart) + tail(layout.stdoutLog(), stdoutLogStart);
        if (readiness == Readiness.EXITED && attempt == 1 && isBindFailure(logs)) {
          LOG.warn(
              "Port {} or {} was taken meanwhile; retrying", ports.broker(), ports.controller());
          continue;
        }
        throw new EmbeddedBrokerException(
            (readiness == Readiness.EXITED
                    ? "The Kafka broker exited with status "
                        + process.waitFor()
                        + " before it was ready."
                    : "The Kafka broker did not answer at "
                        + ports.bootstrapServers()
                        + " within "
                        + readyTimeout
                        + ".")
                + " Its logs are in "
                + layout.logs()
                + logs);
      } finally {
        if (!ready) {
          stopChild(process);
          deletePidFileOf(layout, process.pid());
        }
      }
    }
  }

  /**
   * Writes server.properties and the logging configuration for a broker on {@code ports}, and
   * returns the command that starts it: output appended to {@code logs/stdout.log}, standard input
   * a pipe to keep open for as long as the broker should run. The cluster id must be prepared.
   */
  static ProcessBuilder prepareChild(BrokerLayout layout, BrokerPorts ports) throws IOException {
    writeAtomically(
        layout.serverProperties(),
        BrokerConfig.render(BrokerConfig.settings(layout.kraftLogs(), ports)));
    try (InputStream config = EmbeddedBroker.class.getResourceAsStream(LOG4J_RESOURCE)) {
      if (config == null) {
        throw new IOException("resource " + LOG4J_RESOURCE + " missing from the classpath");
      }
      writeAtomically(
          layout.log4jConfig(), new String(config.readAllBytes(), StandardCharsets.UTF_8));
    }
    ProcessBuilder builder =
        new ProcessBuilder(childCommand(layout))
            .directory(layout.brokerDir().toFile())
            .redirectInput(ProcessBuilder.Redirect.PIPE)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(layout.stdoutLog().toFile()));
    // The class path goes through the environment, not -cp: on Linux, ProcessHandle.Info reads only
    // the first 4096 bytes of a command line, and a class path of a hundred jars would push the
    // server.properties argument that identifies this broker out of sight of a later run.
    builder
        .environment()
        .put("CLASSPATH", absoluteClassPath(System.getProperty("java.class.path")));
    return builder;
  }

  /**
   * The class path with every entry made absolute: the child runs in the broker's directory, where
   * a relative entry ({@code app/target/lib/*}) would point nowhere.
   */
  static String absoluteClassPath(String classPath) {
    List<String> entries = new ArrayList<>();
    for (String entry : classPath.split(File.pathSeparator)) {
      if (entry.isEmpty()) {
        continue;
      }
      boolean wildcard = entry.endsWith("*");
      String path = wildcard ? entry.substring(0, entry.length() - 1) : entry;
      String absolute = Path.of(path.isEmpty() ? "." : path).toAbsolutePath().toString();
      if (wildcard) {
        absolute =
            absolute.endsWith(File.separator) ? absolute + "*" : absolute + File.separator + "*";
      }
      entries.add(absolute);
    }
    return String.join(File.pathSeparator, entries);
  }

  /**
   * The command line of the broker child, without its class path (see {@link #prepareChild});
   * {@link BrokerProcesses} recognises it later.
   */
  static List<String> childCommand(BrokerLayout layout) {
    List<String> command = new ArrayList<>();
    command.add(javaExecutable().toString());
    command.add("-Xmx512m");
    command.add("-XX:+ExitOnOutOfMemoryError");
    command.addAll(JvmOptions.BROKER.resolve(System.getenv(JvmOptions.BROKER_ENV)));
    command.add("-Djava.awt.headless=true");
    command.add("-Dlog4j2.configurationFile=" + layout.log4jConfig());
    command.add("-Dledger.broker.log.dir=" + layout.logs());
    command.add(BrokerMain.class.getName());
    command.add(layout.serverProperties().toString());
    return command;
  }

  private static Path javaExecutable() {
    Path bin = Path.of(System.getProperty("java.home"), "bin");
    Path java = bin.resolve("java");
    return Files.isExecutable(java) ? java : bin.resolve("java.exe");
  }

  /**
   * The cluster id of {@code layout}: the one in the formatted storage if there is one, else the
   * one generated earlier, else a new one; {@code cluster-id} is written to match.
   */
  static String prepareClusterId(BrokerLayout layout) throws IOException {
    Optional<String> formatted = readClusterIdOfStorage(layout.metaProperties());
    Optional<String> recorded =
        Files.exists(layout.clusterIdFile())
            ? Optional.of(Files.readString(layout.clusterIdFile(), StandardCharsets.UTF_8).strip())
                .filter(id -> !id.isEmpty())
            : Optional.empty();
    String clusterId = formatted.or(() -> recorded).orElseGet(() -> Uuid.randomUuid().toString());
    if (!recorded.equals(Optional.of(clusterId))) {
      writeAtomically(layout.clusterIdFile(), clusterId + "\n");
    }
    return clusterId;
  }

  private static Optional<String> readClusterIdOfStorage(Path metaProperties) throws IOException {
    if (!Files.exists(metaProperties)) {
      return Optional.empty();
    }
    Properties meta = new Properties();
    try (Reader reader = Files.newBufferedReader(metaProperties, StandardCharsets.UTF_8)) {
      meta.load(reader);
    }
    return Optional.ofNullable(meta.getProperty("cluster.id")).map(String::strip);
  }

  private enum Readiness {
    READY,
    EXITED,
    TIMED_OUT
  }

  private static Readiness awaitReady(Process process, BrokerPorts ports, Instant deadline)
      throws InterruptedException {
    // A plain TCP connect first: an Admin polling a port nobody listens on yet would fill the
    // parent's log with connection warnings.
    while (!acceptsConnections(ports.broker())) {
      if (!process.isAlive()) {
        return Readiness.EXITED;
      }
      if (Instant.now().isAfter(deadline)) {
        return Readiness.TIMED_OUT;
      }
      Thread.sleep(POLL_INTERVAL.toMillis());
    }
    try (Admin admin = Admin.create(probeConfig(ports))) {
      while (true) {
        if (!process.isAlive()) {
          return Readiness.EXITED;
        }
        long remaining = Duration.between(Instant.now(), deadline).toMillis();
        if (remaining <= 0) {
          return Readiness.TIMED_OUT;
        }
        DescribeClusterOptions options =
            new DescribeClusterOptions()
                .timeoutMs((int) Math.min(PROBE_TIMEOUT.toMillis(), remaining));
        try {
          // The broker lists itself once it has registered with the controller and is unfenced,
          // that is, once it accepts topic creation and produce requests.
          Collection<Node> nodes = admin.describeCluster(options).nodes().get();
          if (!nodes.isEmpty()) {
            return Readiness.READY;
          }
        } catch (ExecutionException notYet) {
          LOG.debug("Kafka broker at {} not ready yet: {}", ports.bootstrapServers(), notYet);
        }
        Thread.sleep(POLL_INTERVAL.toMillis());
      }
    }
  }

  private static Map<String, Object> probeConfig(BrokerPorts ports) {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, ports.bootstrapServers());
    config.put(AdminClientConfig.CLIENT_ID_CONFIG, "ledger-embedded-broker-probe");
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) PROBE_TIMEOUT.toMillis());
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) PROBE_TIMEOUT.toMillis());
    config.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500);
    config.put(AdminClientConfig.RETRY_BACKOFF_MS_CONFIG, POLL_INTERVAL.toMillis());
    return config;
  }

  private static boolean acceptsConnections(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(BrokerPorts.loopback(), port), 500);
      return true;
    } catch (IOException notYet) {
      return false;
    }
  }

  private static boolean isBindFailure(String logs) {
    return logs.contains("BindException") || logs.contains("Address already in use");
  }

  /**
   * Stops every broker still running on {@code layout}'s data directory: the one named by the pid
   * file, and any other whose command line names this data directory (a crash may come between
   * starting a broker and writing its pid).
   */
  private static void stopLeftoverBrokers(BrokerLayout layout)
      throws IOException, InterruptedException {
    Path serverProperties = layout.serverProperties();
    Map<Long, ProcessHandle> leftovers = new LinkedHashMap<>();
    OptionalLong recorded = readPidFile(layout.pidFile());
    if (recorded.isPresent()) {
      ProcessHandle.of(recorded.getAsLong())
          .filter(process -> BrokerProcesses.isBrokerOf(process, serverProperties))
          .ifPresent(process -> leftovers.put(process.pid(), process));
    }
    long self = ProcessHandle.current().pid();
    try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
      all.filter(process -> process.pid() != self)
          .filter(process -> BrokerProcesses.isBrokerOf(process, serverProperties))
          .forEach(process -> leftovers.putIfAbsent(process.pid(), process));
    }
    for (ProcessHandle leftover : leftovers.values()) {
      LOG.warn(
          "Stopping the Kafka broker (pid {}) left running on {} by a previous run",
          leftover.pid(),
          layout.dataDir());
      BrokerProcesses.terminate(leftover, STOP_GRACE);
    }
    Files.deleteIfExists(layout.pidFile());
  }

  private static OptionalLong readPidFile(Path pidFile) throws IOException {
    if (!Files.exists(pidFile)) {
      return OptionalLong.empty();
    }
    return BrokerProcesses.parsePid(Files.readString(pidFile, StandardCharsets.UTF_8));
  }

  private static void deletePidFileOf(BrokerLayout layout, long pid) {
    try {
      if (readPidFile(layout.pidFile()).equals(OptionalLong.of(pid))) {
        Files.deleteIfExists(layout.pidFile());
      }
    } catch (IOException e) {
      LOG.warn("Cannot delete {}: {}", layout.pidFile(), e.toString());
    }
  }

  /**
   * Closes the broker's standard input so that it shuts down cleanly, and waits for it to exit;
   * kills it if it takes longer than {@link #STOP_GRACE}.
   */
  private static void stopChild(Process process) {
    try {
      process.getOutputStream().close();
    } catch (IOException alreadyGone) {
      LOG.debug("Standard input of the Kafka broker already closed: {}", alreadyGone.toString());
    }
    try {
      if (process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        return;
      }
      LOG.warn(
          "The Kafka broker (pid {}) did not stop within {}; killing it",
          process.pid(),
          STOP_GRACE);
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static FileChannel takeOwnership(BrokerLayout layout) {
    FileChannel channel;
    try {
      channel =
          FileChannel.open(layout.ownerLock(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new EmbeddedBrokerException("Cannot open " + layout.ownerLock(), e);
    }
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (IOException | OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      closeQuietly(channel);
      throw new EmbeddedBrokerException(
          "The data directory "
              + layout.dataDir()
              + " is in use by another running ./ledger run; stop it or choose another"
              + " --data-dir.");
    }
    // The lock lives as long as the channel: closing the channel (or dying) releases it.
    return channel;
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      LOG.warn("Cannot release the lock on the data directory: {}", e.toString());
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      LOG.warn("Cannot delete {}: {}", file, e.toString());
    }
  }

  /** Replaces {@code target} in one step, so that a reader never sees a half-written file. */
  static void writeAtomically(Path target, String content) throws IOException {
    Path temporary = target.resolveSibling(target.getFileName() + ".tmp");
    Files.writeString(temporary, content, StandardCharsets.UTF_8);
    Files.move(
        temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static long sizeOf(Path file) throws IOException {
    return Files.exists(file) ? Files.size(file) : 0;
  }

  /**
   * What was written to {@code file} after byte {@code start}, as a section of an error message:
   * the first {@link #LOG_ERROR_LINES} errors (a broker's real cause is often followed by a page of
   * shutdown messages) and the last {@link #LOG_TAIL_LINES} lines; empty if nothing was written.
   */
  static String tail(Path file, long start) {
    List<String> errors = new ArrayList<>();
    Deque<String> last = new ArrayDeque<>();
    int errorDetails = 0;
    try (InputStream in = Files.newInputStream(file);
        BufferedReader reader =
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      // A log that rolled over since is shorter than it was: read the new file from the start.
      if (start <= Files.size(file)) {
        in.skipNBytes(start);
      }
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (line.isBlank()) {
          continue;
        }
        boolean error = line.contains("] ERROR ") || line.contains("] FATAL ");
        if (error && errors.size() < LOG_ERROR_LINES) {
          errors.add(line);
          errorDetails = 2;
        } else if (errorDetails > 0 && !line.startsWith("[") && !line.startsWith("\tat ")) {
          // The exception of the error line above: its class and message, then its causes.
          errors.add(line);
          errorDetails--;
        }
        last.addLast(line);
        if (last.size() > LOG_TAIL_LINES) {
          last.removeFirst();
        }
      }
    } catch (IOException missing) {
      return "";
    }
    if (last.isEmpty()) {
      return "";
    }
    String section = "";
    if (!errors.isEmpty()) {
      section += "\n--- errors in " + file + " ---\n" + String.join("\n", errors);
    }
    return section + "\n--- last lines of " + file + " ---\n" + String.join("\n", last);
  }

  @Override
  public String toString() {
    return "EmbeddedBroker["
        + bootstrapServers
        + ", pid "
        + process.pid()
        + ", "
        + layout.dataDir()
        + "]";
  }
}
