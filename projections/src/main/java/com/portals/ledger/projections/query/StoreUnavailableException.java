package com.portals.ledger.projections.query;

/**
 * The query stores cannot be read right now (the instance is starting, rebalancing, restoring, or
 * the key's owner is not known yet). The API answers 503 with Retry-After: asking again soon is
 * right, and answering from a store that is not the key's would be wrong.
 */
public final class StoreUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StoreUnavailableException(String message) {
    super(message);
  }

  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
