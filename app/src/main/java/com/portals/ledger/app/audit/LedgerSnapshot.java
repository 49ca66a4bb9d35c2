package com.portals.ledger.app.audit;

import com.portals.ledger.avro.ledger.Balance;
import com.portals.ledger.avro.ledger.JournalEntry;
import com.portals.ledger.schemas.clients.KafkaClients;
import com.portals.ledger.schemas.serde.LedgerSerdes;
import com.portals.ledger.schemas.topics.TopicNamespace;
import com.portals.ledger.schemas.topics.Topics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;

/**
 * A ledger's journal and latest balances, read up to one cut: the end offsets of both topics are
 * taken in one request, and the ledger writes an entry and its balance in one transaction, so the
 * two agree.
 *
 * @param journal the entries, partition by partition in offset order
 * @param balances the latest balance of each affiliate up to the cut
 */
public record LedgerSnapshot(List<JournalEntry> journal, Map<String, Balance> balances) {

  /** Reads the journal and balances of {@code namespace} (its journal topic may be named apart). */
  static LedgerSnapshot read(
      Admin admin,
      KafkaClients clients,
      LedgerSerdes serdes,
      String journalTopic,
      String balancesTopic) {
    KafkaReads kafka = new KafkaReads(admin, clients);
    Map<TopicPartition, Long> ends =
        kafka.committedEnds(kafka.partitions(List.of(journalTopic, balancesTopic)));
    Map<TopicPartition, Long> journalEnds = new HashMap<>();
    Map<TopicPartition, Long> balanceEnds = new HashMap<>();
    ends.forEach(
        (tp, end) -> (tp.topic().equals(journalTopic) ? journalEnds : balanceEnds).put(tp, end));
    List<JournalEntry> journal = new ArrayList<>();
    kafka.read(
        journalEnds,
        record ->
            journal.add(
                Topics.JOURNAL
                    .valueSerde(serdes)
                    .deserializer()
                    .deserialize(journalTopic, record.value())));
    Map<String, Balance> balances = new LinkedHashMap<>();
    kafka.read(
        balanceEnds,
        record -> {
          if (record.value() != null) {
            Balance balance =
                Topics.BALANCES
                    .valueSerde(serdes)
                    .deserializer()
                    .deserialize(balancesTopic, record.value());
            balances.put(balance.getAffiliateId(), balance);
          }
        });
    return new LedgerSnapshot(journal, balances);
  }

  /** Reads the journal and balances of the ledger whose topics are in {@code namespace}. */
  static LedgerSnapshot read(
      Admin admin, KafkaClients clients, LedgerSerdes serdes, TopicNamespace namespace) {
    return read(
        admin, clients, serdes, namespace.name(Topics.JOURNAL), namespace.name(Topics.BALANCES));
  }
}
