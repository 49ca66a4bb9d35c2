package com.portals.ledger.schemas.publish;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.TopicPartition;

/**
 * The records a publish sent between two tick lines, and where the broker put them: once every one
 * of them is settled (acknowledged or failed) and the segment is closed by the tick line after it,
 * the tick may be sent, with positions at or above {@link #ends()}. Records are sent from one
 * thread; acknowledgements arrive on the producer's.
 */
final class Segment {

  /** Records sent and not settled, plus one while the segment is open. */
  private final AtomicInteger unsettled = new AtomicInteger(1);

  private final Map<TopicPartition, Long> ends = new ConcurrentHashMap<>();
  private final CountDownLatch done = new CountDownLatch(1);

  /** One more record of this segment is on its way. */
  void sent() {
    unsettled.incrementAndGet();
  }

  /** A record of this segment was written at {@code offset} of {@code partition}. */
  void acknowledged(TopicPartition partition, long offset) {
    ends.merge(partition, offset + 1, Math::max);
    settle();
  }

  /** A record of this segment was not written. */
  void failed() {
    settle();
  }

  /** No more records belong to this segment: the tick line after it was reached. */
  void close() {
    settle();
  }

  /** Whether the segment is closed and every record of it settled. */
  boolean isDone() {
    return done.getCount() == 0;
  }

  /** Waits until {@link #isDone()}. */
  void await() throws InterruptedException {
    done.await();
  }

  /**
   * Per partition written, the offset after the last record of this segment written there; read it
   * once the segment is done.
   */
  Map<TopicPartition, Long> ends() {
    return ends;
  }

  private void settle() {
    if (unsettled.decrementAndGet() == 0) {
      done.countDown();
    }
  }
}
