package com.portals.ledger.streams.task;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Time as the task of partition {@code self} knows it: for every task q of the write side, its
 * intake frontier (everything q's intake will still send on has an ordering instant at or after it:
 * the instant of the last tick q released) and its orders frontier (every commission movement q's
 * orders stage will still send has an ordering instant at or after it). Tasks learn each other's
 * frontiers from the hand-over messages they exchange; each tells the others when its own moved
 * ({@link #staleFor}).
 *
 * <p>A stage applies, in order, the inputs before the lowest frontier of the tasks that feed it:
 * attribution and orders the lowest intake frontier ({@link #intakeLow}), accounts the lowest
 * orders frontier ({@link #ordersLow}).
 */
final class Frontiers {

  /** Nothing promised yet: no tick released. */
  static final long NONE = Long.MIN_VALUE;

  private final int self;
  private final long[] intake;
  private final long[] orders;
  private final long[] sentIntake;
  private final long[] sentOrders;

  Frontiers(int self, int partitions) {
    this.self = self;
    this.intake = filled(partitions);
    this.orders = filled(partitions);
    this.sentIntake = filled(partitions);
    this.sentOrders = filled(partitions);
  }

  private static long[] filled(int n) {
    long[] values = new long[n];
    Arrays.fill(values, NONE);
    return values;
  }

  int partitions() {
    return intake.length;
  }

  long intake(int q) {
    return intake[q];
  }

  long ownIntake() {
    return intake[self];
  }

  long ownOrders() {
    return orders[self];
  }

  void setOwnIntake(long frontier) {
    intake[self] = Math.max(intake[self], frontier);
  }

  void setOwnOrders(long frontier) {
    orders[self] = Math.max(orders[self], frontier);
  }

  /** Takes what task {@code q} said; true if it moved anything. */
  boolean observe(int q, long intakeFrontier, long ordersFrontier) {
    if (q < 0 || q >= intake.length || q == self) {
      return false;
    }
    boolean moved = false;
    if (intakeFrontier > intake[q]) {
      intake[q] = intakeFrontier;
      moved = true;
    }
    if (ordersFrontier > orders[q]) {
      orders[q] = ordersFrontier;
      moved = true;
    }
    return moved;
  }

  long intakeLow() {
    return min(intake);
  }

  long ordersLow() {
    return min(orders);
  }

  private static long min(long[] values) {
    long low = Long.MAX_VALUE;
    for (long value : values) {
      low = Math.min(low, value);
    }
    return low;
  }

  /** Whether task {@code r} has not been told this task's latest frontiers. */
  boolean staleFor(int r) {
    return r != self
        && intake[self] != NONE
        && (intake[self] > sentIntake[r] || orders[self] > sentOrders[r]);
  }

  /** Task {@code r} is being told this task's frontiers. */
  void told(int r) {
    sentIntake[r] = intake[self];
    sentOrders[r] = orders[self];
  }

  /** Forgets what was told (after a restart, tell everyone again). */
  void forgetTold() {
    Arrays.fill(sentIntake, NONE);
    Arrays.fill(sentOrders, NONE);
  }

  byte[] encode() {
    ByteBuffer buffer = ByteBuffer.allocate(4 + 16 * intake.length).putInt(intake.length);
    for (int q = 0; q < intake.length; q++) {
      buffer.putLong(intake[q]).putLong(orders[q]);
    }
    return buffer.array();
  }

  /** Restores what {@link #encode} wrote; ignored if the partition count changed. */
  void decode(byte[] bytes) {
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    int n = buffer.getInt();
    if (n != intake.length) {
      return;
    }
    for (int q = 0; q < n; q++) {
      intake[q] = buffer.getLong();
      orders[q] = buffer.getLong();
    }
  }
}
