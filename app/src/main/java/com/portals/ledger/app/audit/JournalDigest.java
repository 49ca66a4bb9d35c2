package com.portals.ledger.app.audit;

import com.portals.ledger.avro.ledger.JournalEntry;
import com.portals.ledger.avro.ledger.JournalLeg;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * SHA-256 digests of a journal, to tell at a glance whether two ledgers are the same. Entries are
 * taken in a defined order that does not depend on topics or partitions: by affiliate, effective
 * time, entry id; each as one canonical line of every field. The total covers every entry of every
 * affiliate in that order.
 */
public final class JournalDigest {

  /** The order the digest takes entries in. */
  public static final Comparator<JournalEntry> ORDER =
      Comparator.comparing(JournalEntry::getAffiliateId)
          .thenComparing(JournalEntry::getEffectiveAt)
          .thenComparing(JournalEntry::getEntryId);

  private JournalDigest() {}

  /** The digests of a journal: per affiliate (in affiliate order) and in total. */
  public record Digests(Map<String, String> perAffiliate, String total, long entries) {}

  public static Digests of(Collection<JournalEntry> journal) {
    List<JournalEntry> ordered = new ArrayList<>(journal);
    ordered.sort(ORDER);
    MessageDigest total = sha256();
    Map<String, MessageDigest> byAffiliate = new TreeMap<>();
    for (JournalEntry entry : ordered) {
      byte[] line = (canonical(entry) + "\n").getBytes(StandardCharsets.UTF_8);
      total.update(line);
      byAffiliate.computeIfAbsent(entry.getAffiliateId(), a -> sha256()).update(line);
    }
    Map<String, String> perAffiliate = new LinkedHashMap<>();
    byAffiliate.forEach(
        (affiliate, digest) ->
            perAffiliate.put(affiliate, HexFormat.of().formatHex(digest.digest())));
    return new Digests(perAffiliate, HexFormat.of().formatHex(total.digest()), ordered.size());
  }

  /** Every field of an entry on one line, in a fixed order; legs in their order. */
  public static String canonical(JournalEntry e) {
    StringBuilder line =
        new StringBuilder()
            .append(e.getEntryId())
            .append('|')
            .append(e.getAffiliateId())
            .append('|')
            .append(e.getKind())
            .append('|')
            .append(e.getEffectiveAt().toEpochMilli())
            .append('|')
            .append(e.getCausingEventId())
            .append('|')
            .append(e.getOrderId())
            .append('|')
            .append(e.getWithdrawalId())
            .append('|')
            .append(e.getSettlementCycle());
    for (JournalLeg leg : e.getLegs()) {
      line.append('|').append(leg.getAccount()).append('=').append(leg.getAmountCents());
    }
    return line.toString();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
