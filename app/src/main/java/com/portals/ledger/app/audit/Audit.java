package com.portals.ledger.app.audit;

import com.portals.ledger.app.audit.JournalDigest.Digests;
import com.portals.ledger.app.audit.Verifier.Report;
import com.portals.ledger.avro.ledger.JournalEntry;
import com.portals.ledger.schemas.topics.TopicNamespace;
import com.portals.ledger.schemas.topics.Topics;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;

/**
 * {@code ledger verify}: replays the ledger, waits until the live ledger has processed the same
 * history, compares both journals and the live balances, and removes the replay again.
 */
public final class Audit {

  private Audit() {}

  /** What a verification found; {@link Report#identical()} says whether the ledger is proven. */
  public record Verification(Replay.Result replay, Report report, Digests replayed, Digests live) {}

  /**
   * Verifies the live ledger whose outputs are in {@code live} (journal topic {@code
   * liveJournalTopic}, normally {@code live}'s own).
   */
  public static Verification verify(
      Replay.Options options, TopicNamespace live, String liveJournalTopic)
      throws InterruptedException {
    Replay.Result replay = Replay.run(options);
    try (Admin admin = Admin.create(options.clients().admin(Map.of()))) {
      KafkaReads kafka = new KafkaReads(admin, options.clients());
      Replay.awaitProcessed(
          kafka,
          options.applicationId(),
          replay.inputEnds(),
          options.timeout(),
          done -> {},
          () -> {});
      LedgerSnapshot snapshot =
          LedgerSnapshot.read(
              admin,
              options.clients(),
              options.serdes(),
              liveJournalTopic,
              live.name(Topics.BALANCES));
      List<JournalEntry> replayed =
          Replay.journal(options.clients(), replay.outputs(), options.serdes());
      Report report =
          Verifier.verify(replayed, snapshot.journal(), snapshot.balances(), replay.watermark());
      return new Verification(
          replay,
          report,
          JournalDigest.of(cut(replayed, replay)),
          JournalDigest.of(cut(snapshot.journal(), replay)));
    } finally {
      Replay.cleanUp(options.clients(), replay, options.scratch(), true);
    }
  }

  /** The entries a verification compares: those effective before the replay's watermark. */
  private static List<JournalEntry> cut(List<JournalEntry> journal, Replay.Result replay) {
    return journal.stream()
        .filter(
            entry ->
                replay.watermark() == null || entry.getEffectiveAt().isBefore(replay.watermark()))
        .toList();
  }
}
