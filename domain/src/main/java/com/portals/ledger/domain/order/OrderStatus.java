package com.portals.ledger.domain.order;

/** Where an order is in its lifecycle. */
public enum OrderStatus {
  /** Placed; the buyer has not released payment yet. */
  PENDING,
  /** The buyer released payment (or the 60-day rule completed it). */
  COMPLETED,
  /** Cancelled before completion. */
  CANCELLED,
  /** Neither completed nor cancelled within 60 days, under the {@code expire} policy. */
  EXPIRED
}
