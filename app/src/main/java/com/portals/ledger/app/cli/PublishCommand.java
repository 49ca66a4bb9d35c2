package com.portals.ledger.app.cli;

import com.portals.ledger.schemas.clients.KafkaClients;
import com.portals.ledger.schemas.publish.EventPublisher;
import com.portals.ledger.schemas.publish.EventPublisher.RejectedLine;
import com.portals.ledger.schemas.publish.EventPublisher.Report;
import com.portals.ledger.schemas.topics.TopicNamespace;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ledger publish FILE}: JSON-lines events to their topics. Prints {@code line N: reason} on
 * standard error for each rejected line and {@code accepted=A rejected=R} on standard output; exits
 * 1 if any line was rejected. A large file shows its progress on standard error as it goes ({@link
 * PublishProgress}).
 */
@Command(
    name = "publish",
    description = "Publishes JSON-lines events (docs/contract.md) to the ledger's topics.",
    mixinStandardHelpOptions = true)
public final class PublishCommand implements Callable<Integer> {

  @Mixin CommonOptions common;

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "FILE", description = "JSON-lines file, or - for standard input.")
  String file;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Report report;
    KafkaClients clients = common.clients();
    try (EventPublisher publisher =
            EventPublisher.connect(
                clients,
                common.serdes(),
                TopicNamespace.CONTRACT,
                EventPublisher.fileProducerConfig(clients));
        PublishProgress progress = PublishProgress.of(size(), err);
        BufferedReader reader = progress.reader(open())) {
      report = publisher.publish(reader);
    }
    for (RejectedLine rejected : report.rejected()) {
      err.println("line " + rejected.line() + ": " + rejected.reason());
    }
    out.println("accepted=" + report.accepted() + " rejected=" + report.rejected().size());
    return report.allAccepted() ? 0 : 1;
  }

  private InputStream open() throws IOException {
    if ("-".equals(file)) {
      return System.in;
    }
    try {
      return Files.newInputStream(Path.of(file));
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(file + ": no such file");
    }
  }

  /** The file's size, or 0 for standard input (whose progress is not shown). */
  private long size() throws IOException {
    Path path = Path.of(file);
    return "-".equals(file) || !Files.isRegularFile(path) ? 0 : Files.size(path);
  }
}
