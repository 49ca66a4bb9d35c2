package com.portals.ledger.streams.task;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.streams.processor.api.ProcessorContext;

/**
 * The tasks of the write side that one stream thread runs, which can hand messages to each other
 * directly instead of through the hand-over topic.
 *
 * <p>Under exactly-once v2 a stream thread has one producer, and one transaction holds everything
 * all its tasks did since the last commit: their input offsets, their changelog records, their
 * output. A message task p hands task q of the same thread, and whatever q does with it, therefore
 * commits or aborts with what p did; nothing is in flight between them at a commit. So the message
 * is handed over in memory, and q runs it at once, on p's turn: a trampoline ({@link #enter},
 * {@link #exit}) runs the tasks that received something until none has anything left, with the
 * context of the task whose record or punctuation started it (records go to the same sinks, in the
 * same transaction). Messages of a channel carry sequence numbers, so that a task that changes
 * threads (a rebalance) never applies a direct message before the older ones that went through the
 * topic.
 *
 * <p>A group is per stream thread and hand-over topic (that is, per application).
 */
final class Colocation {

  private static final ThreadLocal<Map<String, Colocation>> GROUPS =
      ThreadLocal.withInitial(HashMap::new);

  private final LedgerProcessor[] members;
  private final ArrayDeque<LedgerProcessor> runnable = new ArrayDeque<>();
  private ProcessorContext<Object, Object> active;
  private int depth;
  private long ticked = Frontiers.NONE;
  private long tickedAt;
  private long liveTick = Frontiers.NONE;
  private boolean paced;

  private Colocation(int partitions) {
    this.members = new LedgerProcessor[partitions];
  }

  /** The group of the current thread for {@code handoverTopic}. */
  static Colocation of(String handoverTopic, int partitions) {
    Map<String, Colocation> groups = GROUPS.get();
    Colocation group = groups.get(handoverTopic);
    if (group == null || group.members.length != partitions) {
      group = new Colocation(partitions);
      groups.put(handoverTopic, group);
    }
    return group;
  }

  void join(int partition, LedgerProcessor member) {
    members[partition] = member;
  }

  void leave(int partition, LedgerProcessor member) {
    if (members[partition] == member) {
      members[partition] = null;
    }
  }

  /** The member that owns {@code partition} on this thread, or null. */
  LedgerProcessor member(int partition) {
    LedgerProcessor member = members[partition];
    return member != null && member.isOpen() ? member : null;
  }

  /** A member's record or punctuation starts: its context is the one records are sent through. */
  void enter(ProcessorContext<Object, Object> context) {
    if (depth++ == 0) {
      active = context;
    }
  }

  /** The context of the record or punctuation being processed. */
  ProcessorContext<Object, Object> active() {
    return active;
  }

  /**
   * The lowest intake frontier moved to {@code low} (a tick's instant) at wall-clock time {@code
   * now}. If it moved at most twice as far in ledger time as the wall-clock time since it last
   * moved, ticks come at the pace of a live clock, and the thread will commit as soon as its tasks
   * have applied what the tick released ({@link #drained}) rather than at the end of the commit
   * interval. Catching up or replaying, ticks hours (or many 100 ms) apart are released within
   * milliseconds, and commits are left to the commit interval. When commits happen does not change
   * what the ledger writes.
   */
  void ticked(long low, long now) {
    if (low <= ticked) {
      return;
    }
    paced = ticked != Frontiers.NONE && low - ticked <= 2 * (now - tickedAt);
    if (paced) {
      liveTick = low;
    }
    ticked = low;
    tickedAt = now;
  }

  /**
   * Whether the lowest intake frontier last moved at the pace of a live clock ({@link #ticked}):
   * false while catching up or replaying.
   */
  boolean paced() {
    return paced;
  }

  /** Every member's accounts have drained up to {@code limit}: commits if a live tick is in. */
  void drained(long limit) {
    if (liveTick != Frontiers.NONE && limit >= liveTick && active != null) {
      liveTick = Frontiers.NONE;
      active.commit();
    }
  }

  /** {@code member} received a message: it runs before the current turn ends. */
  void wake(LedgerProcessor member) {
    if (!member.woken) {
      member.woken = true;
      runnable.add(member);
    }
  }

  /** Ends a turn: runs every member that received something, until none has. */
  void exit() {
    try {
      if (depth == 1) {
        for (LedgerProcessor next = runnable.poll(); next != null; next = runnable.poll()) {
          next.woken = false;
          next.runInbox();
        }
      }
    } finally {
      if (--depth == 0) {
        active = null;
      }
    }
  }
}
