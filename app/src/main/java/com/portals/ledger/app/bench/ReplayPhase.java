package com.portals.ledger.app.bench;

import com.portals.ledger.app.audit.Replay;
import com.portals.ledger.domain.rules.LedgerRules;
import com.portals.ledger.schemas.clients.KafkaClients;
import com.portals.ledger.schemas.serde.LedgerSerdes;
import com.portals.ledger.schemas.topics.TopicNamespace;
import com.portals.ledger.schemas.topics.Topics;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * Phase (d) of {@code ledger bench}, replay: {@code ledger replay} ({@link Replay#run}) of
 * everything the benchmark published so far, the history and the live events, into a fresh
 * application and fresh output topics while the live ledger goes on; then what it left behind is
 * deleted ({@link Replay#cleanUp}). Events ÷ the time the replay took, from its start to its end
 * (topics created, topology started, every input applied); ticks are read but not counted.
 */
final class ReplayPhase {

  /**
   * What the replay measured.
   *
   * @param events input events it read (ticks not counted)
   * @param ticks ticks it read, each one record per partition of the clock
   * @param elapsed from its start to its end
   */
  record Result(long events, long ticks, Duration elapsed) {
    double eventsPerSecond() {
      return elapsed.toNanos() > 0 ? events * 1e9 / elapsed.toNanos() : 0;
    }

    String describe() {
      return String.format(
          Locale.ROOT,
          "%d events (and %d ticks) replayed in %.2f s = %.1f events/s",
          events,
          ticks,
          elapsed.toNanos() / 1e9,
          eventsPerSecond());
    }
  }

  private ReplayPhase() {}

  /**
   * @param deadline how long the replay may take before it is given up
   */
  static Result run(
      String bootstrapServers,
      int partitions,
      LedgerSerdes serdes,
      Path scratch,
      Duration deadline,
      PrintWriter out)
      throws InterruptedException {
    PrintStream progress = new PrintStream(new WriterStream(out), true, StandardCharsets.UTF_8);
    long started = System.nanoTime();
    Replay.Result result =
        Replay.run(
            new Replay.Options(
                bootstrapServers,
                TopicNamespace.CONTRACT,
                LedgerUnderTest.APPLICATION_ID,
                LedgerRules.DEFAULTS,
                serdes,
                scratch,
                progress,
                deadline,
                Map.of()));
    Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
    Replay.cleanUp(KafkaClients.at(bootstrapServers), result, scratch, true);
    String clock = TopicNamespace.CONTRACT.name(Topics.CLOCK);
    long clockRecords =
        result.inputEnds().entrySet().stream()
            .filter(end -> end.getKey().topic().equals(clock))
            .mapToLong(end -> end.getValue())
            .sum();
    return new Result(result.inputRecords() - clockRecords, clockRecords / partitions, elapsed);
  }

  /** The replay's progress, written to the benchmark's output. */
  private static final class WriterStream extends OutputStream {
    private final PrintWriter out;

    WriterStream(PrintWriter out) {
      this.out = out;
    }

    @Override
    public void write(int b) {
      out.write(b);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
      out.write(new String(bytes, offset, length, StandardCharsets.UTF_8));
    }

    @Override
    public void flush() {
      out.flush();
    }
  }
}
