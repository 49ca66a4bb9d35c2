package com.portals.ledger.app.cli;

import com.portals.ledger.schemas.publish.EventPublisher;
import com.portals.ledger.schemas.publish.EventPublisher.Report;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ledger tick --at INSTANT}: one clock tick on every partition of {@code ledger.clock}. */
@Command(
    name = "tick",
    description = "Publishes a clock tick to every partition: moves the ledger's time to INSTANT.",
    mixinStandardHelpOptions = true)
public final class TickCommand implements Callable<Integer> {

  @Mixin CommonOptions common;

  @Spec CommandSpec spec;

  @Option(
      names = "--at",
      required = true,
      paramLabel = "INSTANT",
      converter = Instants.class,
      description = "e.g. 2026-03-13T00:00:00Z, or 2026-03-13 for the start of that day (UTC).")
  Instant at;

  @Override
  public Integer call() {
    Report report;
    try (EventPublisher publisher = EventPublisher.connect(common.clients(), common.serdes())) {
      report = publisher.tick(at);
    }
    if (!report.allAccepted()) {
      spec.commandLine()
          .getErr()
          .println("tick not published: " + report.rejected().get(0).reason());
      return 1;
    }
    spec.commandLine().getOut().println("tick at " + at);
    return 0;
  }
}
