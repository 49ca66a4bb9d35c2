package com.portals.ledger.app.broker;

/**
 * The embedded broker could not be started, or its data directory could not be prepared. The
 * message says why, and includes the end of the broker's logs when the broker itself failed.
 */
public final class EmbeddedBrokerException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** An error described by {@code message} alone. */
  public EmbeddedBrokerException(String message) {
    super(message);
  }

  /** An error described by {@code message}, caused by {@code cause}. */
  public EmbeddedBrokerException(String message, Throwable cause) {
    super(message, cause);
  }
}
