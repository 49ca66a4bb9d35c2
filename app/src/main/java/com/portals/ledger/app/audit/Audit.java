package com.portals.ledger.app.audit;

import com.portals.ledger.app.audit.JournalDigest.Digests;
import com.portals.ledger.app.audit.Verifier.Report;
import com.portals.ledger.avro.ledger.JournalEntry;
import com.portals.ledger.schemas.topics.TopicNamespace;
import com.portals.ledger.schemas.topics.Topics;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
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
      Report journals =
          Verifier.verify(replayed, snapshot.journal(), snapshot.balances(), replay.watermark());
      List<Verifier.Difference> differences = new ArrayList<>(journals.differences());
      SortedMap<String, String> replayedBatches =
          batches(kafka, replay.outputs().name(Topics.WITHDRAWAL_DECISIONS), options, replay);
      SortedMap<String, String> liveBatches =
          batches(kafka, live.name(Topics.WITHDRAWAL_DECISIONS), options, replay);
      differences.addAll(Verifier.payoutBatches(replayedBatches, liveBatches));
      Set<String> batched = new HashSet<>(replayedBatches.keySet());
      batched.addAll(liveBatches.keySet());
      Report report =
          new Report(
              differences,
              journals.compared(),
              journals.liveEntries(),
              journals.balances(),
              batched.size());
      return new Verification(
          replay,
          report,
          JournalDigest.of(cut(replayed, replay)),
          JournalDigest.of(cut(snapshot.journal(), replay)));
    } finally {
      Replay.cleanUp(options.clients(), replay, options.scratch(), true);
    }
  }

  /**
   * The payout batch of every withdrawal put into one before the replay's watermark, as {@code
   * topic} (a withdrawal decisions topic) says: "affiliate withdrawal" to batch id.
   */
  private static SortedMap<String, String> batches(
      KafkaReads kafka, String topic, Replay.Options options, Replay.Result replay) {
    SortedMap<String, String> batches = new TreeMap<>();
    kafka.readValues(
        topic,
        Topics.WITHDRAWAL_DECISIONS,
        options.serdes(),
        decision -> {
          if (decision.getBatchId() != null
              && (replay.watermark() == null
                  || decision.getBatchedAt().isBefore(replay.watermark()))) {
            batches.put(
                decision.getAffiliateId() + " " + decision.getWithdrawalId(),
                decision.getBatchId());
          }
        });
    return batches;
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
