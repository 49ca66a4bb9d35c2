package com.portals.ledger.app.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.portals.ledger.app.Main;
import com.portals.ledger.app.audit.Audit.Verification;
import com.portals.ledger.app.audit.Verifier.Difference;
import com.portals.ledger.app.cli.Settings;
import com.portals.ledger.app.runtime.LedgerRuntime;
import com.portals.ledger.app.runtime.LedgerRuntime.ClockMode;
import com.portals.ledger.avro.ledger.JournalEntry;
import com.portals.ledger.avro.ledger.JournalLeg;
import com.portals.ledger.domain.rules.LedgerRules;
import com.portals.ledger.schemas.clients.KafkaClients;
import com.portals.ledger.schemas.publish.EventPublisher;
import com.portals.ledger.schemas.serde.LedgerSerdes;
import com.portals.ledger.schemas.topics.TopicAdmin;
import com.portals.ledger.schemas.topics.TopicNamespace;
import com.portals.ledger.schemas.topics.Topics;
import com.portals.ledger.streams.Histories;
import com.portals.ledger.streams.LedgerStreams;
import com.portals.ledger.streams.LedgerTopology;
import com.portals.ledger.testkit.KafkaClusterExtension;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The audit on a real broker: a live ledger, restarted half-way through a history with out-of-order
 * events, duplicates, refunds, ticks and withdrawals, is proven identical to its replay; a journal
 * altered, short of an entry, or with an entry twice is caught, entry by entry.
 */
@Timeout(300)
class AuditIntegrationTest {

  private static final int PARTITIONS = 3;

  @RegisterExtension static final KafkaClusterExtension kafka = new KafkaClusterExtension();

  @TempDir Path dir;

  private final LedgerSerdes serdes = LedgerSerdes.singleObject();

  /** A live ledger on its own topics; returns its application id once the history is processed. */
  private String liveLedger(TopicNamespace namespace, List<String> history) throws Exception {
    new TopicAdmin(kafka.admin()).ensure(namespace, Topics.all(), PARTITIONS, (short) 1);
    String applicationId = KafkaClusterExtension.uniqueName("live");
    LedgerTopology.Config config =
        new LedgerTopology.Config(
            namespace, namespace, PARTITIONS, LedgerRules.DEFAULTS, serdes, applicationId);
    int half = history.size() / 2;
    try (EventPublisher publisher =
        EventPublisher.connect(kafka.bootstrapServers(), serdes, namespace)) {
      for (List<String> part :
          List.of(history.subList(0, half), history.subList(half, history.size()))) {
        // a new client for each half: the second one restores the state the first one left
        try (LedgerStreams streams = start(config, applicationId)) {
          assertThat(publisher.publish(part).rejected()).isEmpty();
          awaitProcessed(namespace, applicationId, streams);
        }
      }
    }
    return applicationId;
  }

  private void awaitProcessed(TopicNamespace namespace, String applicationId, LedgerStreams streams)
      throws InterruptedException {
    KafkaReads reads = new KafkaReads(kafka.admin(), KafkaClients.at(kafka.bootstrapServers()));
    Replay.awaitProcessed(
        reads,
        applicationId,
        reads.committedEnds(
            reads.partitions(Topics.inputs().stream().map(namespace::name).toList())),
        Duration.ofSeconds(120),
        done -> {},
        () -> assertThat(streams.isRunning()).isTrue());
  }

  private LedgerStreams start(LedgerTopology.Config config, String applicationId) {
    return LedgerStreams.startLedger(
        config,
        LedgerStreams.config(
            applicationId, kafka.bootstrapServers(), dir.resolve(applicationId), Map.of()));
  }

  private Replay.Options options(TopicNamespace inputs, String applicationId) {
    return new Replay.Options(
        kafka.bootstrapServers(),
        inputs,
        applicationId,
        LedgerRules.DEFAULTS,
        serdes,
        dir.resolve("replays"),
        new PrintStream(PrintStream.nullOutputStream()),
        Duration.ofMinutes(3),
        Map.of());
  }

  @Test
  void shouldProveARestartedLedgerIdenticalToItsReplay() throws Exception {
    TopicNamespace namespace = TopicNamespace.prefixed(KafkaClusterExtension.uniqueName("audited"));
    String applicationId = liveLedger(namespace, Histories.generate(424242L));

    Verification verification =
        Audit.verify(options(namespace, applicationId), namespace, namespace.name(Topics.JOURNAL));

    assertThat(verification.report().differences()).isEmpty();
    assertThat(verification.report().compared()).isPositive();
    assertThat(verification.live().total()).isEqualTo(verification.replayed().total());
    assertThat(kafka.admin().listTopics().names().get())
        .noneMatch(name -> name.startsWith(verification.replay().id()));
  }

