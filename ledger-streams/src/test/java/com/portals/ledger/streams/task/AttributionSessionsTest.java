package com.portals.ledger.streams.task;

import static org.assertj.core.api.Assertions.assertThat;

import com.portals.ledger.avro.events.ClickRecorded;
import com.portals.ledger.avro.internal.Buffered;
import com.portals.ledger.avro.internal.Origin;
import com.portals.ledger.avro.internal.SessionClicks;
import com.portals.ledger.schemas.serde.LedgerSerdes;
import com.portals.ledger.streams.stage.Rejections;
import com.portals.ledger.streams.state.Codec;
import com.portals.ledger.streams.state.TestStores;
import com.portals.ledger.streams.state.WriteBackStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/**
 * When the sessions reach RocksDB: at every commit at a live pace, otherwise only when many are
 * unwritten or the task closes; and when a task keeps the sessions on disk at its next start (they
 * are all there) instead of rebuilding them from the clicks topic.
 */
class AttributionSessionsTest {

  private static final Duration TTL = Duration.ofHours(24);
  private static final Instant T = Instant.parse("2026-03-01T10:00:00Z");
  private static final Bytes TOKEN = Bytes.wrap(new byte[] {(byte) 0xFF});

  private final LedgerSerdes serdes = LedgerSerdes.singleObject();
  private final KeyValueStore<Bytes, byte[]> sessionsStore = TestStores.inMemory("sessions");
  private final KeyValueStore<Bytes, byte[]> metaStore = TestStores.inMemory("meta");
  private final KeyValueStore<Bytes, byte[]> bufferStore = TestStores.inMemory("buffer");
  private final List<String> rejections = new ArrayList<>();
  private int rebuilds;
  private long offset;

  /** A task of partition 0 of 1 starting on the stores above. */
  private final class Task {
    final WriteBackStore<SessionClicks> sessions =
        new WriteBackStore<>(
            sessionsStore, new SessionCodec(serdes.internal(SessionClicks.class)), 0, false, false);
    final WriteBackStore<byte[]> meta = new WriteBackStore<>(metaStore, Codec.bytes(), 0);
    final WriteBackStore<Buffered> buffer =
        new WriteBackStore<>(
            bufferStore, Codec.avro(serdes.internal(Buffered.class)), 0, true, true);
    final Attribution attribution =
        new Attribution(0, 1, "clicks", TTL, sessions, buffer, meta, new Rejecting());

    Task() {
      attribution.init();
      attribution.open(sessionsStore, Frontiers.NONE, new EmptyClickLog());
      commit(false);
    }

    void click(String eventId, String sessionId, Instant at) {
      ClickRecorded click =
          ClickRecorded.newBuilder()
              .setEventId(eventId)
              .setClickId("c-" + eventId + "-" + offset)
              .setAffiliateId("aff-1")
              .setSessionId(sessionId)
              .setOccurredAt(at)
              .build();
      Origin origin = new Origin("clicks", 0, offset++, null, null);
      long time = at.toEpochMilli();
      attribution.click(origin, click, time, time + 1, Frontiers.NONE);
    }

    /** What the processor does before a commit, for attribution's stores. */
    void commit(boolean live) {
      attribution.beforeCommit(live);
      meta.flush();
      buffer.flush();
    }
  }

  private final class Rejecting implements Outbox {
    @Override
    public void reject(Origin origin, String code, String message, String eventId, Instant at) {
      rejections.add(code);
    }

    @Override
    public void output(Output output, String key, SpecificRecord value, long timestamp) {}

    @Override
    public void handover(int to, long orderAt, SpecificRecord body) {}
  }

  private final class EmptyClickLog implements Attribution.ClickLog {
    @Override
    public long clicksReleasedTo() {
      return 0;
    }

    @Override
    public void readClicksAgain(long from, long to, BiConsumer<Origin, ClickRecorded> each) {
      rebuilds++;
    }
  }

  @Test
  void shouldWriteTheSessionsLeftUnwrittenWhenTheTaskCloses() {
    Task first = new Task();
    assertThat(rebuilds).as("a first start has no sessions on disk").isEqualTo(1);
    first.click("e-1", "s-1", T);
    first.commit(false);
    assertThat(sessionsStore.get(StoreKeys.utf8("s-1")))
        .as("catching up, a commit leaves the session unwritten")
        .isNull();
    assertThat(sessionsStore.get(TOKEN)).as("a running task has no token on disk").isNull();

    first.attribution.close();
    assertThat(sessionsStore.get(StoreKeys.utf8("s-1"))).isNotNull();
    assertThat(sessionsStore.get(TOKEN)).isNotNull();

    Task second = new Task();
    assertThat(rebuilds).as("a clean restart keeps the sessions on disk").isEqualTo(1);
    second.click("e-1", "s-1", T.plusSeconds(60));
    assertThat(rejections)
        .as("the kept session knows its click")
        .containsExactly(Rejections.DUPLICATE_EVENT);
  }

  @Test
  void shouldRebuildWhenTheTaskStopsWithSessionsUnwritten() {
    Task first = new Task();
    first.click("e-1", "s-1", T);
    first.commit(false);

    new Task();
    assertThat(rebuilds).as("no close: the sessions on disk are not trusted").isEqualTo(2);
  }

  @Test
  void shouldWriteTheSessionsAtEveryCommitAtALivePace() {
    Task first = new Task();
    first.click("e-1", "s-1", T);
    first.commit(false);
    first.click("e-2", "s-2", T.plusSeconds(1));
    first.commit(true);
    assertThat(sessionsStore.get(StoreKeys.utf8("s-1"))).isNotNull();
    assertThat(sessionsStore.get(StoreKeys.utf8("s-2"))).isNotNull();
    assertThat(sessionsStore.get(TOKEN)).as("only a close puts the token").isNull();

    new Task();
    assertThat(rebuilds).as("no close: rebuilt").isEqualTo(2);
  }

  /**
   * RocksDB keeps its latest writes in memory until it flushes them: a task killed after a clean
   * restart may leave on disk the token and sessions of the close before it, and a committed state
   * that went on since. Those must not be kept.
   */
  @Test
  void shouldRebuildWhenTheStoreOnDiskIsOlderThanTheCommittedState() {
    Task first = new Task();
    first.click("e-1", "s-1", T);
    first.commit(false);
    first.attribution.close();
    byte[] closedWith = sessionsStore.get(TOKEN);

    Task second = new Task();
    assertThat(rebuilds).isEqualTo(1);
    second.click("e-2", "s-2", T.plusSeconds(60));
    second.commit(true);
    // Killed: what reached the store since the first close is lost, the token is back on disk.
    sessionsStore.delete(StoreKeys.utf8("s-2"));
    sessionsStore.put(TOKEN, closedWith);

    new Task();
    assertThat(rebuilds).as("the committed token is the second start's").isEqualTo(2);
  }

  @Test
  void shouldNeverWriteASessionForgottenBeforeItIsWritten() {
    Task task = new Task();
    task.click("e-1", "s-1", T);
    task.commit(false);
    task.attribution.sweep(T.plus(TTL).plus(TTL).plusSeconds(3600).toEpochMilli());
    task.commit(true);

    assertThat(task.sessions.counts())
        .as("values written, deletions written, writes never needed")
        .containsExactly(0L, 0L, 1L);
  }
}
