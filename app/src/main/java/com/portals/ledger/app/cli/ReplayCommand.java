package com.portals.ledger.app.cli;

import com.portals.ledger.app.audit.JournalDigest;
import com.portals.ledger.app.audit.JournalDigest.Digests;
import com.portals.ledger.app.audit.Replay;
import com.portals.ledger.schemas.topics.Topics;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ledger replay}: rebuilds the ledger from the input topics into fresh, prefixed output
 * topics while the live ledger goes on, and prints the digest of the rebuilt journal.
 */
@Command(
    name = "replay",
    description =
        "Rebuilds the whole ledger from the input topics into fresh topics; prints the journal digest.",
    mixinStandardHelpOptions = true)
public final class ReplayCommand implements Callable<Integer> {

  @Mixin CommonOptions common;

  @Mixin AuditOptions audit;

  @Spec CommandSpec spec;

  @Option(
      names = "--delete-outputs",
      description = "Delete the replay's output topics after printing the digest.")
  boolean deleteOutputs;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Replay.Options options = audit.replayOptions(common, System.err);
    out.println("Replaying the ledger from its input topics (the live ledger goes on) ...");
    out.flush();
    Replay.Result result = Replay.run(options);
    try {
      Digests digests =
          JournalDigest.of(Replay.journal(options.clients(), result.outputs(), options.serdes()));
      out.printf(
          Locale.ROOT,
          "Replay %s: %d input records in %.1f s, ledger time %s%n",
          result.id(),
          result.inputRecords(),
          result.elapsed().toMillis() / 1000.0,
          result.watermark() == null ? "(no tick yet)" : result.watermark());
      out.println(
          deleteOutputs
              ? "Output topics deleted after this digest."
              : "Output topics: "
                  + Topics.outputs().stream()
                      .map(result.outputs()::name)
                      .collect(Collectors.joining(", ")));
      out.println("Journal digest, SHA-256 over entries by affiliate, effective time, entry id:");
      digests
          .perAffiliate()
          .forEach((affiliate, digest) -> out.println("  " + digest + "  " + affiliate));
      out.println("  " + digests.total() + "  total (" + digests.entries() + " entries)");
    } finally {
      Replay.cleanUp(options.clients(), result, options.scratch(), deleteOutputs);
    }
    return 0;
  }
}
