package com.portals.ledger.app.cli;

import com.portals.ledger.app.audit.Replay;
import com.portals.ledger.app.runtime.LedgerRuntime;
import com.portals.ledger.domain.rules.LedgerRules;
import com.portals.ledger.schemas.topics.TopicNamespace;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** What replay and verify share: how long to wait, where to keep scratch state. */
public final class AuditOptions {

  @Option(
      names = "--timeout",
      defaultValue = "30m",
      paramLabel = "DURATION",
      converter = Durations.class,
      description = "Give up after this long (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  /** Replay options from the common options: same Kafka, same rules and application id as run. */
  Replay.Options replayOptions(CommonOptions common, PrintStream progress) throws IOException {
    Settings settings = common.settings();
    Path scratch = Files.createDirectories(common.dataDir().resolve("replays"));
    return new Replay.Options(
        common.bootstrapServers(),
        TopicNamespace.CONTRACT,
        settings.get(LedgerRuntime.APPLICATION_ID, LedgerRuntime.DEFAULT_APPLICATION_ID),
        LedgerRules.from(settings.asMap(), Durations::parse),
        common.serdes(),
        scratch,
        progress,
        timeout,
        settings.asMap());
  }
}
