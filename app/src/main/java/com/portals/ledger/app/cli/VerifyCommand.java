package com.portals.ledger.app.cli;

import com.portals.ledger.app.audit.Audit;
import com.portals.ledger.app.audit.Audit.Verification;
import com.portals.ledger.app.audit.Replay;
import com.portals.ledger.app.audit.Verifier.Difference;
import com.portals.ledger.schemas.topics.TopicNamespace;
import com.portals.ledger.schemas.topics.Topics;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code ledger verify}: replays the ledger and compares it with the live one; exits 0 only if they
 * are identical, every entry's legs sum to zero and every balance is the sum of its legs.
 */
@Command(
    name = "verify",
    description =
        "Replays the ledger and compares it with the live journal and balances; exit 0 only if identical.",
    mixinStandardHelpOptions = true)
public final class VerifyCommand implements Callable<Integer> {

  @Mixin CommonOptions common;

  @Mixin AuditOptions audit;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Replay.Options options = audit.replayOptions(common, System.err);
    out.println("Replaying the ledger to compare it with the live one ...");
    out.flush();
    Verification verification =
        Audit.verify(options, TopicNamespace.CONTRACT, Topics.JOURNAL.name());
    out.println(
        "Compared "
            + verification.report().compared()
            + " journal entries effective before "
            + (verification.replay().watermark() == null
                ? "(no tick yet)"
                : verification.replay().watermark())
            + " ("
            + verification.report().liveEntries()
            + " live entries, "
            + verification.report().balances()
            + " balances and "
            + verification.report().batched()
            + " batched withdrawals checked)");
    out.println("  replayed " + verification.replayed().total());
    out.println("  live     " + verification.live().total());
    if (verification.report().identical()) {
      out.println(
          "IDENTICAL: the live journal equals its replay, every entry's legs sum to zero, every balance is the sum of its legs, every payout batch is the replay's.");
      return 0;
    }
    out.println("DIFFERENT: " + verification.report().differences().size() + " finding(s)");
    for (Difference difference : verification.report().differences()) {
      out.println("  " + difference);
    }
    return 1;
  }
}