  @Test
  void shouldNameAnAlteredADroppedAndADuplicatedEntry() throws Exception {
    TopicNamespace namespace =
        TopicNamespace.prefixed(KafkaClusterExtension.uniqueName("tampered"));
    String applicationId = liveLedger(namespace, Histories.generate(777L));
    List<JournalEntry> journal =
        LedgerSnapshot.read(
                kafka.admin(), KafkaClients.at(kafka.bootstrapServers()), serdes, namespace)
            .journal();
    assertThat(journal).hasSizeGreaterThan(6);
    JournalEntry altered = journal.get(1);
    JournalEntry dropped = journal.get(3);
    JournalEntry duplicated = journal.get(5);
    String tamperedTopic = KafkaClusterExtension.uniqueName("tampered-journal");
    kafka.createTopics(PARTITIONS, tamperedTopic);
    List<JournalEntry> tampered = new ArrayList<>();
    for (JournalEntry entry : journal) {
      if (entry == altered) {
        JournalEntry forged = JournalEntry.newBuilder(entry).build();
        List<JournalLeg> legs = new ArrayList<>();
        for (JournalLeg leg : entry.getLegs()) {
          legs.add(new JournalLeg(leg.getAccount(), leg.getAmountCents() * 2));
        }
        forged.setLegs(legs);
        tampered.add(forged);
      } else if (entry != dropped) {
        tampered.add(entry);
      }
      if (entry == duplicated) {
        tampered.add(entry);
      }
    }
    copy(tampered, tamperedTopic);

    Verification verification =
        Audit.verify(options(namespace, applicationId), namespace, tamperedTopic);

    List<Difference> differences = verification.report().differences();
    assertThat(differences)
        .anySatisfy(
            d -> {
              assertThat(d.entryId()).isEqualTo(altered.getEntryId());
              assertThat(d.affiliateId()).isEqualTo(altered.getAffiliateId());
              assertThat(d.problem()).isEqualTo("differs");
              assertThat(d.expected()).isEqualTo(JournalDigest.canonical(altered));
            });
    assertThat(differences)
        .anySatisfy(
            d -> {
              assertThat(d.entryId()).isEqualTo(dropped.getEntryId());
              assertThat(d.problem()).isEqualTo("missing from the live journal");
            });
    assertThat(differences)
        .anySatisfy(
            d -> {
              assertThat(d.entryId()).isEqualTo(duplicated.getEntryId());
              assertThat(d.problem()).isEqualTo("appears more than once in the live journal");
            });
    assertThat(differences)
        .anySatisfy(
            d -> {
              assertThat(d.affiliateId()).isEqualTo(dropped.getAffiliateId());
              assertThat(d.problem()).isEqualTo("the balance is not the sum of its journal legs");
            });
    assertThat(verification.live().total()).isNotEqualTo(verification.replayed().total());
  }

  private void copy(List<JournalEntry> entries, String topic) throws Exception {
    Properties config = kafka.clientProperties();
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
      for (JournalEntry entry : entries) {
        producer
            .send(
                new ProducerRecord<>(
                    topic,
                    entry.getAffiliateId(),
                    Topics.JOURNAL.valueSerde(serdes).serializer().serialize(topic, entry)))
            .get();
      }
    }
  }

  @Test
  void shouldExitZeroAfterARealRunAndOneWithAPreciseReportAfterTampering() throws Exception {
    Path data = dir.resolve("data");
    try (LedgerRuntime ledger =
        LedgerRuntime.start(
            new LedgerRuntime.Options(
                data,
                kafka.bootstrapServers(),
                "127.0.0.1",
                0,
                null,
                ClockMode.MANUAL,
                Duration.ofSeconds(1),
                false,
                1,
                PARTITIONS,
                Settings.empty()),
            new PrintWriter(new StringWriter()))) {
      try (EventPublisher publisher = EventPublisher.connect(kafka.bootstrapServers(), serdes)) {
        assertThat(publisher.publish(Histories.generate(99L)).rejected()).isEmpty();
      }

      Run identical = cli("verify", "--data-dir", data.toString(), "--timeout", "3m");
      assertThat(identical.exit()).as(identical.out()).isZero();
      assertThat(identical.out()).contains("IDENTICAL");
      assertThat(ledger.streams().isRunning())
          .as("the live ledger went on during the replay")
          .isTrue();

      String affiliate =
          LedgerSnapshot.read(
                  kafka.admin(),
                  KafkaClients.at(kafka.bootstrapServers()),
                  serdes,
                  TopicNamespace.CONTRACT)
              .balances()
              .keySet()
              .iterator()
              .next();
      JournalEntry forged =
          JournalEntry.newBuilder()
              .setEntryId("COMMISSION_ACCRUED:forged")
              .setAffiliateId(affiliate)
              .setKind(com.portals.ledger.avro.ledger.EntryKind.COMMISSION_ACCRUED)
              .setLegs(
                  List.of(
                      new JournalLeg("platform:commission-expense", 100_00L),
                      new JournalLeg("affiliate:" + affiliate + ":pending", -100_00L)))
              .setCausingEventId("forged")
              .setEffectiveAt(java.time.Instant.parse("2026-01-02T00:00:00Z"))
              .build();
      copy(List.of(forged), Topics.JOURNAL.name());

      Run tampered = cli("verify", "--data-dir", data.toString(), "--timeout", "3m");
      assertThat(tampered.exit()).as(tampered.out()).isEqualTo(1);
      assertThat(tampered.out())
          .contains("DIFFERENT")
          .contains(affiliate + "  COMMISSION_ACCRUED:forged  not in the replayed journal")
          .contains(affiliate + "  (balance)  the balance is not the sum of its journal legs");
    }
  }

  private record Run(int exit, String out) {}

  private static Run cli(String... args) {
    StringWriter out = new StringWriter();
    CommandLine commandLine = Main.commandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(new StringWriter(), true));
    return new Run(commandLine.execute(args), out.toString());
  }
}
