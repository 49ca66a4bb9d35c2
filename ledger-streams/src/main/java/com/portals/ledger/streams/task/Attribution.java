package com.portals.ledger.streams.task;

import com.portals.ledger.avro.events.ClickRecorded;
import com.portals.ledger.avro.internal.AttributionReply;
import com.portals.ledger.avro.internal.AttributionRequest;
import com.portals.ledger.avro.internal.Buffered;
import com.portals.ledger.avro.internal.Origin;
import com.portals.ledger.avro.internal.SessionClick;
import com.portals.ledger.avro.internal.SessionClicks;
import com.portals.ledger.avro.ledger.TrackedClick;
import com.portals.ledger.domain.attribution.Attribution.Candidate;
import com.portals.ledger.streams.mapping.Mapping;
import com.portals.ledger.streams.stage.Rejections;
import com.portals.ledger.streams.state.WriteBackStore;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiConsumer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Attribution, for the sessions of one partition: stores clicks as they arrive (a session's clicks
 * are normally all on its partition of {@code portals.clicks}), and answers the orders stages'
 * requests for the click an order is attributed to, once the lowest intake frontier has passed the
 * order's ordering instant: by then every click the ledger orders before it has arrived, whichever
 * partition it came through, so the answer does not depend on timing.
 *
 * <p>A click counts for an order if the ledger ordered it at or before the order and at most twice
 * the session TTL before it (the domain then takes the last click of the session within the TTL of
 * the order's own time). A click is a duplicate if the session holds a click with the same event id
 * ordered within twice the TTL before it. Clicks ordered more than twice the TTL before the lowest
 * frontier any request or click can still come with are forgotten: no answer and no duplicate check
 * can look at them any more, so when that happens does not change any outcome.
 *
 * <p>Stores: {@code ledger-sessions} (session id → its clicks), which is not logged; requests wait
 * in the buffer. When the task starts, the sessions on disk are kept if they go with the committed
 * state, else rebuilt ({@link #open}): most clicks are read again from this partition of the clicks
 * topic, which is kept forever, as intake does for the records it holds. A click read here is
 * "plain" when it is ordered at its own time and that time is before the tick that released it:
 * then its ordering instant follows from the record alone, and the plain clicks of time T or later
 * all lie after the clicks offset that the last tick at or before T released to (the checkpoints
 * below). Every other click is kept in the buffer under {@link StoreKeys#keptClick} (a click routed
 * from another partition, a late one, one ahead of its tick), and so is a copy of this partition's
 * that was rejected as a duplicate, so that reading it again skips it. Why: the sessions' changelog
 * was the largest part of the ledger's broker writes, a put and a tombstone for nearly every click.
 *
 * <p>When each session expires is kept in memory ({@link SessionExpiry}), listed again from the
 * store or the rebuild when the task opens, so that forgetting expired sessions reads nothing.
 */
final class Attribution {

  /** This partition of the clicks topic, as intake reads and releases it. */
  interface ClickLog {

    /** Every record before this offset has been released. */
    long clicksReleasedTo();

    /**
     * Reads offsets {@code [from, to)} again and gives {@code each} the valid clicks among them.
     */
    void readClicksAgain(long from, long to, BiConsumer<Origin, ClickRecorded> each);
  }

  /** In {@code ledger-meta}: the checkpoints, pairs of (tick instant, clicks offset). */
  private static final Bytes CHECKPOINTS_KEY = StoreKeys.utf8("attribution/re-read-from");

  /** In {@code ledger-meta}: the token of the sessions on disk that go with the committed state. */
  private static final Bytes TOKEN_KEY = StoreKeys.utf8("attribution/sessions-token");

  /**
   * In {@code ledger-sessions}: the same token, written when the task closes. 0xFF is no byte of
   * UTF-8, so no session id is this key; {@link #open} skips it when it lists the sessions on disk.
   */
  private static final Bytes LOCAL_TOKEN_KEY = Bytes.wrap(new byte[] {(byte) 0xFF});

  /** How many clicks a rebuild collects in memory before it writes them to the store. */
  private static final int REBUILD_CHUNK = 50_000;

  /**
   * How many changed sessions a task keeps in memory, unwritten, across commits while it catches up
   * ({@link #beforeCommit}).
   */
  static final int UNWRITTEN_SESSIONS = 20_000;

  private static final Logger LOG = LoggerFactory.getLogger(Attribution.class);

  private final int partition;
  private final int partitions;
  private final String clicksTopic;
  private final Duration ttl;
  private final long window;
  private final WriteBackStore<SessionClicks> sessions;
  private final WriteBackStore<Buffered> buffer;
  private final WriteBackStore<byte[]> meta;
  private final Outbox outbox;

  /**
   * (tick instant T, clicks offset O) pairs, oldest first, at least {@link #spacing} apart: every
   * plain click of time T or later lies at offset O or later. The first is the last one at or
   * before the horizon, where a rebuild starts reading.
   */
  private final ArrayDeque<long[]> checkpoints = new ArrayDeque<>();

  private final long spacing;
  private boolean checkpointsChanged;
  private long keptSweptTo = Frontiers.NONE;
  private Bytes floor = StoreKeys.stage(StoreKeys.ATTRIBUTION);
  private final SessionExpiry expiry;
  private long duplicates;

  /** The sessions store itself, beneath the write-back store ({@link #open}). */
  private KeyValueStore<Bytes, byte[]> local;

  /**
   * The token of this run of the task, put into {@code ledger-meta} when it starts and into the
   * local store when it closes; null once the task's state is being reset.
   */
  private byte[] token;

  Attribution(
      int partition,
      int partitions,
      String clicksTopic,
      Duration ttl,
      WriteBackStore<SessionClicks> sessions,
      WriteBackStore<Buffered> buffer,
      WriteBackStore<byte[]> meta,
      Outbox outbox) {
    this.partition = partition;
    this.partitions = partitions;
    this.clicksTopic = clicksTopic;
    this.ttl = ttl;
    this.window = 2 * ttl.toMillis();
    this.spacing = Math.max(1L, window / 16);
    this.sessions = sessions;
    this.buffer = buffer;
    this.meta = meta;
    this.outbox = outbox;
    this.expiry = new SessionExpiry(window);
  }

  void init() {
    floor = StoreKeys.stage(StoreKeys.ATTRIBUTION);
    expiry.clear();
    keptSweptTo = Frontiers.NONE;
    checkpoints.clear();
    byte[] stored = meta.get(CHECKPOINTS_KEY);
    if (stored != null) {
      ByteBuffer pairs = ByteBuffer.wrap(stored);
      while (pairs.remaining() >= 2 * Long.BYTES) {
        checkpoints.addLast(new long[] {pairs.getLong(), pairs.getLong()});
      }
    }
    checkpointsChanged = false;
  }

  /**
   * Makes the sessions ready when the task starts. The store on disk is kept if its token is the
   * one committed in {@code ledger-meta}: each start commits a new token to {@code ledger-meta} and
   * takes the token out of the local store, and only a clean close puts that start's token into the
   * local store, after every session, so the two match only when the last run of the task on this
   * state directory closed cleanly and no other instance ran it since. Otherwise (no local state, a
   * crash, another instance's token in the restored {@code ledger-meta}) the store is emptied and
   * {@linkplain #rebuild rebuilt}.
   *
   * <p>Why it holds after a crash: RocksDB keeps the store's latest writes in memory, without a
   * write-ahead log, until it flushes them (in the order they were made) or closes, and Kafka
   * Streams need not wipe the state directory of a task that stopped uncleanly. The token's
   * deletion here comes before any change to the sessions, so a store on disk that still holds the
   * old token holds no change made since it was read; and once this start's token is committed, the
   * old one no longer matches.
   *
   * @param local the sessions store itself, beneath the write-back store
   */
  void open(KeyValueStore<Bytes, byte[]> local, long horizon, ClickLog intake) {
    this.local = local;
    byte[] committed = meta.get(TOKEN_KEY);
    boolean keep = committed != null && Arrays.equals(committed, local.get(LOCAL_TOKEN_KEY));
    local.delete(LOCAL_TOKEN_KEY);
    UUID id = UUID.randomUUID();
    token =
        ByteBuffer.allocate(2 * Long.BYTES)
            .putLong(id.getMostSignificantBits())
            .putLong(id.getLeastSignificantBits())
            .array();
    meta.put(TOKEN_KEY, token);
    if (keep) {
      try (KeyValueIterator<Bytes, byte[]> all = local.all()) {
        all.forEachRemaining(
            entry -> {
              if (!entry.key.equals(LOCAL_TOKEN_KEY)) {
                expiry.touch(entry.key, SessionCodec.lastOrderedAt(entry.value));
              }
            });
      }
      LOG.info(
          "attribution of partition {}: the {} sessions on disk go with the committed state",
          partition,
          expiry.size());
      return;
    }
    List<Bytes> keys = new ArrayList<>();
    try (KeyValueIterator<Bytes, byte[]> all = local.all()) {
      all.forEachRemaining(entry -> keys.add(entry.key));
    }
    keys.forEach(local::delete);
    rebuild(horizon, intake);
  }

  /**
   * Rebuilds the sessions (an empty store: it is not logged) from the kept clicks and from this
   * partition of the clicks topic, read again from the checkpoint at or before {@code horizon} to
   * where intake has released it. Clicks ordered before {@code horizon} are left out: no answer or
   * duplicate check can look at them any more.
   */
  private void rebuild(long horizon, ClickLog intake) {
    long from = 0;
    for (long[] checkpoint : checkpoints) {
      if (horizon == Frontiers.NONE || checkpoint[0] > horizon) {
        break;
      }
      from = checkpoint[1];
    }
    long to = intake.clicksReleasedTo();
    Set<Long> skip = new HashSet<>();
    Map<String, List<SessionClick>> rebuilt = new HashMap<>();
    long[] counts = new long[2];
    Bytes next = StoreKeys.stage(StoreKeys.CLICKS);
    Bytes end = StoreKeys.stage((byte) (StoreKeys.CLICKS + 1));
    while (true) {
      List<WriteBackStore<Buffered>.Entry> kept = buffer.list(next, end, 1024);
      for (WriteBackStore<Buffered>.Entry entry : kept) {
        if (StoreKeys.keptClickPartition(entry.key()) == partition) {
          skip.add(StoreKeys.keptClickOffset(entry.key()));
        }
        long orderAt = StoreKeys.orderAtOf(entry.key());
        if (entry.value().getReady() && (horizon == Frontiers.NONE || orderAt >= horizon)) {
          ClickRecorded click = (ClickRecorded) entry.value().getBody();
          rebuilt
              .computeIfAbsent(click.getSessionId(), id -> new ArrayList<>(2))
              .add(new SessionClick(click, orderAt));
          counts[0]++;
        }
      }
      if (kept.size() < 1024) {
        break;
      }
      next = StoreKeys.successor(kept.get(kept.size() - 1).key());
    }
    intake.readClicksAgain(
        from,
        to,
        (origin, click) -> {
          long time = click.getOccurredAt().toEpochMilli();
          if (Outbox.partitionOf(click.getSessionId(), partitions) != partition
              || (horizon != Frontiers.NONE && time < horizon)
              || skip.contains(origin.getOffset())) {
            return;
          }
          rebuilt
              .computeIfAbsent(click.getSessionId(), id -> new ArrayList<>(2))
              .add(new SessionClick(click, time));
          if (++counts[1] % REBUILD_CHUNK == 0) {
            store(rebuilt);
          }
        });
    store(rebuilt);
    if (counts[0] + counts[1] > 0) {
      LOG.info(
          "attribution of partition {}: sessions rebuilt from {} kept clicks and {} clicks read"
              + " again from offsets [{}, {}) of {}",
          partition,
          counts[0],
          counts[1],
          from,
          to,
          clicksTopic);
    }
  }

  /** Adds rebuilt clicks to their sessions in the store, and forgets them here. */
  private void store(Map<String, List<SessionClick>> rebuilt) {
    for (Map.Entry<String, List<SessionClick>> added : rebuilt.entrySet()) {
      Bytes key = StoreKeys.utf8(added.getKey());
      SessionClicks session = sessions.get(key);
      List<SessionClick> clicks =
          session == null ? added.getValue() : new ArrayList<>(session.getClicks());
      if (session != null) {
        clicks.addAll(added.getValue());
      }
      SessionClicks merged = new SessionClicks(clicks);
      sessions.put(key, merged);
      expiry.touch(key, lastOrderedAt(merged));
    }
    rebuilt.clear();
    sessions.flush();
  }

  /** A tick at {@code tickAt} released the clicks before {@code clicksReleasedTo}. */
  void released(long tickAt, long clicksReleasedTo) {
    long[] last = checkpoints.peekLast();
    if (last == null || tickAt >= last[0] + spacing) {
      checkpoints.addLast(new long[] {tickAt, clicksReleasedTo});
      checkpointsChanged = true;
    }
  }

  /**
   * Before a commit: writes the checkpoints if they changed, and the changed sessions if the ledger
   * runs at a live pace ({@code live}) or more than {@link #UNWRITTEN_SESSIONS} are unwritten.
   *
   * <p>Catching up or replaying, a session lives for about a second of wall time (twice the TTL of
   * event time) and takes a click or two: written at every commit, each was encoded and put, then
   * deleted, which was about an eighth of a catch-up. Kept unwritten across commits, most are born
   * and forgotten in memory and never reach RocksDB. The store is not logged, so nothing of the
   * transaction depends on it; a restart keeps the sessions on disk only after a clean close, which
   * writes the unwritten ones ({@link #open}, {@link #close}).
   */
  void beforeCommit(boolean live) {
    if (live || sessions.pending() > UNWRITTEN_SESSIONS) {
      sessions.flush();
    }
    if (checkpointsChanged) {
      ByteBuffer pairs = ByteBuffer.allocate(checkpoints.size() * 2 * Long.BYTES);
      for (long[] checkpoint : checkpoints) {
        pairs.putLong(checkpoint[0]).putLong(checkpoint[1]);
      }
      meta.put(CHECKPOINTS_KEY, pairs.array());
      checkpointsChanged = false;
    }
  }

  /**
   * A click, ordered at {@code orderAt} and released by the tick at {@code tickAt} ({@link
   * Frontiers#NONE} if it came from another partition); {@code horizon}: clicks ordered before it
   * may be forgotten.
   */
  void click(Origin origin, ClickRecorded click, long orderAt, long tickAt, long horizon) {
    boolean own = origin.getPartition() == partition && clicksTopic.equals(origin.getTopic());
    Bytes key = StoreKeys.utf8(click.getSessionId());
    SessionClicks session = sessions.get(key);
    List<SessionClick> clicks =
        session == null ? new ArrayList<>(2) : new ArrayList<>(session.getClicks());
    for (SessionClick known : clicks) {
      if (known.getOrderAt() >= orderAt - window
          && known.getClick().getEventId().equals(click.getEventId())) {
        duplicates++;
        if (own) {
          keep(origin, click, orderAt, false);
        }
        outbox.reject(
            origin,
            Rejections.DUPLICATE_EVENT,
            "click event " + click.getEventId() + " was already applied",
            click.getEventId(),
            click.getOccurredAt());
        return;
      }
    }
    clicks.removeIf(known -> known.getOrderAt() < horizon);
    clicks.add(new SessionClick(click, orderAt));
    SessionClicks updated = new SessionClicks(clicks);
    if (session == null) {
      // Not in RocksDB either: forgotten before it is written, it is never written at all.
      sessions.putNew(key, updated);
    } else {
      sessions.put(key, updated);
    }
    expiry.touch(key, lastOrderedAt(updated));
    long time = click.getOccurredAt().toEpochMilli();
    if (!own || orderAt != time || time >= tickAt) {
      keep(origin, click, orderAt, true);
    }
  }

  /**
   * Keeps a click that a rebuild could not take from its record as it is: in the buffer, with
   * whether it counts ({@code Buffered.ready}; false for a copy rejected as a duplicate, kept so
   * that a rebuild skips it).
   */
  private void keep(Origin origin, ClickRecorded click, long orderAt, boolean counts) {
    buffer.putNew(
        StoreKeys.keptClick(orderAt, origin.getPartition(), origin.getOffset()),
        new Buffered(null, click, counts, null));
  }

  /** A request: answered at once if the frontier has passed it, else kept until it has. */
  void request(AttributionRequest request, long orderAt, long frontier) {
    if (orderAt < frontier) {
      answer(request, orderAt);
      return;
    }
    Bytes key = StoreKeys.attribution(orderAt, StoreKeys.bytes(request.getRef()));
    if (key.compareTo(floor) < 0) {
      floor = key;
    }
    buffer.putNew(key, new Buffered(null, request, true, null));
  }

  /** Answers every waiting request ordered before {@code frontier}. */
  void drain(long frontier) {
    Bytes to = StoreKeys.stageAt(StoreKeys.ATTRIBUTION, frontier);
    while (true) {
      List<WriteBackStore<Buffered>.Entry> due = buffer.list(floor, to, 1024);
      for (WriteBackStore<Buffered>.Entry entry : due) {
        buffer.delete(entry.key());
        answer((AttributionRequest) entry.value().getBody(), StoreKeys.orderAtOf(entry.key()));
      }
      if (due.size() < 1024) {
        floor = to;
        return;
      }
      floor = StoreKeys.successor(due.get(due.size() - 1).key());
    }
  }

  private void answer(AttributionRequest request, long orderAt) {
    SessionClicks session = sessions.get(StoreKeys.utf8(request.getSessionId()));
    List<Candidate> candidates = new ArrayList<>();
    if (session != null) {
      // In a fixed order: a rebuilt session need not hold its clicks in the order they came.
      List<SessionClick> known = new ArrayList<>(session.getClicks());
      known.sort(
          Comparator.comparingLong(SessionClick::getOrderAt)
              .thenComparing(c -> c.getClick().getEventId().toString())
              .thenComparing(c -> c.getClick().getClickId().toString()));
      for (SessionClick click : known) {
        candidates.add(
            new Candidate(
                Mapping.click(click.getClick()),
                java.time.Instant.ofEpochMilli(click.getOrderAt())));
      }
    }
    TrackedClick click =
        com.portals.ledger.domain.attribution.Attribution.attribute(
                candidates, request.getPlacedAt(), java.time.Instant.ofEpochMilli(orderAt), ttl)
            .map(Mapping::tracked)
            .orElse(null);
    outbox.handover(request.getReplyTo(), orderAt, new AttributionReply(request.getRef(), click));
  }

  /**
   * Forgets (once per commit) the sessions whose every click was ordered before {@code horizon},
   * found by {@link SessionExpiry} without reading the store, and the kept clicks before it.
   */
  void sweep(long horizon) {
    if (horizon == Frontiers.NONE) {
      return;
    }
    if (horizon > keptSweptTo) {
      forgetKept(horizon);
      keptSweptTo = horizon;
    }
    expiry.expire(horizon, sessions::delete);
  }

  /**
   * Forgets kept clicks ordered before {@code horizon}, and the checkpoints before the last one at
   * or before it.
   */
  private void forgetKept(long horizon) {
    Bytes from = StoreKeys.stage(StoreKeys.CLICKS);
    Bytes to = StoreKeys.stageAt(StoreKeys.CLICKS, horizon);
    while (true) {
      List<WriteBackStore<Buffered>.Entry> old = buffer.list(from, to, 1024);
      for (WriteBackStore<Buffered>.Entry entry : old) {
        buffer.delete(entry.key());
      }
      if (old.size() < 1024) {
        break;
      }
      from = StoreKeys.successor(old.get(old.size() - 1).key());
    }
    while (checkpoints.size() >= 2) {
      Iterator<long[]> it = checkpoints.iterator();
      it.next();
      if (it.next()[0] > horizon) {
        break;
      }
      checkpoints.removeFirst();
      checkpointsChanged = true;
    }
  }

  /**
   * The task closes: writes the sessions left unwritten, then this start's token, so that a restart
   * on this state directory keeps them. Kafka Streams closes a task's processors after its last
   * commit, so these are the sessions of the committed state, and closes RocksDB after that, which
   * writes them to disk with the token (a crash first loses both, and the next start rebuilds).
   */
  void close() {
    if (local == null || token == null) {
      return;
    }
    try {
      sessions.flush();
      local.put(LOCAL_TOKEN_KEY, token);
    } catch (RuntimeException e) {
      LOG.warn(
          "attribution of partition {}: could not write the sessions at close; the next start"
              + " rebuilds them",
          partition,
          e);
    }
  }

  /** The task's state is being reset: the sessions left unwritten are dropped, never written. */
  void reset() {
    sessions.clear();
    token = null;
  }

  static long lastOrderedAt(SessionClicks session) {
    long last = Long.MIN_VALUE;
    for (SessionClick known : session.getClicks()) {
      last = Math.max(last, known.getOrderAt());
    }
    return last;
  }

  long duplicates() {
    return duplicates;
  }
}
